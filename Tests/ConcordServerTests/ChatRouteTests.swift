import ConcordCore
import ConcordWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Chat routes: answers and records")
struct ChatRouteTests {
    @Test("a built-in mock model answers with no keys configured, and the call is recorded with its usage")
    func mockModelAnswersAndIsRecorded() async throws {
        try await withGateway { client, spy, _ in
            let response = try await client.post("/v1/chat/completions", json: chatBody(model: "mock/demo"))
            #expect(response.status == .ok)
            let body = try jsonObject(response.body)
            let usage = try #require(body["usage"] as? [String: Any])
            let callID = try #require(response.headers[HTTPField.Name("X-Call-Id")!])
            #expect(body["id"] as? String == "chatcmpl-\(callID)")
            let records = try await spy.waitForRecords(1)
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(record.id == callID)
            #expect(record.model == "mock/demo" && record.provider == "mock")
            #expect(record.status == .success)
            #expect(record.promptTokens == usage["prompt_tokens"] as? Int)
            #expect(record.completionTokens == usage["completion_tokens"] as? Int)
            #expect(record.systemPrompt == "Be brief.")
            #expect(record.userMessage == "Hello there")
            #expect(record.messagesCount == 2)
            #expect(record.callerType == .api && record.callerName == "/v1/chat/completions")
            #expect(record.userID == "admin")
            #expect(record.costUSD == nil, "an unpriced model records NULL cost, never 0")
        }
    }

    @Test("an OpenAI-compatible upstream's answer is passed on and its usage priced in the record")
    func openAIUpstream() async throws {
        try await withGateway { client, spy, _ in
            let response = try await client.post("/v1/chat/completions", json: chatBody(model: "gpt-mock"))
            #expect(response.status == .ok)
            let body = try jsonObject(response.body)
            #expect(body["model"] as? String == "gpt-mock")
            let record = try #require(try await spy.waitForRecords(1).first)
            #expect(record.provider == "openai")
            #expect(record.totalTokens > 0)
            let expectedCost = (Double(record.promptTokens) * 1 + Double(record.completionTokens) * 2) / 1_000_000
            #expect(record.costUSD == expectedCost)
            #expect(record.responseContent?.isEmpty == false)
        }
    }

    @Test("a streamed call forwards SSE and records the assembled answer, usage and time to first token")
    func streamedOpenAIUpstream() async throws {
        try await withGateway { client, spy, _ in
            let plain = try await client.post("/v1/chat/completions", json: chatBody(model: "gpt-mock"))
            let plainText = try #require(
                ((try jsonObject(plain.body)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?[
                    "content"] as? String)
            let response = try await client.post(
                "/v1/chat/completions", json: chatBody(model: "gpt-mock", stream: true))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            var parser = SSEParser()
            let events = parser.feed(response.body.readableBytesView) + parser.finish()
            #expect(events.last?.data == "[DONE]")
            #expect(!events.contains { $0.data.contains("\"usage\"") }, "usage is shown only to callers who ask")
            let records = try await spy.waitForRecords(2)
            let streamed = try #require(records.last)
            #expect(streamed.isStream)
            #expect(streamed.responseContent == plainText)
            #expect(streamed.promptTokens == records[0].promptTokens)
            #expect(streamed.completionTokens == records[0].completionTokens)
            #expect(streamed.finishReason == "stop")
            #expect(streamed.ttftMs != nil)
        }
    }

    @Test("an Anthropic-format caller can use an OpenAI-backed model, streamed and not")
    func anthropicCallerOpenAIBackend() async throws {
        try await withGateway { client, spy, _ in
            let request = #"{"model":"gpt-mock","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}"#
            let response = try await client.post("/v1/messages", json: request)
            #expect(response.status == .ok)
            let body = try jsonObject(response.body)
            #expect(body["type"] as? String == "message")
            #expect(body["stop_reason"] as? String == "end_turn")
            let streamedRequest =
                #"{"model":"gpt-mock","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
            let streamed = try await client.post("/v1/messages", json: streamedRequest)
            var parser = SSEParser()
            let events = parser.feed(streamed.body.readableBytesView) + parser.finish()
            #expect(events.first?.event == "message_start")
            #expect(events.last?.event == "message_stop")
            let records = try await spy.waitForRecords(2)
            #expect(records.map(\.callerName) == ["/v1/messages", "/v1/messages"])
            #expect(records.allSatisfy { $0.status == .success && $0.totalTokens > 0 })
        }
    }

    @Test("an OpenAI-format caller can use an Anthropic-backed model, with tool calls")
    func openAICallerAnthropicBackend() async throws {
        try await withGateway { client, spy, _ in
            let request = chatBody(
                model: "claude-mock",
                extra:
                    #","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"#
            )
            let response = try await client.post("/v1/chat/completions", json: request)
            #expect(response.status == .ok)
            let choice = try #require((try jsonObject(response.body)["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "tool_calls")
            let call = try #require(((choice["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])?.first)
            #expect((call["function"] as? [String: Any])?["name"] as? String == "get_weather")
            let record = try #require(try await spy.waitForRecords(1).first)
            #expect(record.provider == "anthropic")
            #expect(record.toolCalls?.contains("get_weather") == true)
            #expect(record.finishReason == "tool_calls")
        }
    }

    @Test("the simple API answers with content, usage and the call's ids")
    func simpleAPI() async throws {
        try await withGateway { client, spy, _ in
            let response = try await client.post("/api/llm/chat", json: #"{"message":"Hi","system":"Be nice"}"#)
            #expect(response.status == .ok)
            let body = try jsonObject(response.body)
            #expect((body["content"] as? String)?.isEmpty == false)
            #expect(body["model"] as? String == "mock/default")
            let record = try #require(try await spy.waitForRecords(1).first)
            #expect(body["call_id"] as? String == record.id)
            #expect(body["trace_id"] as? String == record.traceID)
            #expect(record.systemPrompt == "Be nice")
        }
    }

    @Test("GET /v1/models lists the configured models")
    func modelList() async throws {
        try await withGateway { client, _, _ in
            let response = try await client.execute(
                uri: "/v1/models",
                method: .get,
                headers: [.authorization: "Bearer \(TestKeys.gateway)"]
            )
            let ids = (try jsonObject(response.body)["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids?.contains("gpt-mock") == true)
            #expect(ids?.contains("claude-mock") == true)
        }
    }

    @Test("trace headers place the call in the caller's trace and name the caller")
    func traceHeaders() async throws {
        try await withGateway { client, spy, _ in
            let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
            let response = try await client.post(
                "/v1/chat/completions",
                json: chatBody(model: "mock/x"),
                headers: [
                    HTTPField.Name("traceparent")!: "00-\(trace)-00f067aa0ba902b7-01",
                    HTTPField.Name("X-Parent-Call-Id")!: "parent-1",
                    HTTPField.Name("X-Caller-Type")!: "agent",
                    HTTPField.Name("X-Caller-Name")!: "router-agent",
                ]
            )
            #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == trace)
            let record = try #require(try await spy.waitForRecords(1).first)
            // This call's span in the caller's trace: the call id's first 16 hex digits.
            let span = String(record.id.filter { $0 != "-" }.prefix(16))
            #expect(response.headers[HTTPField.Name("traceparent")!] == "00-\(trace)-\(span)-01")
            #expect(record.traceID == trace)
            #expect(record.parentCallID == "parent-1")
            #expect(record.callerType == .agent && record.callerName == "router-agent")
        }
    }
}
