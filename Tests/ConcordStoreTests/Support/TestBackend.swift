import Foundation
import Logging
import SQLKit
import Testing

@testable import ConcordStore

/// The databases a storage test runs on: SQLite always, PostgreSQL when `CONCORD_TEST_POSTGRES_URL` is set
/// (`scripts/with-postgres swift test` sets it).
enum TestBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL = ProcessInfo.processInfo.environment["CONCORD_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    static var available: [TestBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

let quietLogger = Logger(label: "concord.store.tests") { _ in SwiftLogNoOpLogHandler() }

/// A fresh, migrated database of its own for one test: a temporary SQLite file, or a new schema in the test
/// PostgreSQL database (so tests run in parallel without seeing each other's rows).
struct TestDatabase: Sendable {
    let backend: TestBackend
    /// Opens the same database again (a second gateway process, a restart).
    let url: String
    let store: SQLStore
    private let directory: URL
    private let schema: String?

    static func make(_ backend: TestBackend) async throws -> TestDatabase {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("concord-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url: String
        var schema: String?
        switch backend {
        case .sqlite:
            url = "sqlite://\(directory.path)/concord.sqlite"
        case .postgres:
            let base = try #require(TestBackend.postgresURL)
            let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            schema = name
            url = base + (base.contains("?") ? "&" : "?") + "search_path=\(name)"
        }
        let store = try SQLStore(url: url, logger: quietLogger)
        try await store.migrate()
        return TestDatabase(backend: backend, url: url, store: store, directory: directory, schema: schema)
    }

    /// A spool path in this test's own folder.
    var spoolPath: String { directory.appendingPathComponent("spool.jsonl").path }

    func openAnotherStore() throws -> SQLStore {
        try SQLStore(url: url, logger: quietLogger)
    }

    func destroy() async {
        if let schema {
            try? await store.connections.withConnection { database in
                try await database.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            }
        }
        try? await store.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh database and always removes it afterwards.
func withTestDatabase(
    _ backend: TestBackend,
    _ body: (TestDatabase) async throws -> Void
) async throws {
    let database = try await TestDatabase.make(backend)
    do {
        try await body(database)
    } catch {
        await database.destroy()
        throw error
    }
    await database.destroy()
}

/// A temporary folder for tests that need only a spool.
func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("concord-writer-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory)
}

extension SQLStore {
    /// `count(*)` and `sum(total_tokens)` of the logged rows, per model: what the counters must equal.
    func rowTotals() async throws -> [String: RowTotals] {
        try await connections.withConnection { database in
            let rows = try await database.raw(
                "SELECT model, COUNT(*) AS requests, CAST(SUM(total_tokens) AS BIGINT) AS tokens FROM llm_call_logs GROUP BY model"
            ).all()
            var totals: [String: RowTotals] = [:]
            for row in rows {
                totals[try row.decode(column: "model", as: String.self)] = RowTotals(
                    requests: try row.decode(column: "requests", as: Int.self),
                    tokens: try row.decode(column: "tokens", as: Int.self)
                )
            }
            return totals
        }
    }

    /// The requests a rollup table has summed, over all its rows.
    func requestsSummed(in table: String) async throws -> Int {
        try await connections.withConnection { database in
            let row = try await database.raw(
                "SELECT CAST(SUM(requests) AS BIGINT) AS requests FROM \(ident: table)"
            ).first()
            return try row?.decode(column: "requests", as: Int?.self) ?? 0
        }
    }

    func rowCount() async throws -> Int {
        try await rowTotals().values.reduce(0) { $0 + $1.requests }
    }

    /// The column names of a table, as the database reports them.
    func columnNames(of table: String) async throws -> Set<String> {
        let flavor = self.flavor
        return try await connections.withConnection { database in
            let query: SQLQueryString =
                switch flavor {
                case .sqlite: "SELECT name AS column_name FROM pragma_table_info(\(bind: table))"
                case .postgres:
                    "SELECT column_name::text AS column_name FROM information_schema.columns WHERE table_name = \(bind: table) AND table_schema = current_schema()"
                }
            return Set(
                try await database.raw(query).all().map { try $0.decode(column: "column_name", as: String.self) })
        }
    }

    func migrationVersions() async throws -> [Int] {
        try await connections.withConnection { database in
            try await database.raw("SELECT version FROM concord_migrations ORDER BY version").all()
                .map { try $0.decode(column: "version", as: Int.self) }
        }
    }
}

struct RowTotals: Sendable, Hashable, CustomStringConvertible {
    var requests: Int
    var tokens: Int
    var description: String { "\(requests) requests / \(tokens) tokens" }
}

/// Model id → (total_requests, total_tokens) as the counters say.
func counterTotals(_ store: SQLStore) async throws -> [String: RowTotals] {
    var totals: [String: RowTotals] = [:]
    for model in try await store.models() where model.totalRequests > 0 || model.totalTokens > 0 {
        totals[model.modelID] = RowTotals(requests: model.totalRequests, tokens: model.totalTokens)
    }
    return totals
}

extension SQLStore {
    /// Runs one statement of test setup (roles, grants) on this store's database.
    func execute(_ statement: SQLQueryString) async throws {
        try await connections.withConnection { database in
            try await database.raw(statement).run()
        }
    }
}
