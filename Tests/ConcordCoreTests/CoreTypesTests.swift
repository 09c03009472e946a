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

    @Test("call ids are distinct version-7 UUIDs that sort by time; trace ids are 32 lowercase hex digits")
    func identifiers() throws {
        let ids = (0..<1000).map { _ in CallContext.newCallID() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil && $0 == $0.lowercased() && Array($0)[14] == "7" })
        let now = UInt64(Date().timeIntervalSince1970 * 1_000)
        let stamp = try #require(UInt64(ids[0].replacingOccurrences(of: "-", with: "").prefix(12), radix: 16))
        // The first 48 bits are the time in milliseconds, so ids sort by time.
        #expect(stamp + 5_000 > now && stamp <= now + 5_000)
        let traces = (0..<1000).map { _ in CallContext.newTraceID() }
        #expect(Set(traces).count == traces.count)
        #expect(traces.allSatisfy { $0.count == 32 && $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } })
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
