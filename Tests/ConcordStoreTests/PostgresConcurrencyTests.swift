import ConcordCore
import Foundation
import SQLKit
import Testing

@testable import ConcordStore

/// Several gateway processes on one PostgreSQL (each a separate store with its own pool here), and a database
/// that goes away under load.
@Suite(
    "PostgreSQL: several stores and outages",
    .enabled(
        if: TestBackend.postgresURL != nil, "CONCORD_TEST_POSTGRES_URL is not set (run through scripts/with-postgres)"),
    .timeLimit(.minutes(2))
)
struct PostgresConcurrencyTests {
    @Test("two processes migrating a fresh database at once both succeed")
    func concurrentMigrations() async throws {
        try await withTestDatabase(.postgres) { database in
            let base = try #require(TestBackend.postgresURL)
            let schema = "test_migrate_" + CallContext.newTraceID().prefix(12)
            let url = base + (base.contains("?") ? "&" : "?") + "search_path=\(schema)"
            let stores = try (0..<3).map { _ in try SQLStore(url: url, logger: quietLogger) }
            try await withThrowingTaskGroup(of: Void.self) { migrators in
                for store in stores { migrators.addTask { try await store.migrate() } }
                try await migrators.waitForAll()
            }
            #expect(try await stores[0].migrationVersions() == Migration.all.map(\.version))
            try await stores[0].connections.withConnection { connection in
                try await connection.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            }
            for store in stores { try await store.shutdown() }
        }
    }

    @Test("PostgreSQL going away mid-load and coming back: every record written once, counters exact")
    func outageAndRecovery() async throws {
        try await withTestDatabase(.postgres) { database in
            // The writer's store logs in as a role of its own; taking that role's logins away (and killing its
            // sessions) is a real outage for this store alone, while the other tests keep the server.
            let role = "outage_" + CallContext.newTraceID().prefix(12)
            let schema = try #require(database.store.schema)
            try await database.store.execute("CREATE ROLE \(ident: role) LOGIN")
            try await database.store.execute("GRANT ALL ON SCHEMA \(ident: schema) TO \(ident: role)")
            try await database.store.execute("GRANT ALL ON ALL TABLES IN SCHEMA \(ident: schema) TO \(ident: role)")
            var components = try #require(URLComponents(string: database.url))
            components.user = role
            let store = try SQLStore(url: try #require(components.string), logger: quietLogger)
            let writer = try LogWriter(
                sink: store,
                configuration: fastWriterConfiguration(spoolPath: database.spoolPath),
                logger: quietLogger
            )
            let records = makeRecords(1_500)
            try await withRunningWriter(writer) {
                for record in records[..<500] { writer.record(record) }
                await writer.flush()

                try await database.store.execute("ALTER ROLE \(ident: role) NOLOGIN")
                try await database.store.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \(bind: role)"
                )
                for record in records[500..<1_000] { writer.record(record) }
                try await eventually("records are spooled while the database is away") { writer.spooledCount > 0 }
                for record in records[1_000...] { writer.record(record) }

                try await database.store.execute("ALTER ROLE \(ident: role) LOGIN")
                await writer.flush()
            }
            try await store.shutdown()
            #expect(try await database.store.rowCount() == 1_500)
            #expect(try await counterTotals(database.store) == expectedTotals(records))
            try await database.store.execute("DROP OWNED BY \(ident: role)")
            try await database.store.execute("DROP ROLE \(ident: role)")
        }
    }

    @Test("a statement on a connection the server has just ended fails instead of waiting forever")
    func statementAfterTheServerEndedTheConnectionFails() async throws {
        try await withTestDatabase(.postgres) { database in
            let killer = try database.openAnotherStore()
            let outcome: Result<Void, any Error>?
            do {
                outcome = try await database.store.connections.withConnection { database -> Result<Void, any Error>? in
                    let connection = try #require((database as? GuardedPostgresDatabase)?.connection)
                    let pid = try #require(
                        try await database.raw("SELECT pg_backend_pid() AS pid")
                            .first(decodingColumn: "pid", as: Int32.self)
                    )
                    try await killer.execute("SELECT pg_terminate_backend(\(bind: pid))")
                    try await eventually("the client sees the server end the connection") { connection.isClosed }
                    // Before the guard this statement was dropped unsent and never answered.
                    return await answer(within: .seconds(30)) { () -> Result<Void, any Error> in
                        do {
                            try await database.raw("ROLLBACK").run()
                            return .success(())
                        } catch {
                            return .failure(error)
                        }
                    }
                }
            } catch {
                try await killer.shutdown()
                throw error
            }
            try await killer.shutdown()
            let ended = try #require(outcome, "the statement neither answered nor failed")
            #expect(throws: StoreError.self) { try ended.get() }
        }
    }

    @Test("a batch larger than one statement may carry is split into several, and every row is written once")
    func largeBatchIsSplit() async throws {
        try await withTestDatabase(.postgres) { database in
            let records = makeRecords(30)
            let values = records.map(CallLogColumns.values(of:))
            // A budget of a few rows per statement stands in for the 64 MiB one.
            let budget = 3 * values[0].reduce(0) { $0 + $1.boundBytes }
            let flavor = database.store.flavor
            let inserted = try await database.store.connections.withConnection { connection in
                try await connection.transaction(flavor) { connection in
                    try await CallLogColumns.insert.run(values, on: connection, postgresBytesPerStatement: budget)
                }
            }
            #expect(Set(inserted) == Set(records.map(\.id)))
            #expect(try await database.store.rowCount() == 30)
            let again = try await database.store.connections.withConnection { connection in
                try await CallLogColumns.insert.run(values, on: connection, postgresBytesPerStatement: budget)
            }
            #expect(again.isEmpty, "a second write inserts nothing")
        }
    }
}
