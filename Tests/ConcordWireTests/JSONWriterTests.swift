import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("strings with quotes, backslashes, control characters and non-ASCII read back exactly")
    func escaping() throws {
        let tricky = [
            "", "plain", "quote \" and \\ backslash", "lines\nand\ttabs\r", "\u{0}\u{1}\u{1F}", "日本語 ✓ 🚀", "</script>",
        ]
        var json = JSONWriter()
        json.beginArray()
        for value in tricky { json.string(value) }
        json.endArray()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String]
        #expect(parsed == tricky)
    }

    @Test("objects, arrays, numbers, booleans and nulls nest as written")
    func structure() throws {
        var json = JSONWriter()
        json.beginObject()
        json.key("n")
        json.int(-42)
        json.key("x")
        json.double(0.1)
        json.key("big")
        json.double(1e300)
        json.key("nan")
        json.double(.nan)
        json.key("list")
        json.beginArray()
        json.bool(true)
        json.null()
        json.beginObject()
        json.endObject()
        json.endArray()
        json.key("missing")
        json.int(nil)
        json.endObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(object["n"] as? Int == -42)
        #expect(object["x"] as? Double == 0.1)
        #expect(object["big"] as? Double == 1e300)
        #expect(object["nan"] is NSNull)
        #expect(object["missing"] is NSNull)
        let list = try #require(object["list"] as? [Any])
        #expect(list.count == 3)
        #expect(list[0] as? Bool == true)
    }

    @Test("UTC timestamps match Foundation's ISO 8601 across centuries, leap days and before 1970")
    func utcTime() {
        let samples: [Int64] = [
            0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_795_762_800, 4_107_542_399,
            -2_208_988_800, 253_402_300_799,
        ]
        for seconds in samples + stride(from: -5_000_000_000, to: 5_000_000_000, by: 7_777_777).map({ $0 }) {
            let expected = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
            #expect(UTCTime.iso8601(seconds) == expected, "\(seconds)")
        }
    }
}

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
