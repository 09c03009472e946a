import ConcordCore
import ConcordWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Chat routes: errors a client can act on")
struct ErrorRouteTests {
    @Test("no key or a wrong key is a 401 in the route's own error shape, and nothing is recorded")
    func unauthorized() async throws {
        try await withGateway { client, spy, _ in
            let missing = try await client.post("/v1/chat/completions", json: chatBody(model: "mock/x"), key: nil)
            #expect(missing.status == .unauthorized)
            #expect(try errorObject(missing)["code"] as? String == "invalid_api_key")
            let wrong = try await client.post("/v1/messages", json: chatBody(model: "mock/x"), key: "nope")
            #expect(wrong.status == .unauthorized)
            let body = try jsonObject(wrong.body)
            #expect(body["type"] as? String == "error")
            #expect((body["error"] as? [String: Any])?["type"] as? String == "authentication_error")
            #expect(spy.all.isEmpty)
        }
    }

    @Test("malformed JSON and invalid fields are 400s naming the problem, with no record")
    func badRequests() async throws {
        try await withGateway { client, spy, _ in
            let notJSON = try await client.post("/v1/chat/completions", json: "{not json")
            #expect(notJSON.status == .badRequest)
            #expect((try errorObject(notJSON)["message"] as? String)?.contains("not valid JSON") == true)
            let missing = try await client.post("/v1/chat/completions", json: #"{"model":"mock/x"}"#)
            #expect(missing.status == .badRequest)
            #expect(try errorObject(missing)["param"] as? String == "messages")
            let callerType = try await client.post(
                "/v1/chat/completions",
                json: chatBody(model: "mock/x"),
                headers: [HTTPField.Name("X-Caller-Type")!: "robot"]
            )
            #expect(callerType.status == .badRequest)
            #expect(try errorObject(callerType)["param"] as? String == "X-Caller-Type")
            let emptyModel = try await client.post("/api/llm/chat", json: #"{"message":"Hi","model":""}"#)
            #expect(emptyModel.status == .badRequest)
            #expect(try errorObject(emptyModel)["param"] as? String == "model")
            let anthropic = try await client.post("/v1/messages", json: #"{"model":"mock/x","messages":"hi"}"#)
            #expect(anthropic.status == .badRequest)
            #expect(
                (try jsonObject(anthropic.body)["error"] as? [String: Any])?["type"] as? String
                    == "invalid_request_error")
            #expect(spy.all.isEmpty)
        }
    }

    @Test("an unknown model is a 404 model_not_found, recorded as an error")
    func unknownModel() async throws {
        try await withGateway { client, spy, _ in
            let response = try await client.post("/v1/chat/completions", json: chatBody(model: "gpt-nine"))
            #expect(response.status == .notFound)
            #expect(try errorObject(response)["code"] as? String == "model_not_found")
            let record = try #require(try await spy.waitForRecords(1).first)
            #expect(record.status == .error && record.model == "gpt-nine" && record.provider == "")
            #expect(record.errorMessage?.contains("gpt-nine") == true)
        }
    }

    @Test("a body over the limit is a 413")
    func oversizedBody() async throws {
        try await withGateway(maxBodyBytes: 1024) { client, spy, _ in
            let big = chatBody(model: "mock/x").replacingOccurrences(
                of: "Hello there", with: String(repeating: "a", count: 4096))
            let response = try await client.post("/v1/chat/completions", json: big)
            #expect(response.status == .contentTooLarge)
            #expect(try errorObject(response)["code"] as? String == "request_too_large")
            #expect(spy.all.isEmpty)
        }
    }

    @Test(
        "upstream failures map to the documented status, are recorded, and the server keeps serving",
        arguments: [
            ("openai-429", 429), ("openai-500", 502), ("openai-503", 502), ("openai-malformed", 502),
            ("unreachable", 502), ("openai-hang", 504),
        ]
    )
    func upstreamFailures(model: String, status: Int) async throws {
        try await withGateway { client, spy, _ in
            let response = try await client.post("/v1/chat/completions", json: chatBody(model: model))
            #expect(Int(response.status.code) == status)
            #expect((try errorObject(response)["message"] as? String)?.isEmpty == false)
            if status == 429 { #expect(response.headers[.retryAfter] == "7") }
            let record = try #require(try await spy.waitForRecords(1).first)
            #expect(record.status == .error && record.provider == "openai")
            #expect(record.errorMessage?.isEmpty == false)
            let after = try await client.post("/v1/chat/completions", json: chatBody(model: "gpt-mock"))
            #expect(after.status == .ok)
        }
    }

    @Test("a stream the upstream cuts ends with an in-stream error and an error record")
    func streamCut() async throws {
        try await withGateway { client, spy, _ in
            let response = try await client.post(
                "/v1/chat/completions", json: chatBody(model: "openai-cut", stream: true))
            #expect(response.status == .ok)
            var parser = SSEParser()
            let events = parser.feed(response.body.readableBytesView) + parser.finish()
            #expect(events.last?.data.contains("\"error\"") == true)
            let record = try #require(try await spy.waitForRecords(1).first)
            #expect(record.status == .error && record.isStream)
            #expect(record.errorMessage?.isEmpty == false)
        }
    }
}
