import AsyncHTTPClient
import ConcordCore
import ConcordGateway
import ConcordProviders
import ConcordServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@Suite("Provider keys")
struct ProviderKeyTests {
    /// An upstream that remembers the credentials it was sent.
    final class CapturingUpstream: Sendable {
        let seen = Mutex<[String]>([])

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.post("/v1/chat/completions") { request, _ in
                self.seen.withLock { $0.append(request.headers[.authorization] ?? "") }
                let body =
                    #"{"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"#
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            router.post("/v1/messages") { request, _ in
                self.seen.withLock { $0.append(request.headers[HTTPField.Name("x-api-key")!] ?? "") }
                let body =
                    #"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}"#
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            return router
        }
    }

    @Test("the upstream receives the provider key from api_key_env, never the caller's gateway key")
    func upstreamGetsProviderKey() async throws {
        let upstream = CapturingUpstream()
        let app = Application(router: upstream.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { upstreamClient in
            let port = try #require(upstreamClient.port)
            let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            let models = [
                ModelConfig(
                    id: "o", provider: .openai, apiBase: "http://127.0.0.1:\(port)/v1", apiKeyEnv: "UPSTREAM_KEY"),
                ModelConfig(
                    id: "a", provider: .anthropic, apiBase: "http://127.0.0.1:\(port)", apiKeyEnv: "UPSTREAM_KEY"),
            ]
            let gateway = Gateway(
                catalog: ModelCatalog(models: models, environment: TestKeys.environment),
                providers: standardProviders(httpClient: httpClient),
                recorder: RecordSpy()
            )
            _ = try await gateway.chat(ChatRequest(model: "o", messages: [ChatMessage(role: .user, text: "hi")]))
            _ = try await gateway.chat(ChatRequest(model: "a", messages: [ChatMessage(role: .user, text: "hi")]))
            try await httpClient.shutdown()
            #expect(upstream.seen.withLock { $0 } == ["Bearer \(TestKeys.upstream)", TestKeys.upstream])
        }
    }
}
