import ConcordCore
import ConcordServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockUpstream
import Synchronization
import Testing

@Suite("Secrets never leak")
struct KeysSecretTests {
    @Test("no API key, provider key or Authorization header is in the database files, the server's log or metrics")
    func secretsStayOut() async throws {
        let upstream = Application(
            router: buildMockUpstreamRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await upstream.test(.live) { upstreamClient in
            let port = try #require(upstreamClient.port)
            let base = "http://127.0.0.1:\(port)/v1"
            let models = [
                ModelConfig(
                    id: "live", provider: .openai, upstreamModel: "gpt-4o-mini", apiBase: base,
                    apiKeyEnv: "PROVIDER_KEY"),
                ModelConfig(
                    id: "failing", provider: .openai, upstreamModel: "error-500", apiBase: base,
                    apiKeyEnv: "PROVIDER_KEY"),
            ]
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-secrets-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let log = CapturedLog()
            let secrets = SharedValue([
                KeyedGateway.adminKey, KeyedGateway.providerKey, "sk-concord-never-issued-0123456789",
            ])
            let metrics = SharedValue("")
            try await KeyedGateway.run(in: directory, models: models, logger: log.logger) { gateway in
                let alice = try await gateway.createKey(user: "alice")
                let ops = try await gateway.createKey(user: "ops", role: "admin")
                secrets.withLock { $0 += [alice.key, ops.key] }
                #expect(try await gateway.chat(key: alice.key, model: "live").status == .ok)
                #expect(try await gateway.chat(key: alice.key, model: "failing").status == .badGateway)
                #expect(try await gateway.chat(key: ops.key, model: "live").status == .ok)
                #expect(try await gateway.chat(key: "sk-concord-never-issued-0123456789").status == .unauthorized)
                #expect(try await gateway.request(.delete, "/api/llm/keys/\(alice.id)", key: ops.key).status == .ok)
                #expect(try await gateway.chat(key: alice.key).status == .unauthorized)
                try await gateway.waitForCalls(3)
                let scraped = try await gateway.request(.get, "/metrics", key: nil)
                metrics.withLock { $0 = scraped.text }
            }
            let keys = secrets.withLock { $0 }
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(files.contains("concord.sqlite"))
            for file in files {
                let bytes = try Data(contentsOf: directory.appendingPathComponent(file))
                for key in keys {
                    #expect(bytes.range(of: Data(key.utf8)) == nil, "a key is in \(file) in plain text")
                }
            }
            let logText = log.text
            #expect(!logText.isEmpty, "the server's log was captured")
            for key in keys {
                #expect(!logText.contains(key), "a key is in the server's log")
                #expect(!metrics.withLock { $0 }.contains(key), "a key is in the metrics")
            }
            #expect(!logText.lowercased().contains("bearer "), "an Authorization header is in the server's log")
        }
    }
}
