import ConcordCore
import ConcordGateway
import ConcordProviders
import Synchronization
import Testing

@Suite("Routing and the interception point")
struct RoutingTests {
    let models = [
        ModelConfig(id: "claude", provider: .anthropic, upstreamModel: "claude-x", apiKeyEnv: "A_KEY"),
        ModelConfig(id: "off", provider: .openai, enabled: false),
    ]

    @Test("configured ids route to their provider with the key from api_key_env")
    func configured() throws {
        let catalog = ModelCatalog(models: models, environment: ["A_KEY": "secret", "OTHER": "x"])
        let route = try catalog.route(for: "claude")
        #expect(route.model.provider == .anthropic && route.model.upstreamModel == "claude-x")
        #expect(route.apiKey == "secret")
    }

    @Test("mock/<anything> always routes; provider/model only for a configured provider; other names are 404")
    func directNames() throws {
        let catalog = ModelCatalog(
            models: models,
            providers: [.openai: ProviderSettings(apiBase: "http://h/v1", apiKeyEnv: "O_KEY")],
            environment: ["O_KEY": "k"]
        )
        #expect(try catalog.route(for: "mock/anything").model.provider == .mock)
        let direct = try catalog.route(for: "openai/gpt-4o-mini")
        #expect(
            direct.model.upstreamModel == "gpt-4o-mini" && direct.model.apiBase == "http://h/v1" && direct.apiKey == "k"
        )
        for name in ["anthropic/claude-3", "gpt-nine", "off", "openai/", ""] {
            #expect(throws: GatewayError.self, "\(name)") { try catalog.route(for: name) }
            #expect((try? catalog.route(for: name)) == nil)
        }
        do {
            _ = try catalog.route(for: "gpt-nine")
        } catch {
            #expect(error.kind == .modelNotFound && error.httpStatus == 404)
        }
    }

    final class Records: CallRecorder {
        let all = Mutex<[CallRecord]>([])
        func record(_ record: CallRecord) { all.withLock { $0.append(record) } }
    }

    @Test("an unknown model is still recorded, once, as an error naming the model")
    func unknownModelRecorded() async throws {
        let records = Records()
        let gateway = Gateway(
            catalog: ModelCatalog(models: [], environment: [:]), providers: [.mock: MockProvider()], recorder: records)
        await #expect(throws: GatewayError.self) {
            try await gateway.chat(ChatRequest(model: "nope", messages: [ChatMessage(role: .user, text: "hi")]))
        }
        let all = records.all.withLock { $0 }
        #expect(all.count == 1)
        #expect(
            all.first?.status == .error && all.first?.model == "nope"
                && all.first?.errorMessage?.contains("nope") == true)
    }

    @Test("a stream abandoned before its end is recorded once, as the caller going away")
    func abandonedStream() async throws {
        let records = Records()
        let gateway = Gateway(
            catalog: ModelCatalog(models: [], environment: [:]), providers: [.mock: MockProvider()], recorder: records)
        do {
            let stream = try await gateway.openStream(
                ChatRequest(
                    model: "mock/x", messages: [ChatMessage(role: .user, text: "a long question here")], stream: true)
            )
            var iterator = stream.events.makeAsyncIterator()
            _ = try await iterator.next()
        }
        let all = records.all.withLock { $0 }
        #expect(all.count == 1)
        #expect(all.first?.status == .error && all.first?.isStream == true)
        #expect(all.first?.responseContent?.isEmpty == false, "what was sent before the caller left is kept")
    }

    /// Streams `count` events of 1 MiB of text each, then stops.
    struct FloodProvider: Provider {
        let count: Int
        func complete(_ request: ChatRequest, route: ModelRoute) async throws -> ChatResponse {
            ChatResponse(content: nil, finishReason: .stop, usage: nil)
        }
        func stream(_ request: ChatRequest, route: ModelRoute) async throws -> ChatEventStream {
            let megabyte = String(repeating: "x", count: 1 << 20)
            return ChatEventStream(events: Array(repeating: .textDelta(megabyte), count: count) + [.finished(.stop)])
        }
    }

    @Test("a streamed answer longer than a whole answer may be reaches the caller whole; its record keeps 64 MiB")
    func endlessStreamIsRecordedBounded() async throws {
        let records = Records()
        let gateway = Gateway(
            catalog: ModelCatalog(models: [], environment: [:]), providers: [.mock: FloodProvider(count: 80)],
            recorder: records)
        let stream = try await gateway.openStream(
            ChatRequest(model: "mock/flood", messages: [ChatMessage(role: .user, text: "go")], stream: true))
        var received = 0
        for try await event in stream.events {
            if case .textDelta(let text) = event { received += text.utf8.count }
        }
        #expect(received == 80 << 20)
        let all = records.all.withLock { $0 }
        #expect(all.count == 1)
        #expect(all.first?.status == .success)
        #expect((all.first?.responseContent?.utf8.count ?? 0) == 64 << 20)
    }
}
