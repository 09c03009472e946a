import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenAI chat completions")
struct OpenAIChatCompletionsTests {
    static let conversation = #"""
        {"model":"gpt-4o-mini","messages":[
            {"role":"system","content":"You are terse."},
            {"role":"user","content":"Hello there, mock!"}]
        """#

    @Test func nonStreamedAnswerHasTheCompletionShapeAndRealisticUsage() async throws {
        try await withMockUpstream { client in
            let response = try await client.post(.openAI, Self.conversation + "}")
            #expect(response.status == .ok)
            #expect(response.contentType == "application/json")
            #expect(response.receivedKey == "provider-key")

            let completion = try jsonObject(response.body)
            #expect(completion.string("id")?.hasPrefix("chatcmpl-") == true)
            #expect(completion.string("object") == "chat.completion")
            #expect(completion.int("created") ?? 0 > 1_700_000_000)
            #expect(completion.string("model") == "gpt-4o-mini")
            let choice = try #require(completion.objects("choices")?.first)
            #expect(choice.string("finish_reason") == "stop")
            let message = try #require(choice.object("message"))
            #expect(message.string("role") == "assistant")
            let content = try #require(message.string("content"))
            #expect(content.hasPrefix("Mock reply to: Hello there, mock!"))

            let usage = try #require(completion.object("usage"))
            // ("You are terse." + "Hello there, mock!") = 32 characters / 4, plus 3 per message.
            #expect(usage.int("prompt_tokens") == 8 + 6)
            #expect(usage.int("completion_tokens") == content.unicodeScalars.count / 4)
            #expect(
                usage.int("total_tokens") == (usage.int("prompt_tokens") ?? 0) + (usage.int("completion_tokens") ?? 0))
        }
    }

    @Test func streamEndsWithDoneAndHasNoUsageChunkUnlessAsked() async throws {
        try await withMockUpstream { client in
            let plain = try jsonObject(try await client.post(.openAI, Self.conversation + "}").body)
            let response = try await client.post(.openAI, Self.conversation + #","stream":true}"#)
            #expect(response.status == .ok)
            #expect(response.contentType == "text/event-stream")

            let events = serverSentEvents(response.body)
            #expect(events.last?.data == "[DONE]")
            let chunks = try streamPayloads(response.body)
            #expect(chunks.allSatisfy { $0.string("object") == "chat.completion.chunk" && $0["usage"] == nil })
            #expect(Set(chunks.compactMap { $0.string("id") }).count == 1)
            let choices = chunks.map { $0.objects("choices")?.first ?? [:] }
            #expect(choices.first?.object("delta")?.string("role") == "assistant")
            #expect(choices.last?.string("finish_reason") == "stop")
            let contentDeltas = choices.compactMap { $0.object("delta")?.string("content") }.filter { !$0.isEmpty }
            #expect(contentDeltas.count >= 3, "a stream should carry several content deltas")
            let plainContent = plain.objects("choices")?.first?.object("message")?.string("content")
            #expect(contentDeltas.joined() == plainContent)
        }
    }

    @Test func streamEndsWithTheSameUsageWhenIncludeUsageIsSet() async throws {
        try await withMockUpstream { client in
            let plain = try jsonObject(try await client.post(.openAI, Self.conversation + "}").body)
            let body = Self.conversation + #","stream":true,"stream_options":{"include_usage":true}}"#
            let response = try await client.post(.openAI, body)
            let events = serverSentEvents(response.body)
            #expect(events.last?.data == "[DONE]")

            let chunks = try streamPayloads(response.body)
            let usageChunk = try #require(chunks.last)
            #expect(usageChunk.objects("choices")?.isEmpty == true)
            let usage = try #require(usageChunk.object("usage"))
            let plainUsage = try #require(plain.object("usage"))
            #expect(usage.int("prompt_tokens") == plainUsage.int("prompt_tokens"))
            #expect(usage.int("completion_tokens") == plainUsage.int("completion_tokens"))
            #expect(usage.int("total_tokens") == plainUsage.int("total_tokens"))
            #expect(chunks.dropLast().allSatisfy { $0.isNull("usage") })
            #expect(chunks.dropLast().last?.objects("choices")?.first?.string("finish_reason") == "stop")
        }
    }

    static let weatherTools = #"""
        "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
            "parameters":{"type":"object","properties":{"unit":{"type":"string","enum":["c","f"]},"city":{"type":"string"},
            "days":{"type":"integer"}},"required":["city"]}}},
          {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"utc":{"type":"boolean"}}}}}]
        """#

    @Test func offeredToolIsCalledWithArgumentsFromItsSchema() async throws {
        try await withMockUpstream { client in
            let response = try await client.post(.openAI, Self.conversation + "," + Self.weatherTools + "}")
            let choice = try #require(try jsonObject(response.body).objects("choices")?.first)
            #expect(choice.string("finish_reason") == "tool_calls")
            let message = try #require(choice.object("message"))
            #expect(message.isNull("content"))
            let call = try #require(message.objects("tool_calls")?.first)
            #expect(call.string("id")?.hasPrefix("call_") == true)
            #expect(call.string("type") == "function")
            #expect(call.object("function")?.string("name") == "get_weather")
            let arguments = try jsonObject(try #require(call.object("function")?.string("arguments")))
            #expect(arguments.keys.sorted() == ["city"])
            #expect(arguments["city"] is String)
        }
    }

    @Test func toolChoiceNamesTheToolAndNoneDisablesTools() async throws {
        try await withMockUpstream { client in
            let named =
                Self.conversation + "," + Self.weatherTools
                + #","tool_choice":{"type":"function","function":{"name":"get_time"}}}"#
            let call = try #require(
                try jsonObject(try await client.post(.openAI, named).body).objects("choices")?.first?.object("message")?
                    .objects("tool_calls")?.first
            )
            #expect(call.object("function")?.string("name") == "get_time")
            let arguments = try jsonObject(try #require(call.object("function")?.string("arguments")))
            #expect(arguments["utc"] as? Bool == true)

            let none = Self.conversation + "," + Self.weatherTools + #","tool_choice":"none"}"#
            let choice = try #require(
                try jsonObject(try await client.post(.openAI, none).body).objects("choices")?.first)
            #expect(choice.string("finish_reason") == "stop")
            #expect(choice.object("message")?["tool_calls"] == nil)
        }
    }

    @Test func streamedToolCallStartsWithIdAndNameThenArgumentFragments() async throws {
        try await withMockUpstream { client in
            let response = try await client.post(
                .openAI, Self.conversation + "," + Self.weatherTools + #","stream":true}"#)
            let deltas = try streamPayloads(response.body).compactMap { $0.objects("choices")?.first }
            let calls = deltas.compactMap { $0.object("delta")?.objects("tool_calls")?.first }
            let first = try #require(calls.first)
            #expect(first.string("id")?.hasPrefix("call_") == true)
            #expect(first.string("type") == "function")
            #expect(first.object("function")?.string("name") == "get_weather")
            #expect(first.object("function")?.string("arguments") == "")
            #expect(calls.count > 2, "arguments should arrive in several fragments")
            #expect(calls.dropFirst().allSatisfy { $0["id"] == nil && $0.int("index") == 0 })
            let arguments = calls.compactMap { $0.object("function")?.string("arguments") }.joined()
            #expect(try jsonObject(arguments).keys.sorted() == ["city"])
            #expect(deltas.last?.string("finish_reason") == "tool_calls")
        }
    }

    @Test func toolResultIsReportedInTheReplyInsteadOfAnotherCall() async throws {
        let body = #"""
            {"model":"gpt-4o","messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"22 degrees and sunny"}],
            """# + Self.weatherTools + "}"
        try await withMockUpstream { client in
            let choice = try #require(
                try jsonObject(try await client.post(.openAI, body).body).objects("choices")?.first)
            #expect(choice.string("finish_reason") == "stop")
            #expect(choice.object("message")?.string("content")?.contains("22 degrees and sunny") == true)
        }
    }

    @Test func jsonModesAnswerWithAJSONObject() async throws {
        let schemaFormat = #"""
            "response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,"schema":{
              "type":"object","properties":{"city":{"type":"string"},"temperature":{"type":"number"},"sunny":{"type":"boolean"},
              "tags":{"type":"array","items":{"type":"string"}},"when":{"$ref":"#/$defs/Moment"}},
              "required":["city","temperature","sunny","tags","when"],"additionalProperties":false,
              "$defs":{"Moment":{"type":"object","properties":{"at":{"type":"string","format":"date-time"}},"required":["at"]}}}}}
            """#
        try await withMockUpstream { client in
            let objectMode = Self.conversation + #","response_format":{"type":"json_object"}}"#
            let plain = try jsonObject(try await client.post(.openAI, objectMode).body)
            let content = try #require(plain.objects("choices")?.first?.object("message")?.string("content"))
            #expect(try jsonObject(content).isEmpty == false)

            let structured = try jsonObject(
                try await client.post(.openAI, Self.conversation + "," + schemaFormat + "}").body)
            let reply = try jsonObject(
                try #require(structured.objects("choices")?.first?.object("message")?.string("content")))
            #expect(reply["city"] is String)
            #expect(reply["temperature"] is NSNumber)
            #expect(reply["sunny"] as? Bool == true)
            #expect(reply["tags"] is [String])
            #expect(reply.object("when")?.string("at") != nil)
        }
    }

    @Test func smallMaxTokensTruncatesWithFinishReasonLength() async throws {
        try await withMockUpstream { client in
            let completion = try jsonObject(
                try await client.post(.openAI, Self.conversation + #","max_tokens":3}"#).body)
            let choice = try #require(completion.objects("choices")?.first)
            #expect(choice.string("finish_reason") == "length")
            #expect((choice.object("message")?.string("content")?.count ?? 99) <= 12)
            #expect(completion.object("usage")?.int("completion_tokens") == 3)

            let stream = try await client.post(
                .openAI, Self.conversation + #","max_completion_tokens":3,"stream":true}"#)
            let last = try streamPayloads(stream.body).last?.objects("choices")?.first
            #expect(last?.string("finish_reason") == "length")
        }
    }

    @Test func bodyThatIsNotJSONIsA400InOpenAIErrorShape() async throws {
        try await withMockUpstream { client in
            let response = try await client.post(.openAI, #"{"model": "gpt-4o", "messages": ["#)
            #expect(response.status == .badRequest)
            let error = try #require(try jsonObject(response.body).object("error"))
            #expect(error.string("type") == "invalid_request_error")
            #expect(error.string("message")?.isEmpty == false)
            #expect(error.keys.contains("param") && error.keys.contains("code"))

            let missingMessages = try await client.post(.openAI, #"{"model": "gpt-4o"}"#)
            #expect(missingMessages.status == .badRequest)
        }
    }
}
