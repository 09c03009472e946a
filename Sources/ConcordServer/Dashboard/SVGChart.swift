import Foundation

/// A bar chart of one series over time as inline SVG: no scripts, no external assets.
enum SVGChart {
    static func bars(title: String, id: String, points: [(label: String, value: Double)], format: (Double) -> String)
        -> String
    {
        let width = 600.0
        let height = 160.0
        let top = 10.0
        let bottom = 22.0
        let maximum = max(points.map(\.value).max() ?? 0, 0)
        let scale = maximum > 0 ? (height - top - bottom) / maximum : 0
        let slot = points.isEmpty ? width : width / Double(points.count)
        var bars = ""
        for (index, point) in points.enumerated() {
            let barHeight = point.value * scale
            let x = Double(index) * slot + slot * 0.1
            let y = height - bottom - barHeight
            bars += """
                <rect x="\(fixed(x))" y="\(fixed(y))" width="\(fixed(max(slot * 0.8, 0.5)))" height="\(fixed(barHeight))" \
                fill="#2453c7"><title>\(HTML.escape(point.label)): \(HTML.escape(format(point.value)))</title></rect>
                """
        }
        let first = points.first.map { HTML.escape($0.label) } ?? ""
        let last = points.last.map { HTML.escape($0.label) } ?? ""
        let total = points.reduce(0) { $0 + $1.value }
        return """
            <div class="chart" id="chart-\(id)"><div class="label">\(HTML.escape(title)) \
            <span class="muted">· max \(HTML.escape(format(maximum))) · total \(HTML.escape(format(total)))</span></div>
            <svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(HTML.escape(title))">
            <line x1="0" y1="\(fixed(height - bottom))" x2="\(Int(width))" y2="\(fixed(height - bottom))" stroke="#c8cdd6"/>
            \(bars)
            <text x="0" y="\(Int(height - 6))" font-size="11" fill="#5a6275">\(first)</text>
            <text x="\(Int(width))" y="\(Int(height - 6))" font-size="11" fill="#5a6275" text-anchor="end">\(last)</text>
            </svg></div>
            """
    }

    private static func fixed(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
