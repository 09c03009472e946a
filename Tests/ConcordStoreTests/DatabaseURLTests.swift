import ConcordCore
import Testing

@testable import ConcordStore

@Suite("Database URLs")
struct DatabaseURLTests {
    @Test("an unsupported URL is a clear error that does not echo credentials")
    func unsupportedURL() throws {
        let error = try #require(throws: StoreError.self) {
            try SQLStore(url: "mysql://admin:s3cret@db.example:3306/concord", logger: quietLogger)
        }
        #expect(error.code == .unsupportedDatabaseURL)
        #expect(error.message.contains("mysql"))
        #expect(!error.message.contains("s3cret"))
        #expect(throws: StoreError.self) { try SQLStore(url: "sqlite://", logger: quietLogger) }
        #expect(throws: StoreError.self) { try SQLStore(url: "postgres:///nohost", logger: quietLogger) }
    }

    @Test("the accepted URL forms")
    func acceptedForms() throws {
        guard case .sqliteFile(let relative) = try DatabaseLocation(url: "sqlite://./concord.sqlite") else {
            Issue.record("not a SQLite file")
            return
        }
        #expect(relative == "./concord.sqlite")
        guard case .sqliteFile(let absolute) = try DatabaseLocation(url: "sqlite:///var/lib/concord.sqlite") else {
            Issue.record("not a SQLite file")
            return
        }
        #expect(absolute == "/var/lib/concord.sqlite")
        guard case .sqliteMemory = try DatabaseLocation(url: "sqlite://:memory:") else {
            Issue.record("not in memory")
            return
        }
        for url in ["postgres://u:p@localhost:5432/db", "postgresql://u@127.0.0.1/db?sslmode=disable&search_path=s"] {
            guard case .postgres(let configuration) = try DatabaseLocation(url: url) else {
                Issue.record("not PostgreSQL: \(url)")
                continue
            }
            #expect(configuration.coreConfiguration.database == "db")
        }
    }

    @Test("an in-memory SQLite store works end to end")
    func inMemory() async throws {
        let store = try SQLStore(url: "sqlite://:memory:", logger: quietLogger)
        try await store.migrate()
        let record = makeRecord()
        try await store.write([record])
        try await store.write([record])
        #expect(try await store.call(id: record.id) == record)
        #expect(try await counterTotals(store) == expectedTotals([record]))
        try await store.shutdown()
        try await store.shutdown()
    }
}
