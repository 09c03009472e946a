import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

@Suite("OpenAI Chat Completions format")
struct OpenAIChatFormatTests {
    private func decode(_ json: String) throws(GatewayError) -> ChatRequest {
        try OpenAIChatFormat.decodeRequest(Data(json.utf8))
    }

    private func object(_ data: Data) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("a full request decodes: roles, parts, tools, tool choice, JSON schema, sampling, unknown fields kept")
    func decodeFullRequest() throws {
        let request = try decode(
            """
            {"model":"gpt-4o","messages":[
              {"role":"developer","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"What is in "},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"look","arguments":"{\\"q\\":1}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"a cat"}],
             "tools":[{"type":"function","function":{"name":"look","description":"Look","parameters":{"type":"object"}}}],
             "tool_choice":{"type":"function","function":{"name":"look"}},
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}},
             "temperature":0.5,"top_p":0.9,"max_completion_tokens":100,"stop":"END",
             "stream":true,"stream_options":{"include_usage":true},"seed":42,"user":"u-1"}
            """
        )
        #expect(request.model == "gpt-4o")
        #expect(request.messages.map(\.role) == [.system, .user, .assistant, .tool])
        #expect(request.messages[1].content == [.text("What is in "), .image(url: "https://x/y.png")])
        #expect(request.messages[2].toolCalls == [ToolCall(id: "c1", name: "look", arguments: #"{"q":1}"#)])
        #expect(request.messages[3].toolCallID == "c1")
        #expect(request.tools.map(\.name) == ["look"])
        #expect(request.toolChoice == .tool(name: "look"))
        #expect(
            request.responseFormat
                == .jsonSchema(name: "answer", schema: .object(["type": .string("object")]), strict: true))
        #expect(request.maxTokens == 100)
        #expect(request.stop == ["END"])
        #expect(request.stream && request.includeStreamUsage)
        #expect(request.extraFields == ["seed": .number(42), "user": .string("u-1")])
        #expect(request.systemPrompt == "Be brief.")
        #expect(request.lastUserMessage == "What is in ")
    }

    @Test(
        "invalid requests name the field at fault",
        arguments: [
            (#"{"messages":[{"role":"user","content":"hi"}]}"#, "model"),
            (#"{"model":"m"}"#, "messages"),
            (#"{"model":"m","messages":[]}"#, "messages"),
            (#"{"model":"m","messages":[{"role":"wizard","content":"hi"}]}"#, "messages[0].role"),
            (#"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}"#, "temperature"),
            (#"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":3}"#, "temperature"),
            (#"{"model":"m","messages":[{"role":"tool","content":"x"}]}"#, "messages[0].tool_call_id"),
            (#"{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"}"#, "tool_choice"),
            (#"{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":[1]}"#, "stop"),
        ])
    func invalidFieldsNamed(json: String, field: String) {
        #expect {
            try decode(json)
        } throws: { error in
            (error as? GatewayError)?.field == field && (error as? GatewayError)?.kind == .invalidRequest
        }
    }

    @Test("a body that is not JSON is a 400 that says so")
    func notJSON() {
        #expect(throws: GatewayError(.invalidRequest, "The request body is not valid JSON.")) {
            try decode("{nope")
        }
    }

    @Test("the upstream request uses the upstream model, always asks for stream usage, and forwards extras")
    func upstreamRequest() throws {
        let request = ChatRequest(
            model: "alias",
            messages: [ChatMessage(role: .user, text: "hi")],
            stop: ["x"],
            stream: true,
            includeStreamUsage: false,
            extraFields: ["seed": .number(7)]
        )
        let model = ModelConfig(id: "alias", provider: .openai, upstreamModel: "gpt-4o-mini")
        let body = try object(OpenAIChatFormat.encodeRequest(request, for: model, stream: true))
        #expect(body["model"] as? String == "gpt-4o-mini")
        #expect((body["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect(body["seed"] as? Int == 7)
        #expect(body["stop"] as? [String] == ["x"])
    }

    @Test("an upstream completion with tool calls decodes, finish reason and usage included")
    func decodeUpstreamCompletion() throws {
        let response = try OpenAIChatFormat.decodeResponse(
            Data(
                """
                {"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":null,
                "tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}
                """.utf8
            )
        )
        #expect(response.toolCalls == [ToolCall(id: "c1", name: "f", arguments: "{}")])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == Usage(promptTokens: 11, completionTokens: 7))
    }

    @Test("an upstream body that is not a completion is the upstream's fault (502), not the caller's")
    func unreadableUpstream() {
        #expect {
            try OpenAIChatFormat.decodeResponse(Data("<html>oops</html>".utf8))
        } throws: { error in
            (error as? GatewayError)?.kind == .upstreamError
        }
    }

    @Test("the stream decoder turns chunks into text, tool-call and usage events and stops at [DONE]")
    func streamDecoding() throws {
        var decoder = OpenAIChatFormat.makeStreamDecoder()
        let chunks = [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#,
            "[DONE]",
        ]
        var events: [StreamEvent] = []
        for chunk in chunks { events += try decoder.decode(SSEEvent(data: chunk)) }
        #expect(
            events == [
                .textDelta("Hel"),
                .toolCallStarted(index: 0, id: "c1", name: "f"),
                .toolCallArgumentsDelta(index: 0, fragment: #"{"a""#),
                .finished(.toolCalls),
                .usage(Usage(promptTokens: 3, completionTokens: 4)),
            ]
        )
        #expect(decoder.isComplete)
    }

    @Test("an error object in the stream is an upstream error")
    func streamErrorChunk() {
        var decoder = OpenAIChatFormat.makeStreamDecoder()
        #expect(throws: GatewayError.self) {
            try decoder.decode(SSEEvent(data: #"{"error":{"message":"overloaded"}}"#))
        }
    }

    @Test("the caller's stream: role first, usage only when asked, [DONE] last")
    func streamEncoding() throws {
        for includeUsage in [true, false] {
            var encoder = OpenAIChatFormat.makeStreamEncoder(
                id: "id1", model: "m", created: 1, includeUsage: includeUsage)
            var text = ""
            for event: StreamEvent in [
                .textDelta("Hi"), .finished(.stop), .usage(Usage(promptTokens: 1, completionTokens: 2)),
            ] {
                encoder.encode(event, into: &text)
            }
            encoder.finish(into: &text)
            var parser = SSEParser()
            let events = parser.feed(Array(text.utf8))
            #expect(events.last?.data == "[DONE]")
            let chunks = try events.dropLast().map { try object(Data($0.data.utf8)) }
            let first = try #require((chunks.first?["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])
            #expect(first["role"] as? String == "assistant")
            #expect(first["content"] as? String == "Hi")
            #expect(chunks.contains { $0["usage"] != nil } == includeUsage)
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
        }
    }

    @Test("errors use OpenAI's shape, with the code SDKs look for")
    func errorShape() throws {
        let body = try object(OpenAIChatFormat.encodeError(GatewayError(.modelNotFound, "no such model")))
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["code"] as? String == "model_not_found")
        #expect(error["message"] as? String == "no such model")
        #expect(error["type"] as? String == "invalid_request_error")
    }
}
