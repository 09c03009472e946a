import ConcordCore
import Foundation
import Testing

@Suite("Core types")
struct CoreTypesTests {
    @Test("cost is prompt × input price + completion × output price, and NULL for an unpriced model, never 0")
    func pricing() {
        let priced = ModelConfig(id: "m", provider: .openai, inputCostPerMTok: 3, outputCostPerMTok: 15)
        #expect(priced.cost(of: Usage(promptTokens: 1_000_000, completionTokens: 2_000_000)) == 33)
        let unpriced = ModelConfig(id: "m", provider: .openai)
        #expect(unpriced.cost(of: Usage(promptTokens: 10, completionTokens: 10)) == nil)
        let halfPriced = ModelConfig(id: "m", provider: .openai, inputCostPerMTok: 3)
        #expect(halfPriced.cost(of: Usage(promptTokens: 10, completionTokens: 10)) == nil)
    }

    @Test("call ids are distinct version-4 UUIDs; trace ids are 32 lowercase hex digits")
    func identifiers() {
        let ids = (0..<1000).map { _ in CallContext.newCallID() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil && $0 == $0.lowercased() && Array($0)[14] == "4" })
        let trace = CallContext.newTraceID()
        #expect(trace.count == 32 && trace.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test("a record encodes with the column names, every column present, and decodes back the same")
    func recordJSON() throws {
        let record = CallRecord(
            id: "c1", traceID: "t1", model: "m", provider: "openai", status: .success, createdAt: 1_700_000_000.5)
        let data = try JSONEncoder().encode(record)
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["trace_id"] as? String == "t1")
        #expect(object.keys.contains("cost_usd") && object["cost_usd"] is NSNull)
        #expect(try JSONDecoder().decode(CallRecord.self, from: data) == record)
    }

    @Test("the system prompt joins all system messages; the user message is the last user turn")
    func requestSummary() {
        let request = ChatRequest(
            model: "m",
            messages: [
                ChatMessage(role: .system, text: "A"), ChatMessage(role: .user, text: "first"),
                ChatMessage(role: .assistant, text: "ok"), ChatMessage(role: .system, text: "B"),
                ChatMessage(role: .user, content: [.text("second "), .image(url: "data:x"), .text("part")]),
            ]
        )
        #expect(request.systemPrompt == "A\n\nB")
        #expect(request.lastUserMessage == "second part")
    }

    @Test("JSON values survive a round trip with integers kept as integers")
    func jsonValue() throws {
        let text = #"{"a":[1,2.5,true,null,"x"],"b":{"c":-3}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(value == again)
        #expect(String(decoding: try JSONEncoder().encode(value["b"]), as: UTF8.self) == #"{"c":-3}"#)
    }
}
