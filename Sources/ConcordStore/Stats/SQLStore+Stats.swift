import SQLKit

extension SQLStore {
    /// A usage report read from the hourly rollups: its cost grows with the hours and combinations it covers,
    /// never with the number of logged calls.
    public func stats(_ query: StatsQuery) async throws -> UsageReport {
        var dimensions: [StatsDimension] = []
        for dimension in query.groupBy where !dimensions.contains(dimension) { dimensions.append(dimension) }
        let selected = dimensions.flatMap(Self.columns(of:))
        let sums = Self.sumSelections
        var sql = "SELECT "
        sql += (selected.map { "\($0.expression) AS \($0.alias)" } + sums).joined(separator: ", ")
        sql += " FROM llm_usage_hourly"
        var conditions: [String] = []
        var binds: [any Encodable & Sendable] = []
        func condition(_ text: String, _ value: any Encodable & Sendable) {
            conditions.append(text)
            binds.append(value)
        }
        if let first = query.firstHour { condition("hour >= ", first) }
        if let end = query.endHour { condition("hour < ", end) }
        let equalities: [(String, String?)] = [
            ("model", query.model), ("provider", query.provider), ("caller_type", query.callerType),
            ("caller_name", query.callerName), ("user_id", query.userID), ("status", query.status),
        ]
        for case (let column, let value?) in equalities { condition("\(column) = ", value) }
        var text = SQLQueryString(sql)
        for (index, (condition, value)) in zip(conditions, binds).enumerated() {
            text.appendInterpolation(unsafeRaw: index == 0 ? " WHERE " : " AND ")
            text.appendInterpolation(unsafeRaw: condition)
            text.appendInterpolation(bind: value)
        }
        if !selected.isEmpty {
            let groups = selected.map(\.expression).joined(separator: ", ")
            text.appendInterpolation(unsafeRaw: " GROUP BY \(groups)")
            let timeOrder = selected.filter { $0.dimension.isTime }.map { "\($0.alias) ASC" }
            let order = timeOrder + ["requests DESC"] + selected.filter { !$0.dimension.isTime }.map { "\($0.alias) ASC" }
            text.appendInterpolation(unsafeRaw: " ORDER BY \(order.joined(separator: ", "))")
        }
        let finalText = text
        let rows = try await connections.withConnection { database in
            try await database.raw(finalText).all()
        }
        var report = UsageReport(query: query, totals: UsageStats(), rows: [])
        for row in rows {
            let stats = try Self.decodeStats(row)
            guard stats.requests > 0 else { continue }
            var result = UsageStatsRow(stats: stats)
            for dimension in dimensions {
                switch dimension {
                case .model: result.model = try row.decode(column: "g_model", as: String.self)
                case .provider: result.provider = try row.decode(column: "g_provider", as: String.self)
                case .caller:
                    result.callerType = try row.decode(column: "g_caller_type", as: String.self)
                    result.callerName = try row.decode(column: "g_caller_name", as: String.self)
                case .user:
                    let user = try row.decode(column: "g_user_id", as: String.self)
                    result.userID = user.isEmpty ? nil : user
                    result.hasUser = true
                case .hour: result.hour = try row.decode(column: "g_hour", as: Int64.self)
                case .day: result.day = try row.decode(column: "g_day", as: Int64.self)
                }
            }
            report.totals.add(stats)
            report.rows.append(result)
        }
        return report
    }

    private struct Selection {
        var dimension: StatsDimension
        var expression: String
        var alias: String
    }

    private static func columns(of dimension: StatsDimension) -> [Selection] {
        switch dimension {
        case .model: [Selection(dimension: dimension, expression: "model", alias: "g_model")]
        case .provider: [Selection(dimension: dimension, expression: "provider", alias: "g_provider")]
        case .caller:
            [
                Selection(dimension: dimension, expression: "caller_type", alias: "g_caller_type"),
                Selection(dimension: dimension, expression: "caller_name", alias: "g_caller_name"),
            ]
        case .user: [Selection(dimension: dimension, expression: "user_id", alias: "g_user_id")]
        case .hour: [Selection(dimension: dimension, expression: "hour", alias: "g_hour")]
        case .day: [Selection(dimension: dimension, expression: "(hour - hour % 86400)", alias: "g_day")]
        }
    }

    private static let summedIntegers =
        [
            "requests", "errors", "prompt_tokens", "completion_tokens", "total_tokens", "priced_requests",
            "latency_ms_sum",
        ] + LatencyHistogram.columns

    private static let sumSelections: [String] =
        summedIntegers.map { "CAST(COALESCE(SUM(\($0)), 0) AS BIGINT) AS \($0)" }
        + [
            "CAST(COALESCE(SUM(cost_usd), 0) AS DOUBLE PRECISION) AS cost_usd",
            "CAST(COALESCE(MAX(latency_ms_max), 0) AS BIGINT) AS latency_ms_max",
        ]

    private static func decodeStats(_ row: any SQLRow) throws -> UsageStats {
        var stats = UsageStats()
        stats.requests = try row.decode(column: "requests", as: Int.self)
        stats.errors = try row.decode(column: "errors", as: Int.self)
        stats.promptTokens = try row.decode(column: "prompt_tokens", as: Int.self)
        stats.completionTokens = try row.decode(column: "completion_tokens", as: Int.self)
        stats.totalTokens = try row.decode(column: "total_tokens", as: Int.self)
        stats.pricedRequests = try row.decode(column: "priced_requests", as: Int.self)
        stats.latencyMsSum = try row.decode(column: "latency_ms_sum", as: Int.self)
        stats.pricedCostUSD = try row.decode(column: "cost_usd", as: Double.self)
        stats.latencyMsMax = try row.decode(column: "latency_ms_max", as: Int.self)
        stats.latency = LatencyHistogram(
            counts: try LatencyHistogram.columns.map { try row.decode(column: $0, as: Int.self) }
        )
        return stats
    }
}
