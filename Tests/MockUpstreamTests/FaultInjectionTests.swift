import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Fault injection by model name")
struct FaultInjectionTests {
    struct InjectedError: Sendable, CustomTestStringConvertible {
        var route: MockRoute
        var model: String
        var status: Int
        var errorType: String
        var testDescription: String { "\(route.rawValue) \(model)" }
    }

    static let injectedErrors = [
        InjectedError(route: .openAI, model: "error-429", status: 429, errorType: "requests"),
        InjectedError(route: .openAI, model: "gpt-4o-error-500", status: 500, errorType: "server_error"),
        InjectedError(route: .openAI, model: "mock-error-503", status: 503, errorType: "server_error"),
        InjectedError(route: .anthropic, model: "error-429", status: 429, errorType: "rate_limit_error"),
        InjectedError(route: .anthropic, model: "claude-error-500", status: 500, errorType: "api_error"),
        InjectedError(route: .anthropic, model: "mock-error-503", status: 503, errorType: "overloaded_error"),
        InjectedError(route: .anthropic, model: "error-529", status: 529, errorType: "overloaded_error"),
    ]

    @Test(arguments: injectedErrors)
    func errorModelsAnswerWithThatStatusAndTheRouteErrorShape(_ injected: InjectedError) async throws {
        try await withMockUpstream { client in
            for stream in [false, true] {
                let response = try await client.post(
                    injected.route, injected.route.body(model: injected.model, stream: stream))
                #expect(response.status.code == injected.status)
                #expect(response.contentType == "application/json", "errors come before any stream starts")
                #expect(response.receivedKey == "provider-key")
                let body = try jsonObject(response.body)
                #expect(injected.route.errorType(in: body) == injected.errorType)
                #expect(body.object("error")?.string("message")?.contains(injected.model) == true)
                let retryAfter = response.headers[HTTPField.Name("retry-after")!]
                #expect(retryAfter == (injected.status == 429 ? "7" : nil))
            }
        }
    }

    @Test func openAIRateLimitCarriesItsErrorCode() async throws {
        try await withMockUpstream { client in
            let response = try await client.post(.openAI, MockRoute.openAI.body(model: "error-429"))
            #expect(try jsonObject(response.body).object("error")?.string("code") == "rate_limit_exceeded")
        }
    }

    @Test(arguments: MockRoute.allCases)
    func latencyDelaysTheAnswerThenAnswersNormally(route: MockRoute) async throws {
        try await withMockUpstream { client in
            for stream in [false, true] {
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await client.post(route, route.body(model: "mock-latency-150", stream: stream))
                #expect(clock.now - start >= .milliseconds(150))
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Mock reply to:"))
            }
        }
    }

    @Test(arguments: MockRoute.allCases)
    func slowStreamSpacesItsEvents(route: MockRoute) async throws {
        try await withMockUpstream { client in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await client.post(route, route.body(model: "slow-stream-20", stream: true))
            let events = serverSentEvents(response.body)
            #expect(events.count > 5)
            #expect(clock.now - start >= .milliseconds(20 * (events.count - 1)))
            #expect(try streamPayloads(response.body).isEmpty == false, "every event is still well formed")
        }
    }

    @Test(arguments: MockRoute.allCases)
    func streamCutDropsTheConnectionMidStream(route: MockRoute) async throws {
        try await withMockUpstream { client in
            // A client sees the response fail part-way, never a clean end.
            _ = await #expect(throws: (any Error).self) {
                try await client.post(route, route.body(model: "mock-stream-cut", stream: true))
            }
        }
    }

    @Test(arguments: MockRoute.allCases)
    func streamCutWithoutStreamingSendsHalfAJSONBody(route: MockRoute) async throws {
        try await withMockUpstream { client in
            let response = try await client.post(route, route.body(model: "mock-stream-cut"))
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.hasPrefix("{"))
            #expect(!isJSON(text))
        }
    }

    @Test(arguments: MockRoute.allCases)
    func malformedAnswersAreNotJSON(route: MockRoute) async throws {
        try await withMockUpstream { client in
            let plain = try await client.post(route, route.body(model: "mock-malformed"))
            #expect(plain.status == .ok)
            #expect(!isJSON(String(buffer: plain.body)))

            let stream = try await client.post(route, route.body(model: "mock-malformed", stream: true))
            #expect(stream.status == .ok)
            let payloads = serverSentEvents(stream.body).map(\.data).filter { $0 != "[DONE]" }
            #expect(isJSON(payloads.first ?? ""), "the stream starts well")
            #expect(payloads.contains { !isJSON($0) })
        }
    }

    @Test(arguments: MockRoute.allCases)
    func hangNeverAnswers(route: MockRoute) async throws {
        try await withMockUpstream { client in
            let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = try? await client.post(route, route.body(model: "mock-hang"))
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(300))
                    return false
                }
                let first = try await group.next() ?? true
                group.cancelAll()
                return first
            }
            #expect(answered == false)
        }
    }
}
