import SQLKit

extension SQLStore {
    /// A usage report read from the rollups: its cost grows with the days (and edge hours) and combinations it
    /// covers, never with the number of logged calls.
    public func stats(_ query: StatsQuery) async throws -> UsageReport {
        var dimensions: [StatsDimension] = []
        for dimension in query.groupBy where !dimensions.contains(dimension) { dimensions.append(dimension) }
        let selected = dimensions.flatMap(Self.columns(of:))
        var text = SQLQueryString("SELECT ")
        text.appendInterpolation(
            unsafeRaw: (selected.map { "\($0.expression) AS \($0.alias)" } + Self.sumSelections).joined(separator: ", ")
        )
        text.appendInterpolation(unsafeRaw: " FROM (")
        for (index, source) in Self.sources(for: query, byHour: dimensions.contains(.hour)).enumerated() {
            if index > 0 { text.appendInterpolation(unsafeRaw: " UNION ALL ") }
            Self.appendSource(source, query: query, to: &text)
        }
        text.appendInterpolation(unsafeRaw: ") AS rollup")
        if !selected.isEmpty {
            let groups = selected.map(\.expression).joined(separator: ", ")
            text.appendInterpolation(unsafeRaw: " GROUP BY \(groups)")
            let timeOrder = selected.filter { $0.dimension.isTime }.map { "\($0.alias) ASC" }
            let order =
                timeOrder + ["requests DESC"] + selected.filter { !$0.dimension.isTime }.map { "\($0.alias) ASC" }
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

    /// Where a report reads from: whole UTC days from the daily table and the hours at the range's edges from the
    /// hourly one (everything from the hourly table when grouping by hour). Bounds are `[lower, upper)`.
    struct RollupSource: Equatable {
        var table: RollupTable
        var lower: Int64?
        var upper: Int64?
    }

    static func sources(for query: StatsQuery, byHour: Bool) -> [RollupSource] {
        let first = query.firstHour
        let end = query.endHour
        guard !byHour else { return [RollupSource(table: .hourly, lower: first, upper: end)] }
        let day = RollupTable.daily.seconds
        let firstDay = first.map { $0 % day == 0 ? $0 : RollupTable.daily.bucket(of: Double($0)) + day }
        let endDay = end.map { RollupTable.daily.bucket(of: Double($0)) }
        if let firstDay, let endDay, firstDay >= endDay {
            return [RollupSource(table: .hourly, lower: first, upper: end)]
        }
        var sources = [RollupSource(table: .daily, lower: firstDay, upper: endDay)]
        if let first, let firstDay, first < firstDay {
            sources.append(RollupSource(table: .hourly, lower: first, upper: firstDay))
        }
        if let end, let endDay, endDay < end {
            sources.append(RollupSource(table: .hourly, lower: endDay, upper: end))
        }
        return sources
    }

    /// `SELECT bucket, dimensions, sums FROM table WHERE range AND filters` with every value bound.
    private static func appendSource(_ source: RollupSource, query: StatsQuery, to text: inout SQLQueryString) {
        let bucket = source.table.bucketColumn
        let columns =
            ["\(bucket) AS bucket"] + UsageRollupRow.dimensionColumns + UsageRollupRow.sumColumns + ["latency_ms_max"]
        text.appendInterpolation(
            unsafeRaw: "SELECT \(columns.joined(separator: ", ")) FROM \(source.table.name) WHERE 1 = 1")
        if let lower = source.lower {
            text.appendInterpolation(unsafeRaw: " AND \(bucket) >= ")
            text.appendInterpolation(bind: lower)
        }
        if let upper = source.upper {
            text.appendInterpolation(unsafeRaw: " AND \(bucket) < ")
            text.appendInterpolation(bind: upper)
        }
        let equalities: [(String, String?)] = [
            ("model", query.model), ("provider", query.provider), ("caller_type", query.callerType),
            ("caller_name", query.callerName), ("user_id", query.userID), ("status", query.status),
        ]
        for case (let column, let value?) in equalities {
            text.appendInterpolation(unsafeRaw: " AND \(column) = ")
            text.appendInterpolation(bind: value)
        }
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
        case .hour: [Selection(dimension: dimension, expression: "bucket", alias: "g_hour")]
        case .day: [Selection(dimension: dimension, expression: "(bucket - bucket % 86400)", alias: "g_day")]
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
