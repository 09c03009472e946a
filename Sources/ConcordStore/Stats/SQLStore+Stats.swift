import Foundation
import SQLKit

extension SQLStore {
    /// A usage report read from the rollups: its cost grows with the days (and edge hours) and combinations it
    /// covers, never with the number of logged calls.
    ///
    /// Each source table (the whole days, the edge hours) is summed by its own grouped query, the queries run side
    /// by side on separate connections, and their rows are merged here — sums add, histograms add.
    public func stats(_ query: StatsQuery) async throws -> UsageReport {
        var dimensions: [StatsDimension] = []
        for dimension in query.groupBy where !dimensions.contains(dimension) { dimensions.append(dimension) }
        let shape = Self.shape(for: query, dimensions: dimensions)
        let texts = Self.sources(for: query, byHour: dimensions.contains(.hour), shape: shape).map {
            Self.groupedQuery($0, dimensions: dimensions, query: query)
        }
        var merged: [UsageStatsRow: UsageStats] = [:]
        try await withThrowingTaskGroup(of: [any SQLRow].self) { group in
            for text in texts {
                group.addTask { try await self.connections.withConnection { try await $0.raw(text).all() } }
            }
            for try await rows in group {
                for row in rows {
                    let stats = try Self.decodeStats(row)
                    guard stats.requests > 0 else { continue }
                    merged[try Self.decodeGroup(row, dimensions: dimensions), default: UsageStats()].add(stats)
                }
            }
        }
        var report = UsageReport(query: query, totals: UsageStats(), rows: [])
        report.rows = merged.map { group, stats in
            var row = group
            row.stats = stats
            report.totals.add(stats)
            return row
        }
        report.rows.sort { Self.precedes($0, $1, dimensions: dimensions) }
        return report
    }

    /// `SELECT groups, sums FROM (one source) GROUP BY groups`.
    private static func groupedQuery(_ source: RollupSource, dimensions: [StatsDimension], query: StatsQuery)
        -> SQLQueryString
    {
        let selected = dimensions.flatMap(Self.columns(of:))
        var text = SQLQueryString("SELECT ")
        text.appendInterpolation(
            unsafeRaw: (selected.map { "\($0.expression) AS \($0.alias)" } + Self.sumSelections).joined(separator: ", ")
        )
        text.appendInterpolation(unsafeRaw: " FROM (")
        appendSource(source, query: query, to: &text)
        text.appendInterpolation(unsafeRaw: ") AS rollup")
        if !selected.isEmpty {
            text.appendInterpolation(unsafeRaw: " GROUP BY \(selected.map(\.expression).joined(separator: ", "))")
        }
        return text
    }

    /// The grouped dimensions' values of a result row (its `stats` left empty).
    private static func decodeGroup(_ row: any SQLRow, dimensions: [StatsDimension]) throws -> UsageStatsRow {
        var result = UsageStatsRow()
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
        return result
    }

    /// Report order: time buckets first to last, then the most requests first, then the dimensions' values in
    /// the order they were grouped by.
    private static func precedes(_ a: UsageStatsRow, _ b: UsageStatsRow, dimensions: [StatsDimension]) -> Bool {
        for dimension in dimensions where dimension.isTime {
            let (x, y) = dimension == .hour ? (a.hour ?? 0, b.hour ?? 0) : (a.day ?? 0, b.day ?? 0)
            if x != y { return x < y }
        }
        if a.stats.requests != b.stats.requests { return a.stats.requests > b.stats.requests }
        for dimension in dimensions where !dimension.isTime {
            let (x, y): (String, String) =
                switch dimension {
                case .model: (a.model ?? "", b.model ?? "")
                case .provider: (a.provider ?? "", b.provider ?? "")
                case .caller:
                    (
                        (a.callerType ?? "") + ":" + (a.callerName ?? ""),
                        (b.callerType ?? "") + ":" + (b.callerName ?? "")
                    )
                case .user: (a.userID ?? "", b.userID ?? "")
                case .hour, .day: ("", "")
                }
            if x != y { return x < y }
        }
        return false
    }

    /// The narrowest rollup shape that has every dimension the report groups or filters by.
    static func shape(for query: StatsQuery, dimensions: [StatsDimension]) -> RollupShape {
        var needed = Set(dimensions.flatMap { columns(of: $0) }.map(\.expression))
        let filters: [(String, String?)] = [
            ("model", query.model), ("provider", query.provider), ("caller_type", query.callerType),
            ("caller_name", query.callerName), ("user_id", query.userID), ("status", query.status),
        ]
        for case (let column, _?) in filters { needed.insert(column) }
        needed.subtract(["bucket", "(bucket - bucket % 86400)"])
        return RollupShape.narrowest(holding: needed)
    }

    /// Where a report reads from: whole UTC days from the daily table and the hours at the range's edges from the
    /// hourly one (everything from the hourly table when grouping by hour). Bounds are `[lower, upper)`. A range
    /// that ends after `now` reads the current day whole from the daily table: nothing is logged after now.
    struct RollupSource: Equatable {
        var table: RollupTable
        var lower: Int64?
        var upper: Int64?
    }

    static func sources(
        for query: StatsQuery,
        byHour: Bool,
        shape: RollupShape = .detail,
        now: Double = Date().timeIntervalSince1970
    ) -> [RollupSource] {
        let hourly = RollupTable(shape: shape, period: .hour)
        let daily = RollupTable(shape: shape, period: .day)
        let first = query.firstHour
        let end = query.endHour.flatMap { Double($0) > now ? nil : $0 }
        guard !byHour else { return [RollupSource(table: hourly, lower: first, upper: end)] }
        let day = daily.seconds
        let firstDay = first.map { $0 % day == 0 ? $0 : daily.bucket(of: Double($0)) + day }
        let endDay = end.map { daily.bucket(of: Double($0)) }
        if let firstDay, let endDay, firstDay >= endDay {
            return [RollupSource(table: hourly, lower: first, upper: end)]
        }
        var sources = [RollupSource(table: daily, lower: firstDay, upper: endDay)]
        if let first, let firstDay, first < firstDay {
            sources.append(RollupSource(table: hourly, lower: first, upper: firstDay))
        }
        if let end, let endDay, endDay < end {
            sources.append(RollupSource(table: hourly, lower: endDay, upper: end))
        }
        return sources
    }

    /// `SELECT bucket, dimensions, sums FROM table WHERE range AND filters` with every value bound.
    private static func appendSource(_ source: RollupSource, query: StatsQuery, to text: inout SQLQueryString) {
        let bucket = source.table.bucketColumn
        let columns =
            ["\(bucket) AS bucket"] + source.table.shape.dimensionColumns + UsageRollupRow.sumColumns
            + ["latency_ms_max"]
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
