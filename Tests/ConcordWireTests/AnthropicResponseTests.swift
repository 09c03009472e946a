import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

@Suite("Anthropic Messages format: answers and errors")
struct AnthropicResponseTests {
    private func json(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    private func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    @Test("an upstream answer decodes: text joined, tool calls, stop reason, cached tokens counted as prompt")
    func decodeUpstreamAnswer() throws {
        let response = try AnthropicMessagesFormat.decodeResponse(
            Data(
                """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
                 "content":[{"type":"text","text":"Let me "},{"type":"text","text":"check."},
                  {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":12,"output_tokens":30,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000}}
                """.utf8
            )
        )
        #expect(response.content == "Let me check.")
        #expect(response.toolCalls == [ToolCall(id: "toolu_1", name: "weather", arguments: #"{"city":"Paris"}"#)])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == Usage(promptTokens: 2112, completionTokens: 30))
    }

    @Test("token counts no model could use — negative, or near Int.max — are brought into range, never overflowed")
    func nonsenseUsage() throws {
        let big = Int.max
        let anthropic = try AnthropicMessagesFormat.decodeResponse(
            Data(
                #"{"content":[],"usage":{"input_tokens":\#(big),"output_tokens":\#(big),"cache_read_input_tokens":\#(big)}}"#
                    .utf8))
        let limit = Usage.maximumTokens
        #expect(anthropic.usage?.promptTokens == limit)
        #expect(anthropic.usage?.completionTokens == limit)
        #expect(anthropic.usage?.totalTokens == 2 * limit)
        let openAI = try OpenAIChatFormat.decodeResponse(
            Data(
                #"{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}],"usage":{"prompt_tokens":\#(big),"completion_tokens":-7}}"#
                    .utf8))
        #expect(openAI.usage == Usage(promptTokens: limit, completionTokens: 0))
        #expect(openAI.usage?.totalTokens == limit)
    }

    @Test("an answer with no text has nil content")
    func noText() throws {
        let response = try AnthropicMessagesFormat.decodeResponse(
            Data(#"{"content":[],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":0}}"#.utf8)
        )
        #expect(response.content == nil)
        #expect(response.usage?.totalTokens == 3)
    }

    @Test(
        "stop reasons map to the canonical finish reasons; unknown ones pass through",
        arguments: [
            ("end_turn", FinishReason.stop),
            ("stop_sequence", FinishReason.stop),
            ("max_tokens", FinishReason.length),
            ("tool_use", FinishReason.toolCalls),
            ("refusal", FinishReason.contentFilter),
            ("pause_turn", FinishReason(rawValue: "pause_turn")),
        ]
    )
    func stopReasons(stopReason: String, expected: FinishReason) throws {
        let body =
            #"{"content":[{"type":"text","text":"x"}],"stop_reason":"\#(stopReason)","usage":{"input_tokens":1,"output_tokens":1}}"#
        #expect(try AnthropicMessagesFormat.decodeResponse(Data(body.utf8)).finishReason == expected)
    }

    @Test("an upstream body that is not a message is the upstream's fault (502)")
    func unreadableUpstream() {
        let error = #expect(throws: GatewayError.self) {
            try AnthropicMessagesFormat.decodeResponse(Data("<html>Bad gateway</html>".utf8))
        }
        #expect(error?.kind == .upstreamError)
        #expect(error?.httpStatus == 502)
    }

    @Test("the caller's answer is a full Anthropic message: msg_ id, text then tool_use blocks, null stop_sequence")
    func encodeAnswer() throws {
        let response = ChatResponse(
            content: "Checking the weather.",
            toolCalls: [
                ToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Paris"}"#),
                ToolCall(id: "call_2", name: "weather", arguments: "{not json"),
            ],
            finishReason: .toolCalls,
            usage: Usage(promptTokens: 40, completionTokens: 12)
        )
        let data = AnthropicMessagesFormat.encodeResponse(response, id: "0f1e", model: "claude", created: 1_700_000_000)
        let body = try json(data)
        #expect(body["id"] == .string("msg_0f1e"))
        #expect(body["type"] == .string("message"))
        #expect(body["role"] == .string("assistant"))
        #expect(body["model"] == .string("claude"))
        #expect(body["stop_reason"] == .string("tool_use"))
        #expect(body["stop_sequence"] == .null)
        #expect(body["usage"] == .object(["input_tokens": .number(40), "output_tokens": .number(12)]))
        let content = array(body["content"])
        #expect(content.map { $0["type"] } == [.string("text"), .string("tool_use"), .string("tool_use")])
        #expect(content[0]["text"] == .string("Checking the weather."))
        #expect(content[1]["input"] == .object(["city": .string("Paris")]))
        #expect(content[2]["input"] == .object([:]))
    }

    @Test(
        "finish reasons map back to Anthropic stop reasons",
        arguments: [
            (FinishReason.stop, "end_turn"),
            (FinishReason.length, "max_tokens"),
            (FinishReason.toolCalls, "tool_use"),
            (FinishReason.contentFilter, "refusal"),
            (FinishReason(rawValue: "pause_turn"), "pause_turn"),
            (FinishReason(rawValue: "something_new"), "end_turn"),
        ]
    )
    func encodeStopReason(finishReason: FinishReason, expected: String) throws {
        let response = ChatResponse(content: "x", finishReason: finishReason, usage: nil)
        let body = try json(AnthropicMessagesFormat.encodeResponse(response, id: "msg_1", model: "m", created: 0))
        #expect(body["id"] == .string("msg_1"))
        #expect(body["stop_reason"] == .string(expected))
        #expect(body["usage"] == .object(["input_tokens": .number(0), "output_tokens": .number(0)]))
    }

    @Test(
        "errors use Anthropic's shape with the type its SDKs map to exceptions",
        arguments: [
            (GatewayError(.invalidRequest, "bad"), "invalid_request_error"),
            (GatewayError(.unauthorized, "no key"), "authentication_error"),
            (GatewayError(.forbidden, "not yours"), "permission_error"),
            (GatewayError(.modelNotFound, "no such model"), "not_found_error"),
            (GatewayError(.payloadTooLarge, "too big"), "request_too_large"),
            (GatewayError(.rateLimited, "slow down", upstreamStatus: 429), "rate_limit_error"),
            (GatewayError(.upstreamError, "boom", upstreamStatus: 500), "api_error"),
            (GatewayError(.upstreamTimeout, "slow"), "api_error"),
            (GatewayError(.upstreamError, "busy", upstreamStatus: 529), "overloaded_error"),
            (GatewayError(.upstreamError, "busy", upstreamStatus: 503), "overloaded_error"),
        ]
    )
    func errorShape(error: GatewayError, type: String) throws {
        let body = try json(AnthropicMessagesFormat.encodeError(error))
        #expect(
            body
                == .object([
                    "type": .string("error"),
                    "error": .object(["type": .string(type), "message": .string(error.message)]),
                ])
        )
    }

    @Test("an Anthropic error body's message is read; other bodies give nil")
    func upstreamErrorMessage() {
        let body = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#
        #expect(AnthropicMessagesFormat.upstreamErrorMessage(Data(body.utf8)) == "Overloaded")
        #expect(AnthropicMessagesFormat.upstreamErrorMessage(Data("<html>502</html>".utf8)) == nil)
        #expect(AnthropicMessagesFormat.upstreamErrorMessage(Data(#"{"error":{"type":"x"}}"#.utf8)) == nil)
    }
}
