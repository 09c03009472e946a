import AsyncHTTPClient
import ConcordCore
import ConcordGateway
import ConcordProviders
import ConcordServer
import ConcordStore
import Foundation
import Hummingbird
import HummingbirdTesting
import MockUpstream
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing

/// Collects the gateway's records in memory, so tests can check exactly what the gateway recorded, and
/// passes them on to the real writer, so the history endpoints read them from the real store.
final class RecordSpy: CallRecorder {
    private let records = Mutex<[CallRecord]>([])
    let writer: LogWriter?
    let store: SQLStore?

    init(writer: LogWriter? = nil, store: SQLStore? = nil) {
        self.writer = writer
        self.store = store
    }

    func record(_ record: CallRecord) {
        records.withLock { $0.append(record) }
        writer?.record(record)
    }

    var all: [CallRecord] { records.withLock { $0 } }

    /// Records are made when a call ends; for streams that can be just after the response is read.
    func waitForRecords(_ count: Int) async throws -> [CallRecord] {
        for _ in 0..<500 where all.count < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        return all
    }
}

enum TestKeys {
    static let gateway = "gateway-test-key"
    static let upstream = "sk-upstream-secret"
    static let environment = ["UPSTREAM_KEY": upstream]
}

/// Models pointing at a running mock upstream, one per fault the tests use.
func upstreamModels(port: Int) -> [ModelConfig] {
    let openAIBase = "http://127.0.0.1:\(port)/v1"
    let anthropicBase = "http://127.0.0.1:\(port)"
    func openAI(_ id: String, _ upstream: String, timeout: Double = 30) -> ModelConfig {
        ModelConfig(
            id: id,
            provider: .openai,
            upstreamModel: upstream,
            apiBase: openAIBase,
            apiKeyEnv: "UPSTREAM_KEY",
            inputCostPerMTok: 1,
            outputCostPerMTok: 2,
            timeoutSeconds: timeout
        )
    }
    return [
        openAI("gpt-mock", "gpt-4o-mini"),
        ModelConfig(
            id: "claude-mock",
            provider: .anthropic,
            upstreamModel: "claude-3-5-haiku",
            apiBase: anthropicBase,
            apiKeyEnv: "UPSTREAM_KEY"
        ),
        openAI("openai-429", "error-429"),
        openAI("openai-500", "error-500"),
        openAI("openai-503", "error-503"),
        openAI("openai-malformed", "malformed"),
        openAI("openai-cut", "stream-cut"),
        openAI("openai-hang", "hang", timeout: 0.5),
        openAI("openai-slow-stream", "slow-stream-200"),
        ModelConfig(id: "unreachable", provider: .openai, apiBase: "http://127.0.0.1:9/v1", apiKeyEnv: "UPSTREAM_KEY"),
    ]
}

/// Runs `body` against the real router, with providers pointed at a live mock upstream.
func withGateway(
    maxBodyBytes: Int = 1 << 20,
    _ body: @Sendable (any TestClientProtocol, RecordSpy, Int) async throws -> Void
) async throws {
    let upstream = Application(
        router: buildMockUpstreamRouter(),
        configuration: .init(address: .hostname("127.0.0.1", port: 0))
    )
    try await upstream.test(.live) { upstreamClient in
        let port = try #require(upstreamClient.port)
        let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let store = try SQLStore(url: "sqlite://:memory:")
        try await store.migrate()
        let spoolPath = FileManager.default.temporaryDirectory.appendingPathComponent("concord-test-\(UUID()).spool")
            .path
        let writer = try LogWriter(
            sink: store, configuration: .init(spoolPath: spoolPath, flushInterval: .milliseconds(5)))
        let writing = Task { try await writer.run() }
        let spy = RecordSpy(writer: writer, store: store)
        let gateway = Gateway(
            catalog: ModelCatalog(models: upstreamModels(port: port), environment: TestKeys.environment),
            providers: standardProviders(httpClient: httpClient),
            recorder: spy
        )
        let router = buildRouter(
            RouterDependencies(
                gateway: gateway,
                history: store,
                verifier: BootstrapKeyVerifier(adminKey: TestKeys.gateway),
                health: HealthController { .init(databaseReachable: true, pendingRecords: 0, spooledRecords: 0) },
                maxBodyBytes: maxBodyBytes,
                defaultModel: "mock/default"
            )
        )
        defer { try? FileManager.default.removeItem(atPath: spoolPath) }
        try await testRouter(router, writing: writing, httpClient: httpClient, store: store) { client in
            try await body(client, spy, port)
        }
    }
}

/// Runs `body` against `router` in the test client, then — whether `body` passed or threw — stops the writer
/// task and closes the upstream client and the store, and rethrows what `body` threw.
func testRouter(
    _ router: Router<GatewayRequestContext>,
    writing: Task<Void, any Error>,
    httpClient: HTTPClient,
    store: SQLStore,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let outcome: Result<Void, any Error>
    do {
        try await Application(router: router).test(.router) { client in try await body(client) }
        outcome = .success(())
    } catch {
        outcome = .failure(error)
    }
    writing.cancel()
    _ = await writing.result
    try? await httpClient.shutdown()
    try? await store.shutdown()
    try outcome.get()
}

extension TestClientProtocol {
    /// POSTs JSON with the gateway key (unless told otherwise) and returns the response.
    func post(
        _ uri: String,
        json: String,
        key: String? = TestKeys.gateway,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = "application/json"
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }
}

func chatBody(model: String, stream: Bool = false, extra: String = "") -> String {
    """
    {"model":"\(model)","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"}],\
    "stream":\(stream)\(extra)}
    """
}

func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
}

/// The `error` object of an error response (the OpenAI shape, or the inner object of Anthropic's).
func errorObject(_ response: TestResponse) throws -> [String: Any] {
    try #require(try jsonObject(response.body)["error"] as? [String: Any])
}
