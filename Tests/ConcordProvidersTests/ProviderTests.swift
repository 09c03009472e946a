import ConcordCore
import Foundation
import Testing

@testable import ConcordProviders

@Suite("Providers")
struct ProviderTests {
    private let route = ModelRoute(model: ModelConfig(id: "mock/x", provider: .mock), apiKey: nil)

    private func request(_ text: String, stream: Bool = false, tools: [ToolDefinition] = []) -> ChatRequest {
        ChatRequest(model: "mock/x", messages: [ChatMessage(role: .user, text: text)], tools: tools, stream: stream)
    }

    @Test("the built-in mock answers the same text and usage streamed or not")
    func mockStreamMatchesPlain() async throws {
        let plain = try await MockProvider().complete(request("Hello mock"), route: route)
        var text = ""
        var usage: Usage?
        var finish: FinishReason?
        for try await event in try await MockProvider().stream(request("Hello mock", stream: true), route: route) {
            switch event {
            case .textDelta(let delta): text += delta
            case .usage(let value): usage = value
            case .finished(let reason): finish = reason
            default: break
            }
        }
        #expect(text == plain.content)
        #expect(usage == plain.usage)
        #expect(finish == .stop)
        #expect((plain.usage?.promptTokens ?? 0) > 0 && (plain.usage?.completionTokens ?? 0) > 0)
    }

    @Test("the built-in mock calls an offered tool with JSON arguments")
    func mockToolCall() async throws {
        let tool = ToolDefinition(name: "lookup", parameters: .object(["type": .string("object")]))
        let answer = try await MockProvider().complete(request("find \"it\"", tools: [tool]), route: route)
        #expect(answer.finishReason == .toolCalls)
        let call = try #require(answer.toolCalls.first)
        #expect(call.name == "lookup")
        #expect(
            try JSONDecoder().decode(JSONValue.self, from: Data(call.arguments.utf8))["input"]?.stringValue
                == "find \"it\"")
    }

    @Test("api_base overrides the default base URL, with or without a trailing slash")
    func endpointURLs() {
        #expect(UpstreamEndpoint.openAI.url(apiBase: nil) == "https://api.openai.com/v1/chat/completions")
        #expect(UpstreamEndpoint.openAI.url(apiBase: "http://h:1/v1/") == "http://h:1/v1/chat/completions")
        #expect(UpstreamEndpoint.anthropic.url(apiBase: "http://h:2") == "http://h:2/v1/messages")
        #expect(UpstreamEndpoint.anthropic.headers("k")["x-api-key"] == ["k"])
        #expect(UpstreamEndpoint.openAI.headers("k")["authorization"] == ["Bearer k"])
        #expect(UpstreamEndpoint.openAI.headers(nil)["authorization"].isEmpty)
    }

    @Test(
        "upstream statuses map to what the caller can act on",
        arguments: [(429, 429), (500, 502), (503, 502), (401, 502), (403, 502), (400, 400), (404, 400), (418, 502)]
    )
    func statusMapping(upstream: Int, expected: Int) {
        let error = UpstreamFailure.gatewayError(status: upstream, message: "m", retryAfter: "3")
        #expect(error.httpStatus == expected)
        #expect(error.message.contains("m"))
        if upstream == 429 { #expect(error.retryAfter == "3") }
    }
}
