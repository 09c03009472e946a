import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

@Suite("OpenAI stream chunks written directly")
struct OpenAIChunkJSONTests {
    @Test("every kind of chunk is the same JSON the Codable form produces")
    func sameAsCodable() throws {
        typealias Chunk = OpenAIWire.Chunk
        let deltas: [Chunk.Delta] = [
            Chunk.Delta(role: "assistant", content: ""),
            Chunk.Delta(content: "Hello \"world\"\n"),
            Chunk.Delta(toolCalls: [
                .init(index: 0, id: "call_1", type: "function", function: .init(name: "lookup", arguments: ""))
            ]),
            Chunk.Delta(toolCalls: [.init(index: 1, function: .init(arguments: "{\"city\":"))]),
            Chunk.Delta(),
        ]
        var chunks = deltas.map { delta in
            Chunk(id: "chatcmpl-1", created: 1_795_000_000, model: "gpt-mock", choices: [.init(index: 0, delta: delta)])
        }
        chunks.append(
            Chunk(
                id: "chatcmpl-1", created: 1, model: "m",
                choices: [.init(index: 0, delta: Chunk.Delta(), finishReason: "tool_calls")]))
        chunks.append(
            Chunk(
                id: "chatcmpl-1", created: 1, model: "m", choices: [],
                usage: .init(promptTokens: 12, completionTokens: 3, totalTokens: 15)))
        for chunk in chunks {
            let written = try JSONSerialization.jsonObject(with: Data(chunk.json())) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: WireJSON.encode(chunk)) as? NSDictionary
            #expect(written != nil)
            #expect(written == encoded)
        }
    }
}

@Suite("OpenAI upstream request written directly")
struct OpenAIRequestJSONTests {
    static let everyField = """
        {"model": "gpt-4o", "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "name": "ann", "content": [{"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}}]},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                "function": {"name": "lookup", "arguments": "{\\"q\\": \\"x\\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "found \\u00e9\\n"}],
         "tools": [{"type": "function", "function": {"name": "lookup", "description": "Looks up.", "strict": true,
            "parameters": {"type": "object", "properties": {"q": {"type": "string", "maxLength": 100}},
                           "required": ["q"], "additionalProperties": false}}}],
         "tool_choice": {"type": "function", "function": {"name": "lookup"}}, "parallel_tool_calls": false,
         "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "strict": true,
            "schema": {"type": "object", "properties": {"n": {"type": "number", "minimum": -1.5}}}}},
         "temperature": 0.7, "top_p": 1, "max_tokens": 256, "max_completion_tokens": 300, "stop": ["END", "\\n\\n"],
         "stream": true, "stream_options": {"include_usage": true},
         "seed": 42, "logit_bias": {"50256": -100}, "metadata": {"big": 1e20, "tiny": 0.000001, "none": null}}
        """

    @Test("a request with every field is the same JSON the Codable form produces")
    func sameAsCodable() throws {
        let request = try WireJSON.decodeRequest(OpenAIWire.Request.self, from: Data(Self.everyField.utf8))
        let written = try JSONSerialization.jsonObject(with: Data(request.json())) as? NSDictionary
        let encoded = try JSONSerialization.jsonObject(with: WireJSON.encode(request)) as? NSDictionary
        #expect(written != nil)
        #expect(written == encoded)
        #expect((written?["metadata"] as? NSDictionary)?["big"] as? Double == 1e20)
    }
}

@Suite("OpenAI answers written directly")
struct OpenAICompletionJSONTests {
    @Test("answers with text, with tool calls and without usage are the same JSON the Codable form produces")
    func sameAsCodable() throws {
        let toolCall = OpenAIWire.ToolCall(
            id: "call_1", type: "function", function: .init(name: "lookup", arguments: "{\"q\":\"é\"}"))
        let answers = [
            OpenAIWire.Completion(
                id: "chatcmpl-1", created: 1_795_000_000, model: "gpt-mock",
                choices: [
                    .init(
                        index: 0, message: .init(role: "assistant", content: .text("Hi \"you\"\n")),
                        finishReason: "stop")
                ],
                usage: .init(promptTokens: 12, completionTokens: 3, totalTokens: 15)),
            OpenAIWire.Completion(
                id: "chatcmpl-2", created: 1, model: "m",
                choices: [
                    .init(
                        index: 0, message: .init(role: "assistant", toolCalls: [toolCall]),
                        finishReason: "tool_calls")
                ],
                usage: .init(promptTokens: 1, completionTokens: 2)),
            OpenAIWire.Completion(id: "chatcmpl-3", created: 1, model: "m", choices: []),
        ]
        for answer in answers {
            let written = try JSONSerialization.jsonObject(with: Data(answer.json())) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: WireJSON.encode(answer)) as? NSDictionary
            #expect(written != nil)
            #expect(written == encoded)
        }
    }
}
