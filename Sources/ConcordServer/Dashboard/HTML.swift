import Foundation

/// Text made safe for HTML: every value shown on a dashboard page goes through this.
enum HTML {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A query-string value, percent-encoded, then escaped for use inside an attribute.
    static func query(_ pairs: [(String, String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let parts = pairs.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        return escape(parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
    }

    static func path(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return escape(segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    static func integer(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    /// A chart's value as a whole number (values past `Int`'s range shown at its ends, never trapped on).
    static func integer(_ value: Double) -> String {
        integer(value.isFinite ? Int(min(max(value, -9.2e18), 9.2e18).rounded()) : 0)
    }

    static func cost(_ value: Double?) -> String {
        guard let value else { return "—" }
        return "$" + String(format: "%.6f", value)
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value >= 1000 ? String(format: "%.2f s", value / 1000) : String(format: "%.0f ms", value)
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    static func time(_ seconds: Double) -> String {
        let date = Date(timeIntervalSince1970: seconds)
        return date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).dateTimeSeparator(.space))
            + " UTC"
    }
}
