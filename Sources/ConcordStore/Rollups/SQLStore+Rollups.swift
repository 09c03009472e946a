import ConcordCore
import SQLKit

extension SQLStore {
    /// Adds what the inserted records sum to (`UsageRollupRow.rowsByTable`) onto every rollup table, inside the
    /// writer's transaction: an upsert that adds to existing rows, so the rollups grow by exactly what the log grew
    /// by and always agree with it.
    static func addRollups(
        _ rowsByTable: [(table: RollupTable, rows: [UsageRollupRow])],
        on database: any SQLDatabase
    ) async throws {
        for (table, rows) in rowsByTable {
            try await addRollups(rows, to: table, on: database)
        }
    }

    private static func addRollups(_ rows: [UsageRollupRow], to table: RollupTable, on database: any SQLDatabase)
        async throws
    {
        guard !rows.isEmpty else { return }
        guard let upsert = RollupTable.upserts[table] else { preconditionFailure("no upsert for \(table.name)") }
        _ = try await upsert.run(rows.map { $0.values(table.shape) }, on: database)
    }
}

extension RollupTable {
    /// Every table's upsert, built once: adds rows of `UsageRollupRow.values` to the table, inserting new keys and
    /// summing into existing ones.
    static let upserts: [RollupTable: BulkStatement] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.makeUpsert()) })

    private func makeUpsert() -> BulkStatement {
        var updates = UsageRollupRow.sumColumns.map { column in "\(column) = \(name).\(column) + excluded.\(column)" }
        updates.append(
            """
            latency_ms_max = CASE WHEN \(name).latency_ms_max < excluded.latency_ms_max \
            THEN excluded.latency_ms_max ELSE \(name).latency_ms_max END
            """
        )
        let columns = UsageRollupRow.columns(self)
        return BulkStatement(
            head: "INSERT INTO \(name) (\(columns.joined(separator: ", ")))",
            tail: """
                ON CONFLICT (\(UsageRollupRow.keyColumns(self).joined(separator: ", "))) \
                DO UPDATE SET \(updates.joined(separator: ", "))
                """,
            width: columns.count
        )
    }
}
