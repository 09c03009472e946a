import AsyncHTTPClient
import ConcordCore
import ConcordGateway
import ConcordProviders
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import ConcordServer
@testable import ConcordStore

/// Keys of an admin and two users, for the usage tests.
struct UsageTestKeys: APIKeyVerifier {
    static let admin = "usage-admin-key"
    static let alice = "usage-alice-key"
    static let bob = "usage-bob-key"

    func verify(digest: [UInt8]) async -> AuthenticatedCaller? {
        switch digest {
        case APIKeyHash.sha256(Self.admin): AuthenticatedCaller(userID: "admin", role: .admin)
        case APIKeyHash.sha256(Self.alice): AuthenticatedCaller(userID: "alice", role: .user)
        case APIKeyHash.sha256(Self.bob): AuthenticatedCaller(userID: "bob", role: .user)
        default: nil
        }
    }
}

/// The real router on a real SQLite file, with the built-in mock provider: `priced-mock` has prices, `mock/*`
/// has none, and an unknown model is a recorded error.
func withUsageGateway(
    _ body: @Sendable (any TestClientProtocol, UsageGateway) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-usage-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try SQLStore(url: "sqlite://\(directory.path)/concord.sqlite")
    try await store.migrate()
    let writer = try LogWriter(
        sink: store,
        configuration: .init(spoolPath: directory.appendingPathComponent("spool").path, flushInterval: .milliseconds(5))
    )
    let writing = Task { try await writer.run() }
    let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
    let models = [
        ModelConfig(
            id: "priced-mock", provider: .mock, upstreamModel: "priced", inputCostPerMTok: 3, outputCostPerMTok: 15)
    ]
    let spy = RecordSpy(writer: writer, store: store)
    let gateway = Gateway(
        catalog: ModelCatalog(models: models, environment: [:]),
        providers: standardProviders(httpClient: httpClient),
        recorder: CallMetrics(next: spy)
    )
    let router = buildRouter(
        RouterDependencies(
            gateway: gateway,
            history: store,
            verifier: UsageTestKeys(),
            health: HealthController {
                .init(databaseReachable: true, pendingRecords: writer.pendingCount, spooledRecords: writer.spooledCount)
            },
            maxBodyBytes: 1 << 20,
            defaultModel: "mock/default",
            usage: store
        )
    )
    try await testRouter(router, writing: writing, httpClient: httpClient, store: store) { client in
        try await body(client, UsageGateway(store: store, writer: writer, spy: spy))
    }
}

struct UsageGateway: Sendable {
    let store: SQLStore
    let writer: LogWriter
    let spy: RecordSpy

    /// Makes `count` chat calls as `key`, then waits until they are all in the database.
    func call(_ client: any TestClientProtocol, model: String, key: String, caller: String = "tests", count: Int = 1)
        async throws
    {
        let before = spy.all.count
        for _ in 0..<count {
            _ = try await client.post(
                "/v1/chat/completions",
                json: chatBody(model: model),
                key: key,
                headers: [HTTPField.Name("X-Caller-Type")!: "agent", HTTPField.Name("X-Caller-Name")!: caller]
            )
        }
        _ = try await spy.waitForRecords(before + count)
        await writer.flush()
    }

    /// A number from plain SQL over `llm_call_logs`.
    func sql(_ query: String) async throws -> Double {
        try await store.sqlNumber(query)
    }
}

extension SQLStore {
    func sqlNumber(_ query: String) async throws -> Double {
        let rows = try await connections.withConnection { database in
            try await database.raw(SQLQueryString(query)).all()
        }
        guard let row = rows.first else { return 0 }
        return (try? row.decode(column: "v", as: Double?.self)) ?? 0
    }
}

func get(_ client: any TestClientProtocol, _ uri: String, key: String) async throws -> TestResponse {
    try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(key)"])
}
