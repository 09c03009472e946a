import ConcordCore
import Foundation
import Testing

@testable import ConcordStore

/// The writer against real databases: exactly-once rows and exact counters through failures and restarts.
@Suite("Log writer with a database", .timeLimit(.minutes(2)))
struct LogWriterStoreTests {
    @Test(
        "lost commit acknowledgements make the writer retry, and counters still equal the log",
        arguments: TestBackend.available)
    func retriesAfterLostAcknowledgements(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let sink = LostAcknowledgementSink(database.store, failures: 4)
            let writer = try LogWriter(
                sink: sink,
                configuration: fastWriterConfiguration(spoolPath: database.spoolPath),
                logger: quietLogger
            )
            let records = makeRecords(400)
            try await withRunningWriter(writer) {
                for record in records { writer.record(record) }
                await writer.flush()
            }
            #expect(try await database.store.rowCount() == 400)
            #expect(try await counterTotals(database.store) == expectedTotals(records))
        }
    }

    @Test("graceful shutdown right after a burst writes every record", arguments: TestBackend.available)
    func shutdownWritesEverything(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let writer = try LogWriter(
                sink: database.store,
                configuration: LogWriter.Configuration(spoolPath: database.spoolPath),
                logger: quietLogger
            )
            let records = makeRecords(2_000)
            try await withRunningWriter(writer) {
                await withTaskGroup(of: Void.self) { callers in
                    for slice in stride(from: 0, to: records.count, by: 250) {
                        callers.addTask {
                            for record in records[slice..<min(slice + 250, records.count)] { writer.record(record) }
                        }
                    }
                }
            }
            #expect(try await database.store.rowCount() == 2_000)
            #expect(try await counterTotals(database.store) == expectedTotals(records))
            #expect(try recordsInSpool(at: database.spoolPath).isEmpty)
        }
    }

    @Test(
        "a spool left by a stopped process is replayed at the next start, exactly once",
        arguments: TestBackend.available)
    func restartReplaysSpool(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = makeRecords(150)
            // Already written once before the "crash": replaying must not count them again.
            try await database.store.write(Array(records[..<30]))
            try await spoolWithDatabaseDown(records, at: database.spoolPath)
            #expect(try recordsInSpool(at: database.spoolPath).count == 150)

            let writer = try LogWriter(
                sink: database.store,
                configuration: fastWriterConfiguration(spoolPath: database.spoolPath),
                logger: quietLogger
            )
            #expect(writer.spooledCount == 150)
            try await withRunningWriter(writer) { await writer.flush() }
            #expect(writer.spooledCount == 0)
            #expect(try recordsInSpool(at: database.spoolPath).isEmpty)
            #expect(try await database.store.rowCount() == 150)
            #expect(try await counterTotals(database.store) == expectedTotals(records))
        }
    }

    @Test(
        "a batch that fails part way leaves no row and no count, and the store writes again once the fault is gone",
        arguments: TestBackend.available)
    func failedBatchLeavesNothing(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = makeRecords(200)
            try await database.store.write(Array(records[..<100]))
            // The last statement of a batch is the last rollup table's upsert: without the table it fails after
            // the rows, the counters and every other rollup went in, and the transaction must take them back out.
            let last = try #require(RollupTable.allCases.last).name
            try await database.store.execute("ALTER TABLE \(ident: last) RENAME TO \(ident: last + "_away")")
            await #expect(throws: (any Error).self) { try await database.store.write(Array(records[100...])) }
            #expect(try await database.store.rowCount() == 100)
            #expect(try await counterTotals(database.store) == expectedTotals(records[..<100]))
            for table in RollupTable.allCases.dropLast() {
                #expect(try await database.store.requestsSummed(in: table.name) == 100, "\(table.name)")
            }

            try await database.store.execute("ALTER TABLE \(ident: last + "_away") RENAME TO \(ident: last)")
            try await database.store.write(Array(records[100...]))
            #expect(try await database.store.rowCount() == 200)
            #expect(try await counterTotals(database.store) == expectedTotals(records))
            for table in RollupTable.allCases {
                #expect(try await database.store.requestsSummed(in: table.name) == 200, "\(table.name)")
            }
        }
    }

    @Test("a store that was shut down writes nothing more", arguments: TestBackend.available)
    func noWritesAfterShutdown(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = makeRecords(20)
            let store = try database.openAnotherStore()
            try await store.write(Array(records[..<10]))
            try await store.shutdown()
            await #expect(throws: (any Error).self) { try await store.write(Array(records[10...])) }
            #expect(try await database.store.rowCount() == 10)
            #expect(try await counterTotals(database.store) == expectedTotals(records[..<10]))
        }
    }

    @Test(
        "two stores on one database (two gateway processes) writing at once, with overlapping ids, keep counters exact",
        arguments: TestBackend.available)
    func concurrentWritersKeepCountersExact(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let other = try database.openAnotherStore()
            let records = makeRecords(3_000)
            try await withThrowingTaskGroup(of: Void.self) { writers in
                for (index, store) in [database.store, other].enumerated() {
                    writers.addTask {
                        // Each writes all its own half plus a third of the other's: shared ids race.
                        let own = stride(from: index, to: records.count, by: 2).map { records[$0] }
                        let overlap = stride(from: 1 - index, to: records.count, by: 6).map { records[$0] }
                        let mine = own + overlap
                        for start in stride(from: 0, to: mine.count, by: 100) {
                            try await store.write(Array(mine[start..<min(start + 100, mine.count)]))
                        }
                    }
                }
                try await writers.waitForAll()
            }
            try await other.shutdown()
            #expect(try await database.store.rowCount() == 3_000)
            #expect(try await counterTotals(database.store) == expectedTotals(records))
        }
    }

    /// A process whose database is down at shutdown: its records end up in the spool.
    private func spoolWithDatabaseDown(_ records: [CallRecord], at spoolPath: String) async throws {
        let writer = try LogWriter(
            sink: ScriptedSink(down: true),
            configuration: fastWriterConfiguration(spoolPath: spoolPath),
            logger: quietLogger
        )
        try await withRunningWriter(writer) {
            for record in records { writer.record(record) }
        }
    }
}
