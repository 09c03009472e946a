import ConcordCore

/// One batch's statements and bound values, built before its transaction opens (so a second batch is built while
/// the first is in the database): the rows to insert, then what follows for the rows the insert did insert — the
/// model counters, then every rollup table, each in key order.
///
/// The follow-ups are built up front assuming every row is new, the usual case; when the insert skipped ids
/// already logged (a retried batch, a replayed spool), they are built again over the rows it inserted, so counters
/// and rollups grow by exactly what the log grew by.
struct BatchStatements: Sendable {
    struct Step: Sendable {
        var statement: BulkStatement
        var rows: [[DatabaseValue]]
    }

    private let records: [CallRecord]
    private let now: DatabaseTimestamp
    /// The insert's rows: `CallLogColumns.values` of each record, run through `CallLogColumns.insert`.
    let rows: [[DatabaseValue]]
    private let followUpsIfAllNew: [Step]

    /// `records` must be sanitised for storage and have distinct ids.
    init(_ records: [CallRecord], now: DatabaseTimestamp = .now()) {
        self.records = records
        self.now = now
        self.rows = records.map(CallLogColumns.values(of:))
        self.followUpsIfAllNew = Self.followUps(of: records, now: now)
    }

    /// The counter and rollup statements for the rows the insert inserted (the ids it returned).
    func followUps(inserted ids: [String]) -> [Step] {
        guard ids.count != records.count else { return followUpsIfAllNew }
        let inserted = Set(ids)
        return Self.followUps(of: records.filter { inserted.contains($0.id) }, now: now)
    }

    private static func followUps(of records: [CallRecord], now: DatabaseTimestamp) -> [Step] {
        let counters = Step(
            statement: ModelCounterDelta.upsert,
            rows: ModelCounterDelta.deltas(of: records).map { $0.values(now: now) })
        let rollups = UsageRollupRow.rowsByTable(of: records).map { table, rows in
            guard let upsert = RollupTable.upserts[table] else { preconditionFailure("no upsert for \(table.name)") }
            return Step(statement: upsert, rows: rows.map { $0.values(table.shape) })
        }
        return ([counters] + rollups).filter { !$0.rows.isEmpty }
    }
}
