import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

@Suite("Anthropic Messages format: a caller's request")
struct AnthropicRequestDecodingTests {
    private func decode(_ json: String) throws(GatewayError) -> ChatRequest {
        try AnthropicMessagesFormat.decodeRequest(Data(json.utf8))
    }

    @Test("system as text blocks becomes one leading system message; sampling fields carry over")
    func systemBlocksAndSampling() throws {
        let request = try decode(
            """
            {"model":"claude-sonnet-4","max_tokens":300,"temperature":0.2,"top_p":0.9,"stop_sequences":["END"],
             "system":[{"type":"text","text":"You are terse."},{"type":"text","text":"Answer in French.","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"Hello"}]}
            """
        )
        #expect(request.model == "claude-sonnet-4")
        #expect(request.messages.map(\.role) == [.system, .user])
        #expect(request.systemPrompt == "You are terse.\n\nAnswer in French.")
        #expect(request.lastUserMessage == "Hello")
        #expect(request.maxTokens == 300)
        #expect(request.temperature == 0.2)
        #expect(request.topP == 0.9)
        #expect(request.stop == ["END"])
        #expect(!request.stream)
    }

    @Test("a missing max_tokens is accepted, and a stream always asks for usage")
    func lenientMaxTokensAndStreamUsage() throws {
        let request = try decode(#"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(request.maxTokens == nil)
        #expect(request.stream && request.includeStreamUsage)
    }

    @Test("tool_use blocks become tool calls; tool_result blocks become tool messages before the user's text")
    func toolUseAndToolResult() throws {
        let request = try decode(
            """
            {"model":"m","max_tokens":100,
             "tools":[{"name":"weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":[{"type":"text","text":"Checking."},
                {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}},
                {"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Rome"}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"toolu_1","content":"18°C"},
                {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"no data"}],"is_error":true},
                {"type":"text","text":"Thanks!"}]}]}
            """
        )
        #expect(request.messages.map(\.role) == [.user, .assistant, .tool, .tool, .user])
        let assistant = request.messages[1]
        #expect(assistant.text == "Checking.")
        #expect(
            assistant.toolCalls == [
                ToolCall(id: "toolu_1", name: "weather", arguments: #"{"city":"Paris"}"#),
                ToolCall(id: "toolu_2", name: "weather", arguments: #"{"city":"Rome"}"#),
            ]
        )
        #expect(request.messages[2].toolCallID == "toolu_1")
        #expect(request.messages[2].text == "18°C")
        #expect(!request.messages[2].isError)
        #expect(request.messages[3].toolCallID == "toolu_2")
        #expect(request.messages[3].text == "no data")
        #expect(request.messages[3].isError)
        #expect(request.lastUserMessage == "Thanks!")
        #expect(request.tools.first?.name == "weather")
        #expect(request.tools.first?.description == "Current weather")
        #expect(request.tools.first?.parameters["properties"]?["city"]?["type"] == .string("string"))
    }

    @Test("a user message of only tool results adds no empty user message")
    func onlyToolResults() throws {
        let request = try decode(
            """
            {"model":"m","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}
            """
        )
        #expect(request.messages.map(\.role) == [.tool])
    }

    @Test("images: inline base64 becomes a data: URL, a url source stays a URL")
    func images() throws {
        let request = try decode(
            """
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
              {"type":"text","text":"What are these?"}]}]}
            """
        )
        #expect(
            request.messages[0].content == [
                .image(url: "data:image/png;base64,iVBORw0KGgo="),
                .image(url: "https://example.com/cat.jpg"),
                .text("What are these?"),
            ]
        )
    }

    @Test(
        "tool_choice maps to the canonical choice",
        arguments: [
            (#"{"type":"auto"}"#, ToolChoice.auto),
            (#"{"type":"any"}"#, ToolChoice.required),
            (#"{"type":"none"}"#, ToolChoice.none),
            (#"{"type":"tool","name":"weather"}"#, ToolChoice.tool(name: "weather")),
        ]
    )
    func toolChoice(json: String, expected: ToolChoice) throws {
        let request = try decode(
            """
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "tools":[{"name":"weather","input_schema":{"type":"object"}}],"tool_choice":\(json)}
            """
        )
        #expect(request.toolChoice == expected)
        #expect(request.parallelToolCalls == nil)
    }

    @Test("disable_parallel_tool_use turns parallel tool calls off")
    func disableParallelToolUse() throws {
        let request = try decode(
            """
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "tools":[{"name":"f","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"auto","disable_parallel_tool_use":true}}
            """
        )
        #expect(request.toolChoice == .auto)
        #expect(request.parallelToolCalls == false)
    }

    @Test(
        "invalid requests are 400s that name the field at fault",
        arguments: [
            (#"{"messages":[{"role":"user","content":"hi"}]}"#, "model"),
            (#"{"model":5,"messages":[{"role":"user","content":"hi"}]}"#, "model"),
            (#"{"model":"","messages":[{"role":"user","content":"hi"}]}"#, "model"),
            (#"{"model":"m"}"#, "messages"),
            (#"{"model":"m","messages":[]}"#, "messages"),
            (
                #"{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"system","content":"c"}]}"#,
                "messages[2].role"
            ),
            (#"{"model":"m","messages":[{"role":"user","content":7}]}"#, "messages[0].content"),
            (
                #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":3}]}]}"#,
                "messages[0].content[0].text"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":[{"type":"document"}]}]}"#,
                "messages[0].content[0].type"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]}]}"#,
                "messages[0].content[0].type"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}"#,
                "messages[0].content[0].tool_use_id"
            ),
            (#"{"model":"m","max_tokens":"many","messages":[{"role":"user","content":"hi"}]}"#, "max_tokens"),
            (#"{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}"#, "max_tokens"),
            (
                #"{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"sometimes"}}"#,
                "tool_choice.type"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"tool"}}"#,
                "tool_choice.name"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f"}]}"#,
                "tools[0].input_schema"
            ),
            (
                #"{"model":"m","system":[{"type":"image"}],"messages":[{"role":"user","content":"hi"}]}"#,
                "system[0].type"
            ),
        ]
    )
    func invalidFieldsNamed(json: String, field: String) {
        let error = #expect(throws: GatewayError.self) { try decode(json) }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.field == field)
        #expect(error?.httpStatus == 400)
    }

    @Test("an unknown role's message says which roles are allowed")
    func unknownRoleMessage() {
        let error = #expect(throws: GatewayError.self) {
            try decode(
                #"{"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"},{"role":"tool","content":"z"}]}"#
            )
        }
        #expect(error?.field == "messages[2].role")
        #expect(error?.message == "messages[2].role must be 'user' or 'assistant'.")
    }
}
