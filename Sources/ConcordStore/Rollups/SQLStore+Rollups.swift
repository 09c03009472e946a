import ConcordCore
import SQLKit

extension SQLStore {
    /// Adds what `inserted` records sum to onto `llm_usage_hourly`, inside the writer's transaction: an upsert that
    /// adds to existing rows, so the rollups grow by exactly what the log grew by and always agree with it.
    static func addRollups(of inserted: some Sequence<CallRecord>, on database: any SQLDatabase) async throws {
        let rows = UsageRollupRow.rows(of: inserted)
        guard !rows.isEmpty else { return }
                var updates = UsageRollupRow.sumColumns.map { column in
            "\(column) = llm_usage_hourly.\(column) + excluded.\(column)"
        }
        updates.append(
            """
            latency_ms_max = CASE WHEN llm_usage_hourly.latency_ms_max < excluded.latency_ms_max \
            THEN excluded.latency_ms_max ELSE llm_usage_hourly.latency_ms_max END
            """
        )
        let assignments = updates.joined(separator: ", ")
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + UsageRollupRow.rowsPerStatement, rows.endIndex)
            let values = BulkValues(rows: rows[start..<end].map(\.values))
            let upsert: SQLQueryString = """
                INSERT INTO llm_usage_hourly (\(idents: UsageRollupRow.columns, joinedBy: ", ")) VALUES \(values) \
                ON CONFLICT (\(idents: UsageRollupRow.keyColumns, joinedBy: ", ")) DO UPDATE SET \(unsafeRaw: assignments)
                """
            try await database.raw(upsert).run()
            start = end
        }
    }
}
