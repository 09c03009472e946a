import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

/// The Anthropic bodies the gateway writes directly must be exactly what their `Codable` forms produce.
@Suite("Anthropic bodies written directly")
struct AnthropicWireJSONWriterTests {
    static let everyField = """
        {"model": "claude-sonnet-4", "max_tokens": 256, "temperature": 0.5, "top_p": 0.9,
         "stop_sequences": ["END"], "stream": true,
         "system": [{"type": "text", "text": "Be brief."}],
         "messages": [
            {"role": "user", "content": [{"type": "text", "text": "What is \\"this\\"?\\n"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "lookup",
                "input": {"q": "x", "n": 2, "deep": {"list": [1.5, true, null]}}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": false,
                "content": [{"type": "text", "text": "found é"}]}]},
            {"role": "assistant", "content": "plain text"}],
         "tools": [{"name": "lookup", "description": "Looks up.",
            "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}}],
         "tool_choice": {"type": "tool", "name": "lookup", "disable_parallel_tool_use": true}}
        """

    @Test("a request with every field")
    func request() throws {
        let body = try WireJSON.decodeRequest(AnthropicRequestBody.self, from: Data(Self.everyField.utf8))
        try expectSame(Data(body.json()), WireJSON.encode(body))
    }

    @Test("answers with text and tool use, with and without a stop reason")
    func answers() throws {
        let usage = AnthropicUsage(inputTokens: 10, outputTokens: 3, cacheReadInputTokens: 4)
        let messages = [
            AnthropicMessage(
                id: "msg_1", type: "message", role: "assistant", model: "claude",
                content: [.text("Hi"), .toolUse(id: "toolu_1", name: "lookup", input: .object(["q": .string("x")]))],
                stopReason: "tool_use", usage: usage),
            AnthropicMessage(content: [], stopReason: nil),
        ]
        for message in messages {
            try expectSame(Data(message.json()), WireJSON.encode(message))
        }
    }

    @Test("every kind of stream event")
    func streamEvents() throws {
        var start = AnthropicStreamEventBody(type: "message_start")
        start.message = AnthropicMessage(
            id: "msg_1", type: "message", role: "assistant", model: "claude", content: [],
            usage: AnthropicUsage(inputTokens: 10, outputTokens: 1))
        var blockStart = AnthropicStreamEventBody(type: "content_block_start")
        blockStart.index = 0
        blockStart.contentBlock = .toolUse(id: "toolu_1", name: "lookup", input: .object([:]))
        var textDelta = AnthropicStreamEventBody(type: "content_block_delta")
        textDelta.index = 1
        textDelta.delta = AnthropicDelta(type: "text_delta", text: "Hello\n")
        var jsonDelta = AnthropicStreamEventBody(type: "content_block_delta")
        jsonDelta.delta = AnthropicDelta(type: "input_json_delta", partialJSON: "{\"q\":")
        var messageDelta = AnthropicStreamEventBody(type: "message_delta")
        messageDelta.delta = AnthropicDelta(stopReason: "end_turn")
        messageDelta.usage = AnthropicUsage(outputTokens: 7)
        var error = AnthropicStreamEventBody(type: "error")
        error.error = AnthropicErrorDetail(type: "overloaded_error", message: "Overloaded")
        for event in [start, blockStart, textDelta, jsonDelta, messageDelta, error, .init(type: "message_stop")] {
            try expectSame(Data(event.json()), WireJSON.encode(event))
        }
    }

    private func expectSame(_ written: Data, _ encoded: Data) throws {
        let writtenObject = try JSONSerialization.jsonObject(with: written) as? NSDictionary
        let encodedObject = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        #expect(writtenObject != nil)
        #expect(writtenObject == encodedObject, "\(String(decoding: written, as: UTF8.self))")
    }
}
