import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

@Suite("Anthropic Messages format: streams")
struct AnthropicStreamTests {
    /// A stream as Anthropic sends it: cached prompt, text, two tool calls, a ping, usage at the end.
    private let upstreamStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":1000,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking "}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"both."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_A","name":"weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": "}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_B","name":"weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Rome\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":2}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":57}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    private func parse(_ text: String) -> [SSEEvent] {
        var parser = SSEParser()
        return parser.feed(Array(text.utf8)) + parser.finish()
    }

    private func json(_ event: SSEEvent) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(event.data.utf8))
    }

    private func decodeAll(_ events: [SSEEvent]) throws(GatewayError) -> (events: [StreamEvent], complete: Bool) {
        var decoder = AnthropicMessagesFormat.makeStreamDecoder()
        var result: [StreamEvent] = []
        for event in events { result += try decoder.decode(event) }
        return (result, decoder.isComplete)
    }

    // MARK: Upstream

    @Test("an upstream stream decodes to text, numbered tool calls, finish and usage with cached prompt tokens")
    func decodeUpstreamStream() throws {
        let (events, complete) = try decodeAll(parse(upstreamStream))
        #expect(
            events == [
                .textDelta("Checking "),
                .textDelta("both."),
                .toolCallStarted(index: 0, id: "toolu_A", name: "weather"),
                .toolCallArgumentsDelta(index: 0, fragment: #"{"city": "#),
                .toolCallArgumentsDelta(index: 0, fragment: #""Paris"}"#),
                .toolCallStarted(index: 1, id: "toolu_B", name: "weather"),
                .toolCallArgumentsDelta(index: 1, fragment: #"{"city": "Rome"}"#),
                .finished(.toolCalls),
                .usage(Usage(promptTokens: 1025, completionTokens: 57)),
            ]
        )
        #expect(complete)
    }

    @Test("input counts in message_delta (newer API versions) replace the ones from message_start")
    func usageFromMessageDelta() throws {
        let events = [
            SSEEvent(
                event: "message_start",
                data:
                    #"{"type":"message_start","message":{"content":[],"usage":{"input_tokens":10,"output_tokens":1}}}"#
            ),
            SSEEvent(
                event: "message_delta",
                data:
                    #"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":12,"cache_read_input_tokens":5,"output_tokens":100}}"#
            ),
        ]
        let (decoded, complete) = try decodeAll(events)
        #expect(decoded == [.finished(.length), .usage(Usage(promptTokens: 17, completionTokens: 100))])
        #expect(!complete)
    }

    @Test(
        "an error event ends the stream with an error; overload and rate limits are told apart",
        arguments: [
            ("overloaded_error", GatewayError.Kind.rateLimited),
            ("rate_limit_error", GatewayError.Kind.rateLimited),
            ("api_error", GatewayError.Kind.upstreamError),
        ]
    )
    func errorEvent(type: String, kind: GatewayError.Kind) {
        var decoder = AnthropicMessagesFormat.makeStreamDecoder()
        let event = SSEEvent(
            event: "error", data: #"{"type":"error","error":{"type":"\#(type)","message":"Try later"}}"#)
        let error = #expect(throws: GatewayError.self) { try decoder.decode(event) }
        #expect(error?.kind == kind)
        #expect(error?.message == "Try later")
    }

    @Test("an event that is not JSON is the upstream's fault")
    func unreadableEvent() {
        var decoder = AnthropicMessagesFormat.makeStreamDecoder()
        let error = #expect(throws: GatewayError.self) {
            try decoder.decode(SSEEvent(event: "content_block_delta", data: "{oops"))
        }
        #expect(error?.kind == .upstreamError)
    }

    // MARK: Caller

    @Test("the caller's stream follows Anthropic's event order with one block open at a time")
    func encodeCallerStream() throws {
        var encoder = AnthropicMessagesFormat.makeStreamEncoder(
            id: "abc", model: "claude", created: 0, includeUsage: false)
        var text = ""
        let input: [StreamEvent] = [
            .textDelta("Let me "),
            .textDelta("check."),
            .toolCallStarted(index: 0, id: "call_1", name: "weather"),
            .toolCallArgumentsDelta(index: 0, fragment: #"{"city":"#),
            .toolCallArgumentsDelta(index: 0, fragment: #""Paris"}"#),
            .toolCallStarted(index: 1, id: "call_2", name: "time"),
            .toolCallArgumentsDelta(index: 1, fragment: "{}"),
            .finished(.toolCalls),
            .usage(Usage(promptTokens: 80, completionTokens: 20)),
        ]
        for event in input { encoder.encode(event, into: &text) }
        encoder.finish(into: &text)

        let events = parse(text)
        let bodies = try events.map { try json($0) }
        // Every event is named after its data's type.
        #expect(events.map(\.event) == bodies.map { $0["type"]?.stringValue })
        #expect(
            events.compactMap(\.event) == [
                "message_start",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ]
        )
        #expect(
            bodies.map { $0["index"] }
                == [nil, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, nil, nil].map { $0.map { JSONValue.number(Double($0)) } })

        let message = try #require(bodies[0]["message"])
        #expect(message["id"] == .string("msg_abc"))
        #expect(message["content"] == .array([]))
        #expect(message["stop_reason"] == .null)
        #expect(message["usage"] == .object(["input_tokens": .number(0), "output_tokens": .number(0)]))

        #expect(bodies[1]["content_block"] == .object(["type": .string("text"), "text": .string("")]))
        #expect(bodies[2]["delta"] == .object(["type": .string("text_delta"), "text": .string("Let me ")]))
        #expect(
            bodies[5]["content_block"]
                == .object([
                    "type": .string("tool_use"), "id": .string("call_1"), "name": .string("weather"),
                    "input": .object([:]),
                ])
        )
        #expect(
            bodies[6]["delta"] == .object(["type": .string("input_json_delta"), "partial_json": .string(#"{"city":"#)]))

        #expect(bodies[12]["delta"] == .object(["stop_reason": .string("tool_use"), "stop_sequence": .null]))
        #expect(bodies[12]["usage"] == .object(["input_tokens": .number(80), "output_tokens": .number(20)]))
    }

    @Test("an empty answer is still a complete stream")
    func emptyAnswer() throws {
        var encoder = AnthropicMessagesFormat.makeStreamEncoder(
            id: "msg_x", model: "claude", created: 0, includeUsage: true)
        var text = ""
        encoder.finish(into: &text)
        encoder.finish(into: &text)
        let events = parse(text)
        #expect(events.compactMap(\.event) == ["message_start", "message_delta", "message_stop"])
        #expect(try json(events[0])["message"]?["id"] == .string("msg_x"))
        #expect(try json(events[1])["delta"]?["stop_reason"] == .string("end_turn"))
    }

    @Test("a failure mid-stream is an error event, and nothing follows it")
    func failMidStream() throws {
        var encoder = AnthropicMessagesFormat.makeStreamEncoder(
            id: "1", model: "claude", created: 0, includeUsage: true)
        var text = ""
        encoder.encode(.textDelta("Hal"), into: &text)
        encoder.fail(GatewayError(.upstreamTimeout, "The upstream took too long."), into: &text)
        encoder.encode(.textDelta("f"), into: &text)
        encoder.finish(into: &text)
        let events = parse(text)
        #expect(events.compactMap(\.event) == ["message_start", "content_block_start", "content_block_delta", "error"])
        #expect(
            try json(events[3])
                == .object([
                    "type": .string("error"),
                    "error": .object(["type": .string("api_error"), "message": .string("The upstream took too long.")]),
                ])
        )
    }

    @Test("what the caller's encoder writes, the upstream decoder reads back unchanged")
    func encoderDecoderRoundTrip() throws {
        let original: [StreamEvent] = [
            .textDelta("Hi "),
            .textDelta("there"),
            .toolCallStarted(index: 0, id: "toolu_1", name: "lookup"),
            .toolCallArgumentsDelta(index: 0, fragment: #"{"q":"x"}"#),
            .finished(.length),
            .usage(Usage(promptTokens: 9, completionTokens: 4)),
        ]
        var encoder = AnthropicMessagesFormat.makeStreamEncoder(
            id: "1", model: "claude", created: 0, includeUsage: true)
        var text = ""
        for event in original { encoder.encode(event, into: &text) }
        encoder.finish(into: &text)
        let (decoded, complete) = try decodeAll(parse(text))
        #expect(decoded == original)
        #expect(complete)
    }
}

/// Upstream answers and stream events are read with `JSONParser`; anything its readers would not accept goes
/// through `JSONDecoder`, so an odd answer is read, or refused, exactly as before.
@Suite struct ParsedUpstreamJSONTests {
    @Test func answersWithExtraFieldsAndToolCallsAreRead() throws {
        let openAI =
            #"{"id":"x","system_fingerprint":"fp","choices":[{"index":0,"logprobs":null,"#
            + #""message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[{"id":"call_1","#
            + #""type":"function","function":{"name":"lookup","arguments":"{\"q\":1}"}}]},"#
            + #""finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"#
        let answer = try OpenAIChatFormat.decodeResponse(Data(openAI.utf8))
        #expect(answer.toolCalls == [ToolCall(id: "call_1", name: "lookup", arguments: #"{"q":1}"#)])
        #expect(answer.usage?.promptTokens == 9)
        let anthropic =
            #"{"id":"msg_1","type":"message","role":"assistant","model":"claude","#
            + #""content":[{"type":"text","text":"Hi","citations":null}],"stop_reason":"end_turn","#
            + #""usage":{"input_tokens":5,"output_tokens":2,"service_tier":"standard"}}"#
        let message = try AnthropicMessagesFormat.decodeResponse(Data(anthropic.utf8))
        #expect(message.content == "Hi")
        #expect(message.usage?.completionTokens == 2)
    }

    @Test(arguments: [
        #"{"choices":[{"message":{"content":"no role"}}]}"#,
        #"{"choices":[]}"#,
        #"{"choices":[{"message":{"role":"assistant","content":7}}]}"#,
        "not json",
    ])
    func answersTheDecodableFormRefusesAreRefused(body: String) {
        #expect(throws: GatewayError.self) { try OpenAIChatFormat.decodeResponse(Data(body.utf8)) }
    }

    @Test func oddButValidEventsAreStillRead() throws {
        var openAI = OpenAIChatFormat.makeStreamDecoder()
        let unusual =
            #"{"choices":[{"delta":{"content":"hi","refusal":null,"extra":{"x":[1]}},"logprobs":null}],"#
            + #""usage":{"prompt_tokens":3,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":0}}}"#
        let events = try openAI.decode(SSEEvent(data: unusual))
        #expect(events.count == 2)
        #expect(events.first == .textDelta("hi"))
    }

    @Test(arguments: [
        #"{"choices":[{"delta":{"content":5}}]}"#,
        #"{"choices":"none"}"#,
        #"{"usage":{"completion_tokens":1}}"#,
        #"{"choices":[{"delta":{"content":"cut"#,
    ])
    func eventsTheDecodableFormRefusesAreRefused(data: String) {
        var decoder = OpenAIChatFormat.makeStreamDecoder()
        #expect(throws: GatewayError.self) { try decoder.decode(SSEEvent(data: data)) }
    }

    @Test func anthropicAnswersAndEventsTheDecodableFormRefusesAreRefused() {
        #expect(throws: GatewayError.self) {
            try AnthropicMessagesFormat.decodeResponse(Data(#"{"type":"message","role":"assistant"}"#.utf8))
        }
        var decoder = AnthropicMessagesFormat.makeStreamDecoder()
        #expect(throws: GatewayError.self) { try decoder.decode(SSEEvent(data: #"{"index":0}"#)) }
        #expect(throws: GatewayError.self) {
            try decoder.decode(SSEEvent(data: #"{"type":"content_block_start","content_block":{"text":"no type"}}"#))
        }
    }
}
