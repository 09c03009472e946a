public import ConcordStore
import ConcordWire
import Foundation

/// What `concord stats` prints: the same report as `GET /api/llm/stats`, as a table or as that endpoint's JSON.
public enum StatsReport {
    public static func render(databaseURL: String, query: StatsQuery, json: Bool) async throws -> String {
        let store = try SQLStore(url: databaseURL)
        do {
            try await store.migrate()
            let report = try await store.stats(query)
            try await store.shutdown()
            return json ? String(decoding: UsageReportJSON(report).bytes, as: UTF8.self) : text(report)
        } catch {
            try? await store.shutdown()
            throw error
        }
    }

    static func text(_ report: UsageReport) -> String {
        guard report.totals.requests > 0 else { return "No calls in this range." }
        let dimensionHeaders = report.rows.first?.dimensionsPresent.map { $0.name.uppercased() } ?? []
        let metrics = ["REQUESTS", "ERRORS", "ERR %", "TOKENS", "COST", "UNPRICED", "P50", "P95", "P99"]
        var table = TextTable(
            headers: dimensionHeaders + metrics,
            rightAligned: Set(dimensionHeaders.count..<(dimensionHeaders.count + metrics.count))
        )
        func cells(_ stats: UsageStats) -> [String] {
            [
                String(stats.requests), String(stats.errors), String(format: "%.1f", stats.errorRate * 100),
                String(stats.totalTokens), TerminalFormat.cost(stats.costUSD), String(stats.unpricedRequests),
                HTML.milliseconds(stats.latencyPercentileMs(0.5)), HTML.milliseconds(stats.latencyPercentileMs(0.95)),
                HTML.milliseconds(stats.latencyPercentileMs(0.99)),
            ]
        }
        if !report.query.groupBy.isEmpty {
            for row in report.rows {
                table.rows.append(row.dimensionsPresent.map { $0.value ?? "-" } + cells(row.stats))
            }
        }
        table.rows.append(
            Array(repeating: "", count: max(dimensionHeaders.count - 1, 0))
                + (dimensionHeaders.isEmpty ? [] : ["TOTAL"]) + cells(report.totals))
        return table.render()
    }
}
