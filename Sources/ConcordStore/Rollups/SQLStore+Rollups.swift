import ConcordCore
import SQLKit

extension SQLStore {
    /// Adds what `inserted` records sum to onto `llm_usage_hourly` and `llm_usage_daily`, inside the writer's
    /// transaction: an upsert that adds to existing rows, so the rollups grow by exactly what the log grew by and
    /// always agree with it.
    static func addRollups(of inserted: some Sequence<CallRecord>, on database: any SQLDatabase) async throws {
        let records = Array(inserted)
        for table in RollupTable.allCases {
            try await addRollups(UsageRollupRow.rows(of: records, in: table), to: table, on: database)
        }
    }

    private static func addRollups(_ rows: [UsageRollupRow], to table: RollupTable, on database: any SQLDatabase)
        async throws
    {
        guard !rows.isEmpty else { return }
        var updates = UsageRollupRow.sumColumns.map { column in
            "\(column) = \(table.name).\(column) + excluded.\(column)"
        }
        updates.append(
            """
            latency_ms_max = CASE WHEN \(table.name).latency_ms_max < excluded.latency_ms_max \
            THEN excluded.latency_ms_max ELSE \(table.name).latency_ms_max END
            """
        )
        let assignments = updates.joined(separator: ", ")
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + UsageRollupRow.rowsPerStatement, rows.endIndex)
            let values = BulkValues(rows: rows[start..<end].map { $0.values(table.shape) })
            let upsert: SQLQueryString = """
                INSERT INTO \(ident: table.name) (\(idents: UsageRollupRow.columns(table), joinedBy: ", ")) \
                VALUES \(values) ON CONFLICT (\(idents: UsageRollupRow.keyColumns(table), joinedBy: ", ")) DO UPDATE SET \(unsafeRaw: assignments)
                """
            try await database.raw(upsert).run()
            start = end
        }
    }
}
