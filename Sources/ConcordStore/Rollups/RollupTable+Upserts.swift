import ConcordCore

extension RollupTable {
    /// Every table's upsert, built once: adds rows of `UsageRollupRow.values` to the table, inserting new keys and
    /// summing into existing ones. The writer runs them in the transaction that inserts the calls
    /// (`BatchStatements`), so the rollups grow by exactly what the log grew by and always agree with it.
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
            conflict: """
                ON CONFLICT (\(UsageRollupRow.keyColumns(self).joined(separator: ", "))) \
                DO UPDATE SET \(updates.joined(separator: ", "))
                """,
            width: columns.count
        )
    }
}
