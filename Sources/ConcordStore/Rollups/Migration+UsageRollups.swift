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
}

/// The SQL that sums `llm_call_logs` into `llm_usage_hourly`: the migration's backfill, and the reference the
/// benchmark fills its rollups with. It computes exactly what `UsageRollupRow` computes in Swift.
enum UsageRollupBackfill {
    static func createStatements(_ table: RollupTable, _ flavor: DatabaseFlavor) -> [String] {
        let integer = flavor.integerType
        let buckets = LatencyHistogram.columns.map { "\($0) \(integer) NOT NULL DEFAULT 0" }.joined(
            separator: ",\n    ")
        return [
            """
            CREATE TABLE \(table.name) (
                \(table.bucketColumn) \(integer) NOT NULL,
                model TEXT NOT NULL,
                provider TEXT NOT NULL,
                caller_type TEXT NOT NULL,
                caller_name TEXT NOT NULL,
                user_id TEXT NOT NULL,
                status TEXT NOT NULL,
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
            """,
            "CREATE INDEX \(table.name)_user ON \(table.name) (user_id, \(table.bucketColumn))",
            statement(table, flavor),
        ]
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

    static func statement(_ table: RollupTable, _ flavor: DatabaseFlavor) -> String {
        let bounds = LatencyHistogram.upperBounds
        let buckets = LatencyHistogram.columns.indices.map { index in
            var conditions: [String] = []
            if index > 0 { conditions.append("latency_ms > \(bounds[index - 1])") }
            if index < bounds.count { conditions.append("latency_ms <= \(bounds[index])") }
            return "SUM(CASE WHEN \(conditions.joined(separator: " AND ")) THEN 1 ELSE 0 END)"
        }
        let hour = bucketExpression(table, flavor)
        return """
            INSERT INTO \(table.name) (\(UsageRollupRow.columns(table).joined(separator: ", ")))
            SELECT \(hour), model, provider, caller_type, caller_name, COALESCE(user_id, ''), status,
                COUNT(*), SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
                SUM(prompt_tokens), SUM(completion_tokens), SUM(total_tokens),
                COALESCE(SUM(cost_usd), 0), COUNT(cost_usd), SUM(latency_ms),
                \(buckets.joined(separator: ", ")),
                MAX(latency_ms)
            FROM llm_call_logs
            GROUP BY \(hour), model, provider, caller_type, caller_name, COALESCE(user_id, ''), status
            """
    }
}
