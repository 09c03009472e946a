import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Text and JSON details a client notices: escapes survive the round trip, schema order is respected.
@Suite("Wire text")
struct WireTextTests {
    @Test func escapedAndNonASCIITextIsQuotedBackIntact() async throws {
        let body =
            #"{"model":"m","messages":[{"role":"user","content":"Caf\u00e9 \ud83d\ude00 \"quoted\"\ttab \\ done"}]}"#
        try await withMockUpstream { client in
            let completion = try jsonObject(try await client.post(.openAI, body).body)
            let content = try #require(completion.objects("choices")?.first?.object("message")?.string("content"))
            #expect(content.hasPrefix("Mock reply to: Café 😀 \"quoted\"\ttab \\ done"))
        }
    }

    @Test func toolArgumentsUseTheFirstPropertyAsWrittenWhenNoneIsRequired() async throws {
        let body = #"""
            {"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"lookup",
              "parameters":{"type":"object","properties":{"zeta":{"type":"number"},"alpha":{"type":"string"}}}}}]}
            """#
        try await withMockUpstream { client in
            let completion = try jsonObject(try await client.post(.openAI, body).body)
            let call = try #require(
                completion.objects("choices")?.first?.object("message")?.objects("tool_calls")?.first)
            let arguments = try jsonObject(try #require(call.object("function")?.string("arguments")))
            #expect(arguments.keys.sorted() == ["zeta"])
            #expect(arguments["zeta"] is NSNumber)
        }
    }

    @Test(arguments: [
        #"{"model":"m","messages":[]} trailing"#, #"{"model":"m","messages":[{"role":"user","content":"\x"}]}"#,
        "[1,2]", "",
    ])
    func invalidBodiesAreRejected(body: String) async throws {
        try await withMockUpstream { client in
            let response = try await client.post(.openAI, body)
            #expect(response.status == .badRequest)
            #expect(try jsonObject(response.body).object("error")?.string("type") == "invalid_request_error")
        }
    }
}
