public import ConcordCore
import SQLKit

extension SQLStore: RecordSink {
    /// Two batches at once. On PostgreSQL two transactions: while one waits on the server the other's rows are
    /// parsed and inserted, and the server's work runs on both cores; counters and rollups are added in key order,
    /// so the two never deadlock. On a SQLite file, one batch's values and sums are built while the other is in
    /// SQLite, which takes their transactions one after the other (`SQLiteWriteConnection`). In memory, one.
    public var parallelBatches: Int { flavor == .postgres || sqliteWriteConnection != nil ? 2 : 1 }

    /// Writes a batch in one transaction: inserts the rows, skipping ids already present, then adds to each
    /// model's counters and to the rollups exactly what was inserted.
    ///
    /// Because counters and rollups grow only by the rows the insert added, a batch written twice (a retry after a lost
    /// commit acknowledgement, a spool replayed after a crash) adds nothing the second time: counters always
    /// equal the log.
    public func write(_ batch: [CallRecord]) async throws {
        var seen = Set<String>()
        let records = batch.map { $0.sanitizedForStorage() }.filter { seen.insert($0.id).inserted }
        guard !records.isEmpty else { return }
        let statements = BatchStatements(records)
        if let writeConnection = sqliteWriteConnection {
            try await writeConnection.transaction { session in
                let inserted = try session.run(CallLogColumns.insert, statements.rows)
                for step in statements.followUps(inserted: inserted) {
                    _ = try session.run(step.statement, step.rows)
                }
            }
            return
        }
        let flavor = self.flavor
        try await connections.withConnection { database in
            try await database.transaction(flavor) { database in
                let inserted = try await CallLogColumns.insert.run(statements.rows, on: database)
                for step in statements.followUps(inserted: inserted) {
                    _ = try await step.statement.run(step.rows, on: database)
                }
            }
        }
    }
}
