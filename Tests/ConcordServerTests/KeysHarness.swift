import ConcordCore
import ConcordGateway
import ConcordServer
import ConcordStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// The whole application as `concord serve` builds it (real key store, verifier, limiter, writer, SQLite file),
/// driven through its router. Keys are made through the admin API, as an operator would.
struct KeyedGateway {
    static let adminKey = "sk-test-admin-bootstrap-7f3a91c2"
    static let providerKey = "sk-test-provider-secret-5be0d4a8"

    let client: any TestClientProtocol
    let directory: URL

    var databasePath: String { directory.appendingPathComponent("concord.sqlite").path }

    /// Runs `body` against a fresh gateway; the app (writer included) is shut down when it returns, so the
    /// database holds every record.
    static func run(
        limits: LimitPolicy = LimitPolicy(),
        recording: RecordingPolicy = .full,
        models: [ModelConfig] = [],
        logger: Logger = Logger(label: "concord.test"),
        _ body: @Sendable (KeyedGateway) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-keys-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await run(in: directory, limits: limits, recording: recording, models: models, logger: logger, body)
    }

    /// As `run`, on a database directory the caller owns (and inspects afterwards).
    static func run(
        in directory: URL,
        limits: LimitPolicy = LimitPolicy(),
        recording: RecordingPolicy = .full,
        models: [ModelConfig] = [],
        logger: Logger = Logger(label: "concord.test"),
        _ body: @Sendable (KeyedGateway) async throws -> Void
    ) async throws {
        var configuration = ServerConfiguration()
        configuration.databaseURL = "sqlite://" + directory.appendingPathComponent("concord.sqlite").path
        configuration.adminKey = adminKey
        configuration.environment = ["PROVIDER_KEY": providerKey]
        configuration.models = models
        configuration.limits = limits
        configuration.recording = recording
        configuration.port = 0
        let app = try await buildApplication(configuration, logger: logger)
        try await app.test(.router) { client in
            try await body(KeyedGateway(client: client, directory: directory))
        }
    }

    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        key: String?,
        json: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// A new key for `user` through `POST /api/llm/keys`: the key and its id.
    func createKey(user: String, role: String = "user") async throws -> (key: String, id: String) {
        let response = try await request(
            .post, "/api/llm/keys", key: Self.adminKey, json: #"{"user_id":"\#(user)","role":"\#(role)"}"#)
        #expect(response.status == .created)
        let body = try jsonObject(response.body)
        return (try #require(body["key"] as? String), try #require(body["id"] as? String))
    }

    /// One chat call; the response with its call and trace ids.
    func chat(key: String, model: String = "mock/demo", message: String = "Hello there") async throws -> TestResponse {
        try await request(
            .post,
            "/v1/chat/completions",
            key: key,
            json:
                #"{"model":"\#(model)","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"\#(message)"}]}"#
        )
    }

    /// The calls the admin sees, once there are at least `count` (records reach the database a moment after the
    /// answer).
    @discardableResult
    func waitForCalls(_ count: Int, query: String = "") async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        for _ in 0..<500 {
            let page = try jsonObject(
                try await request(.get, "/api/llm/logs?limit=500\(query)", key: Self.adminKey).body)
            items = page["items"] as? [[String: Any]] ?? []
            if items.count >= count { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        return items
    }

    func json(_ method: HTTPRequest.Method, _ uri: String, key: String?, body: String? = nil) async throws -> [String:
        Any]
    {
        try jsonObject(try await request(method, uri, key: key, json: body).body)
    }
}

extension TestResponse {
    var callID: String? { headers[HTTPField.Name("X-Call-Id")!] }
    var traceID: String? { headers[HTTPField.Name("X-Trace-Id")!] }
    var text: String { String(buffer: body) }
}

/// Keeps every log line (message and metadata) a logger emits, to look for secrets in.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        var logger = Logger(label: "concord.test") { label in CapturingHandler(label: label, log: self) }
        logger.logLevel = .trace
        return logger
    }

    struct CapturingHandler: LogHandler {
        let label: String
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            log.append("\(event.level) \(label): \(event.message) \(merged)")
        }
    }
}

/// A value tests fill in from inside a gateway run and read afterwards.
final class SharedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    func withLock<T>(_ body: (inout Value) -> T) -> T { storage.withLock { body(&$0) } }
}
