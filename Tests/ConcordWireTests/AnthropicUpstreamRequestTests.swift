import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

@Suite("Anthropic Messages format: the upstream request")
struct AnthropicUpstreamRequestTests {
    private let model = ModelConfig(
        id: "claude",
        provider: .anthropic,
        upstreamModel: "claude-sonnet-4-20250514",
        defaultMaxTokens: 2048
    )

    private func encode(_ request: ChatRequest, stream: Bool = false) throws -> JSONValue {
        let data = try AnthropicMessagesFormat.encodeRequest(request, for: model, stream: stream)
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    private func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    @Test("system messages go top-level, same-role turns merge, tool results open one user turn")
    func conversationShape() throws {
        let request = ChatRequest(
            model: "claude",
            messages: [
                ChatMessage(role: .system, text: "Be terse."),
                ChatMessage(role: .user, text: "Weather in Paris"),
                ChatMessage(role: .user, text: "and Rome?"),
                ChatMessage(
                    role: .assistant,
                    content: [.text("Checking.")],
                    toolCalls: [
                        ToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Paris"}"#),
                        ToolCall(id: "call_2", name: "weather", arguments: ""),
                    ]
                ),
                ChatMessage(role: .tool, content: [.text("18°C")], toolCallID: "call_1"),
                ChatMessage(role: .tool, content: [.text("unavailable")], toolCallID: "call_2", isError: true),
                ChatMessage(role: .user, text: "Thanks"),
            ]
        )
        let body = try encode(request)
        #expect(body["model"] == .string("claude-sonnet-4-20250514"))
        #expect(body["system"] == .string("Be terse."))
        let messages = array(body["messages"])
        #expect(messages.map { $0["role"] } == [.string("user"), .string("assistant"), .string("user")])

        let question = array(messages[0]["content"])
        #expect(question.map { $0["text"] } == [.string("Weather in Paris"), .string("and Rome?")])

        let answer = array(messages[1]["content"])
        #expect(answer.map { $0["type"] } == [.string("text"), .string("tool_use"), .string("tool_use")])
        #expect(answer[1]["id"] == .string("call_1"))
        #expect(answer[1]["input"] == .object(["city": .string("Paris")]))
        #expect(answer[2]["input"] == .object([:]))

        let results = array(messages[2]["content"])
        #expect(results.map { $0["type"] } == [.string("tool_result"), .string("tool_result"), .string("text")])
        #expect(results[0]["tool_use_id"] == .string("call_1"))
        #expect(results[0]["content"] == .string("18°C"))
        #expect(results[0]["is_error"] == nil)
        #expect(results[1]["is_error"] == .bool(true))
        #expect(results[2]["text"] == .string("Thanks"))
    }

    @Test("max_tokens falls back to the model's default; the caller's value wins when sent")
    func maxTokens() throws {
        var request = ChatRequest(model: "claude", messages: [ChatMessage(role: .user, text: "hi")])
        #expect(try encode(request)["max_tokens"] == .number(2048))
        request.maxTokens = 50
        #expect(try encode(request)["max_tokens"] == .number(50))
    }

    @Test("stop becomes stop_sequences; sampling passes through; stream is sent only when streaming")
    func samplingAndStream() throws {
        let request = ChatRequest(
            model: "claude",
            messages: [ChatMessage(role: .user, text: "hi")],
            temperature: 0.3,
            topP: 0.8,
            stop: ["END", "STOP"],
            extraFields: ["seed": .number(1)]
        )
        let body = try encode(request)
        #expect(body["stop_sequences"] == .array([.string("END"), .string("STOP")]))
        #expect(body["temperature"] == .number(0.3))
        #expect(body["top_p"] == .number(0.8))
        #expect(body["stream"] == nil)
        #expect(body["seed"] == nil)
        #expect(try encode(request, stream: true)["stream"] == .bool(true))
    }

    @Test("JSON mode, which Anthropic lacks, becomes an instruction appended to the system prompt")
    func jsonModeInstruction() throws {
        var request = ChatRequest(
            model: "claude",
            messages: [
                ChatMessage(role: .system, text: "You grade essays."), ChatMessage(role: .user, text: "Grade this"),
            ],
            responseFormat: .jsonObject
        )
        let plain = try #require(try encode(request)["system"]?.stringValue)
        #expect(plain == "You grade essays.\n\nRespond with a single JSON object only, no prose.")

        request.responseFormat = .jsonSchema(
            name: "grade",
            schema: .object(["type": .string("object"), "required": .array([.string("score")])]),
            strict: true
        )
        let schema = try #require(try encode(request)["system"]?.stringValue)
        #expect(schema.hasPrefix("You grade essays.\n\nRespond with a single JSON object only, no prose."))
        #expect(schema.contains(#"{"required":["score"],"type":"object"}"#))
    }

    @Test("tool choice maps back; turning parallel calls off sets disable_parallel_tool_use")
    func toolChoice() throws {
        let tools = [
            ToolDefinition(name: "weather", description: "Weather", parameters: .object(["type": .string("object")]))
        ]
        var request = ChatRequest(model: "claude", messages: [ChatMessage(role: .user, text: "hi")], tools: tools)

        let body = try encode(request)
        #expect(array(body["tools"]).first?["input_schema"] == .object(["type": .string("object")]))
        #expect(array(body["tools"]).first?["description"] == .string("Weather"))
        #expect(body["tool_choice"] == nil)

        request.toolChoice = .required
        #expect(try encode(request)["tool_choice"] == .object(["type": .string("any")]))
        request.toolChoice = .tool(name: "weather")
        #expect(try encode(request)["tool_choice"] == .object(["type": .string("tool"), "name": .string("weather")]))
        request.toolChoice = ToolChoice.none
        #expect(try encode(request)["tool_choice"] == .object(["type": .string("none")]))

        request.toolChoice = nil
        request.parallelToolCalls = false
        #expect(
            try encode(request)["tool_choice"]
                == .object(["type": .string("auto"), "disable_parallel_tool_use": .bool(true)])
        )
    }

    @Test("images: data: URLs become inline base64, http(s) URLs are sent by reference")
    func images() throws {
        let request = ChatRequest(
            model: "claude",
            messages: [
                ChatMessage(
                    role: .user,
                    content: [.image(url: "data:image/jpeg;base64,/9j/4AAQ"), .image(url: "https://example.com/a.png")]
                )
            ]
        )
        let content = array(array(try encode(request)["messages"]).first?["content"])
        #expect(
            content[0]["source"]
                == .object([
                    "type": .string("base64"), "media_type": .string("image/jpeg"), "data": .string("/9j/4AAQ"),
                ])
        )
        #expect(content[1]["source"] == .object(["type": .string("url"), "url": .string("https://example.com/a.png")]))
    }

    @Test("tool-call arguments that are not a JSON object are a 400 naming the field")
    func badArguments() {
        let request = ChatRequest(
            model: "claude",
            messages: [
                ChatMessage(role: .user, text: "hi"),
                ChatMessage(
                    role: .assistant, content: [], toolCalls: [ToolCall(id: "c", name: "f", arguments: "{city:")]),
            ]
        )
        let error = #expect(throws: GatewayError.self) {
            try AnthropicMessagesFormat.encodeRequest(request, for: model, stream: false)
        }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.field == "messages[1].tool_calls[0].function.arguments")
    }

    @Test("a conversation decoded from an Anthropic caller goes upstream in the same shape")
    func callerToUpstreamRoundTrip() throws {
        let json = """
            {"model":"claude","max_tokens":100,"system":"Be terse.",
             "messages":[{"role":"user","content":"Weather?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris","days":2}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"},{"type":"text","text":"And?"}]}]}
            """
        let request = try AnthropicMessagesFormat.decodeRequest(Data(json.utf8))
        let body = try encode(request)
        let original = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(body["system"] == original["system"])
        #expect(body["max_tokens"] == original["max_tokens"])
        let messages = array(body["messages"])
        #expect(messages.count == 3)
        #expect(array(messages[1]["content"]) == array(array(original["messages"])[1]["content"]))
        #expect(array(messages[2]["content"]) == array(array(original["messages"])[2]["content"]))
    }
}
