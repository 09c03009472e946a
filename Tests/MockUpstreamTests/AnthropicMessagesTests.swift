import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Anthropic messages")
struct AnthropicMessagesTests {
    static let conversation = #"""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are terse.",
         "messages":[{"role":"user","content":[{"type":"text","text":"Hello there, mock!"}]}]
        """#

    static let weatherTool = #"""
        "tools":[{"name":"get_weather","description":"Weather for a city","input_schema":{"type":"object",
          "properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["days"]}}]
        """#

    @Test func nonStreamedAnswerHasTheMessageShape() async throws {
        try await withMockUpstream { client in
            let response = try await client.post(.anthropic, Self.conversation + "}")
            #expect(response.status == .ok)
            #expect(response.receivedKey == "provider-key")
            let message = try jsonObject(response.body)
            #expect(message.string("id")?.hasPrefix("msg_") == true)
            #expect(message.string("type") == "message")
            #expect(message.string("role") == "assistant")
            #expect(message.string("model") == "claude-sonnet-4-5")
            #expect(message.string("stop_reason") == "end_turn")
            #expect(message.isNull("stop_sequence"))
            let block = try #require(message.objects("content")?.first)
            #expect(block.string("type") == "text")
            let text = try #require(block.string("text"))
            #expect(text.hasPrefix("Mock reply to: Hello there, mock!"))
            let usage = try #require(message.object("usage"))
            #expect(usage.int("input_tokens") == 8 + 6)
            #expect(usage.int("output_tokens") == text.unicodeScalars.count / 4)
        }
    }

    @Test func streamSendsTheDocumentedEventsInOrder() async throws {
        try await withMockUpstream { client in
            let plain = try jsonObject(try await client.post(.anthropic, Self.conversation + "}").body)
            let response = try await client.post(.anthropic, Self.conversation + #","stream":true}"#)
            #expect(response.status == .ok)
            #expect(response.contentType == "text/event-stream")

            let events = serverSentEvents(response.body)
            let names = events.compactMap(\.name)
            #expect(names.count == events.count, "every event is named")
            let deltas = names.count - 6
            #expect(deltas >= 3, "a stream should carry several text deltas")
            #expect(
                names == ["message_start", "content_block_start", "ping"]
                    + Array(repeating: "content_block_delta", count: max(0, deltas))
                    + ["content_block_stop", "message_delta", "message_stop"]
            )
            let payloads = try events.map { try jsonObject($0.data) }
            #expect(zip(names, payloads).allSatisfy { $0 == $1.string("type") })

            let start = try #require(payloads.first?.object("message"))
            #expect(start.objects("content")?.isEmpty == true)
            #expect(start.object("usage")?.int("input_tokens") == plain.object("usage")?.int("input_tokens"))
            #expect(start.object("usage")?.int("output_tokens") == 1)
            #expect(payloads[1].object("content_block")?.string("type") == "text")

            let text = payloads.compactMap {
                $0.object("delta")?.string("type") == "text_delta" ? $0.object("delta")?.string("text") : nil
            }
            #expect(text.joined() == plain.objects("content")?.first?.string("text"))
            let messageDelta = payloads[payloads.count - 2]
            #expect(messageDelta.object("delta")?.string("stop_reason") == "end_turn")
            #expect(messageDelta.object("usage")?.int("output_tokens") == plain.object("usage")?.int("output_tokens"))
        }
    }

    @Test func offeredToolIsUsedWithInputFromItsSchema() async throws {
        try await withMockUpstream { client in
            let message = try jsonObject(
                try await client.post(.anthropic, Self.conversation + "," + Self.weatherTool + "}").body)
            #expect(message.string("stop_reason") == "tool_use")
            let block = try #require(message.objects("content")?.first)
            #expect(block.string("type") == "tool_use")
            #expect(block.string("id")?.hasPrefix("toolu_") == true)
            #expect(block.string("name") == "get_weather")
            #expect(block.object("input")?.int("days") == 1)
            #expect(block.object("input")?.keys.sorted() == ["days"])
        }
    }

    @Test func streamedToolUseSendsPartialJSONFragments() async throws {
        try await withMockUpstream { client in
            let response = try await client.post(
                .anthropic, Self.conversation + "," + Self.weatherTool + #","stream":true}"#)
            let payloads = try streamPayloads(response.body)
            let start = try #require(
                payloads.first { $0.string("type") == "content_block_start" }?.object("content_block"))
            #expect(start.string("type") == "tool_use")
            #expect(start.string("name") == "get_weather")
            #expect(start.object("input")?.isEmpty == true)
            let fragments = payloads.compactMap { $0.object("delta") }.filter {
                $0.string("type") == "input_json_delta"
            }
            #expect(fragments.count > 2)
            let input = fragments.compactMap { $0.string("partial_json") }.joined()
            #expect(try jsonObject(input).int("days") == 1)
            let messageDelta = try #require(payloads.first { $0.string("type") == "message_delta" })
            #expect(messageDelta.object("delta")?.string("stop_reason") == "tool_use")
        }
    }

    @Test func toolResultIsReportedInTheReply() async throws {
        let body = #"""
            {"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"days":1}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"22 degrees and sunny"}]}],
            """# + Self.weatherTool + "}"
        try await withMockUpstream { client in
            let message = try jsonObject(try await client.post(.anthropic, body).body)
            #expect(message.string("stop_reason") == "end_turn")
            #expect(message.objects("content")?.first?.string("text")?.contains("22 degrees and sunny") == true)
        }
    }

    @Test func systemPromptAskingForJSONGetsAJSONObject() async throws {
        let body = #"""
            {"model":"claude-haiku-4-5","max_tokens":1024,"system":[{"type":"text","text":"Answer only with JSON."}],
             "messages":[{"role":"user","content":"Hello there, mock!"}]}
            """#
        try await withMockUpstream { client in
            let message = try jsonObject(try await client.post(.anthropic, body).body)
            let text = try #require(message.objects("content")?.first?.string("text"))
            #expect(try jsonObject(text).isEmpty == false)
        }
    }

    @Test func smallMaxTokensStopsWithMaxTokens() async throws {
        let body =
            #"{"model":"claude-haiku-4-5","max_tokens":2,"messages":[{"role":"user","content":"Hello there, mock!"}]}"#
        try await withMockUpstream { client in
            let message = try jsonObject(try await client.post(.anthropic, body).body)
            #expect(message.string("stop_reason") == "max_tokens")
            #expect(message.object("usage")?.int("output_tokens") == 2)
        }
    }

    @Test func sameConversationHasTheSameUsageInBothFormats() async throws {
        try await withMockUpstream { client in
            let openAI = try jsonObject(
                try await client.post(.openAI, OpenAIChatCompletionsTests.conversation + "}").body)
            let anthropic = try jsonObject(try await client.post(.anthropic, Self.conversation + "}").body)
            #expect(openAI.object("usage")?.int("prompt_tokens") == anthropic.object("usage")?.int("input_tokens"))
            #expect(openAI.object("usage")?.int("completion_tokens") == anthropic.object("usage")?.int("output_tokens"))
        }
    }

    @Test func invalidRequestsAre400InAnthropicErrorShape() async throws {
        try await withMockUpstream { client in
            for body in ["not json", #"{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}"#] {
                let response = try await client.post(.anthropic, body)
                #expect(response.status == .badRequest)
                let error = try jsonObject(response.body)
                #expect(MockRoute.anthropic.errorType(in: error) == "invalid_request_error")
                #expect(error.object("error")?.string("message")?.isEmpty == false)
            }
        }
    }
}
