extension Migration {
    /// `llm_usage_hourly`: per hour × model × provider × caller × user × status, the sums the stats API and the
    /// dashboard read, so their cost depends on the number of hours and combinations, not on the number of calls.
    /// Costs sum only priced calls (`priced_requests` counts them); latencies are kept as a fixed-bucket
    /// histogram (`LatencyHistogram`) for percentiles. Existing calls are summed in when the table is made.
    static let createUsageRollups = Migration(version: 5, name: "create llm_usage_hourly") { flavor in
        UsageRollupBackfill.createStatements(.hourly, flavor)
    }

    /// `llm_usage_daily`: the same sums per UTC day, so a report over weeks reads days, not hours. Filled from the
    /// existing calls when made, then kept by the writer in the same transaction as the hourly rows.
    static let createDailyUsageRollups = Migration(version: 6, name: "create llm_usage_daily") { flavor in
        UsageRollupBackfill.createStatements(.daily, flavor)
    }

    /// The narrow rollups (`RollupShape.model` and `.caller`, hourly and daily), summed from the detail rollups
    /// when made — a few hundred thousand rows, however long the log — and then kept by the writer.
    static let createNarrowUsageRollups = Migration(version: 7, name: "create model and caller usage rollups") {
        flavor in
        [RollupShape.model, .caller].flatMap { shape in
            RollupPeriod.allCases.flatMap { period in
                UsageRollupBackfill.createStatements(RollupTable(shape: shape, period: period), flavor)
            }
        }
    }

    /// The `breakdown` rollups (every dimension but status), summed from the detail rollups like the narrow ones.
    static let createBreakdownUsageRollups = Migration(version: 8, name: "create breakdown usage rollups") {
        flavor in
        RollupPeriod.allCases.flatMap { period in
            UsageRollupBackfill.createStatements(RollupTable(shape: .breakdown, period: period), flavor)
        }
    }
}

/// The SQL that makes a rollup table and sums `llm_call_logs` (or, for a narrow table, the detail rollup of its
/// period) into it: the migrations' backfill, and the reference the tests compare the writer with. It computes
/// exactly what `UsageRollupRow` computes in Swift.
enum UsageRollupBackfill {
    static func createStatements(_ table: RollupTable, _ flavor: DatabaseFlavor) -> [String] {
        let integer = flavor.integerType
        let buckets = LatencyHistogram.columns.map { "\($0) \(integer) NOT NULL DEFAULT 0" }.joined(
            separator: ",\n    ")
        let dimensions = table.shape.dimensionColumns.map { "\($0) TEXT NOT NULL" }.joined(separator: ",\n    ")
        let userIndex =
            table.shape.dimensionColumns.contains("user_id")
            ? ["CREATE INDEX \(table.name)_user ON \(table.name) (user_id, \(table.bucketColumn))"] : []
        return [
            """
            CREATE TABLE \(table.name) (
                \(table.bucketColumn) \(integer) NOT NULL,
                \(dimensions),
                requests \(integer) NOT NULL DEFAULT 0,
                errors \(integer) NOT NULL DEFAULT 0,
                prompt_tokens \(integer) NOT NULL DEFAULT 0,
                completion_tokens \(integer) NOT NULL DEFAULT 0,
                total_tokens \(integer) NOT NULL DEFAULT 0,
                cost_usd \(flavor.doubleType) NOT NULL DEFAULT 0,
                priced_requests \(integer) NOT NULL DEFAULT 0,
                latency_ms_sum \(integer) NOT NULL DEFAULT 0,
                latency_ms_max \(integer) NOT NULL DEFAULT 0,
                \(buckets),
                PRIMARY KEY (\(UsageRollupRow.keyColumns(table).joined(separator: ", ")))
            )
            """
        ] + userIndex + [statement(table, flavor)]
    }

    static func bucketExpression(_ table: RollupTable, _ flavor: DatabaseFlavor) -> String {
        let width = table.seconds
        return switch flavor {
        case .sqlite:
            "(CAST(created_at AS INTEGER) - (CAST(created_at AS INTEGER) % \(width) + \(width)) % \(width))"
        case .postgres:
            "(CAST(floor(extract(epoch FROM created_at) / \(width)) AS BIGINT) * \(width))"
        }
    }

    /// Fills `table` from what is already logged: the detail tables from `llm_call_logs`, a narrow table from the
    /// detail table of its period (which must be filled first).
    static func statement(_ table: RollupTable, _ flavor: DatabaseFlavor) -> String {
        table.shape == .detail ? logStatement(table, flavor) : derivedStatement(table)
    }

    private static func logStatement(_ table: RollupTable, _ flavor: DatabaseFlavor) -> String {
        let bounds = LatencyHistogram.upperBounds
        let buckets = LatencyHistogram.columns.indices.map { index in
            var conditions: [String] = []
            if index > 0 { conditions.append("latency_ms > \(bounds[index - 1])") }
            if index < bounds.count { conditions.append("latency_ms <= \(bounds[index])") }
            return "SUM(CASE WHEN \(conditions.joined(separator: " AND ")) THEN 1 ELSE 0 END)"
        }
        let hour = bucketExpression(table, flavor)
        let dimensions = table.shape.dimensionColumns.map { $0 == "user_id" ? "COALESCE(user_id, '')" : $0 }
            .joined(separator: ", ")
        return """
            INSERT INTO \(table.name) (\(UsageRollupRow.columns(table).joined(separator: ", ")))
            SELECT \(hour), \(dimensions),
                COUNT(*), SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
                SUM(prompt_tokens), SUM(completion_tokens), SUM(total_tokens),
                COALESCE(SUM(cost_usd), 0), COUNT(cost_usd), SUM(latency_ms),
                \(buckets.joined(separator: ", ")),
                MAX(latency_ms)
            FROM llm_call_logs
            GROUP BY \(hour), \(dimensions)
            """
    }

    /// Sums the detail rollup of the table's period into a narrower table: the same numbers, read from far fewer
    /// rows than the log.
    private static func derivedStatement(_ table: RollupTable) -> String {
        let source = RollupTable(shape: .detail, period: table.period)
        let key = UsageRollupRow.keyColumns(table).joined(separator: ", ")
        let sums = UsageRollupRow.sumColumns.map { "SUM(\($0))" } + ["MAX(latency_ms_max)"]
        return """
            INSERT INTO \(table.name) (\(UsageRollupRow.columns(table).joined(separator: ", ")))
            SELECT \(key), \(sums.joined(separator: ", ")) FROM \(source.name) GROUP BY \(key)
            """
    }
}
