import ConcordCore
import ConcordGateway
import ConcordServer
import Foundation
import HummingbirdTesting
import Testing

@Suite("Content redaction")
struct RedactionTests {
    @Test("a metadata-only model keeps tokens and attribution but no text; the cap cuts stored text")
    func metadataAndCap() async throws {
        let recording = RecordingPolicy(maxTextChars: 5, metadataOnlyModels: ["mock/private"])
        try await KeyedGateway.run(recording: recording) { gateway in
            let hidden = try await gateway.chat(
                key: KeyedGateway.adminKey, model: "mock/private", message: "my secret plan")
            let capped = try await gateway.chat(
                key: KeyedGateway.adminKey, model: "mock/open", message: "a rather long message")
            try await gateway.waitForCalls(2)
            let hiddenRow = try await gateway.json(
                .get, "/api/llm/logs/\(try #require(hidden.callID))", key: KeyedGateway.adminKey)
            #expect(hiddenRow["user_message"] is NSNull)
            #expect(hiddenRow["system_prompt"] is NSNull)
            #expect(hiddenRow["response_content"] is NSNull)
            #expect((hiddenRow["total_tokens"] as? Int ?? 0) > 0, "usage is still recorded")
            #expect(hiddenRow["user_id"] as? String == "admin")
            let open = try await gateway.json(
                .get, "/api/llm/logs/\(try #require(capped.callID))", key: KeyedGateway.adminKey)
            #expect(open["user_message"] as? String == "a rat")
            #expect(open["system_prompt"] as? String == "Be br")
            #expect((open["response_content"] as? String)?.count ?? 99 <= 5)
        }
    }

    @Test("metadata-only recording everywhere keeps no call text")
    func globalMetadata() async throws {
        try await KeyedGateway.run(recording: RecordingPolicy(content: .metadata)) { gateway in
            let call = try await gateway.chat(key: KeyedGateway.adminKey, message: "nothing to keep")
            try await gateway.waitForCalls(1)
            let row = try await gateway.json(
                .get, "/api/llm/logs/\(try #require(call.callID))", key: KeyedGateway.adminKey)
            #expect(row["user_message"] is NSNull)
            #expect(row["response_content"] is NSNull)
            #expect(row["status"] as? String == "success")
        }
    }
}
