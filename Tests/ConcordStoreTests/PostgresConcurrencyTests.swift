import ConcordCore
import SQLKit
import Testing

@testable import ConcordStore

/// Several gateway processes on one PostgreSQL: each is a separate store (its own pool) here.
@Suite("Several stores on one PostgreSQL", .enabled(if: TestBackend.postgresURL != nil,
    "CONCORD_TEST_POSTGRES_URL is not set (run through scripts/with-postgres)"))
struct PostgresConcurrencyTests {
    @Test("two stores writing at once, with overlapping retries, keep counters exact")
    func concurrentWritersKeepCountersExact() async throws {
        try await withTestDatabase(.postgres) { database in
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
            #expect(try await stores[0].migrationVersions() == [1, 2])
            try await stores[0].connections.withConnection { connection in
                try await connection.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            }
            for store in stores { try await store.shutdown() }
        }
    }
}
