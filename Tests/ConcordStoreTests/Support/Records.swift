import ConcordCore
import Foundation
import Testing

/// A base time with whole microseconds, so values compare exactly after a round trip through either database.
let baseTime: Double = 1_750_000_000.123456

func makeRecord(
    id: String = CallContext.newCallID(),
    traceID: String = CallContext.newTraceID(),
    model: String = "mock/echo",
    provider: String = "mock",
    callerType: CallContext.CallerType = .api,
    callerName: String = "/v1/chat/completions",
    userID: String? = "user-1",
    status: CallRecord.Status = .success,
    totalTokens: Int = 30,
    createdAt: Double = baseTime
) -> CallRecord {
    CallRecord(
        id: id,
        traceID: traceID,
        model: model,
        provider: provider,
        callerType: callerType,
        callerName: callerName,
        userID: userID,
        userMessage: "hello",
        messagesCount: 1,
        responseContent: "hi",
        finishReason: status == .success ? "stop" : nil,
        promptTokens: totalTokens / 3,
        completionTokens: totalTokens - totalTokens / 3,
        totalTokens: totalTokens,
        latencyMs: 12,
        status: status,
        errorMessage: status == .error ? "upstream returned 500" : nil,
        createdAt: createdAt
    )
}

/// `count` records spread over `models`, with distinct token counts and times a millisecond apart.
func makeRecords(_ count: Int, models: [String] = ["mock/echo", "mock/slow", "openai/gpt-4o-mini"]) -> [CallRecord] {
    (0..<count).map { index in
        let model = models[index % models.count]
        return makeRecord(
            model: model,
            provider: String(model.split(separator: "/").first ?? "mock"),
            totalTokens: 10 + index % 17,
            createdAt: baseTime + Double(index) / 1_000
        )
    }
}

/// `makeRecords(count)` with a 21 kB prompt each: records whose size, not their number, fills memory.
func makeLongRecords(_ count: Int) -> [CallRecord] {
    makeRecords(count).map { record in
        var record = record
        record.userMessage = String(repeating: "a long prompt ", count: 1_500)
        return record
    }
}

/// What the counters must say for these records (empty providers are not counted).
func expectedTotals(_ records: some Sequence<CallRecord>) -> [String: RowTotals] {
    var totals: [String: RowTotals] = [:]
    for record in records where !record.provider.isEmpty {
        totals[record.model, default: RowTotals(requests: 0, tokens: 0)].requests += 1
        totals[record.model, default: RowTotals(requests: 0, tokens: 0)].tokens += record.totalTokens
    }
    return totals
}

/// Reads a spool file the way an operator would: one JSON record per line.
func recordsInSpool(at path: String) throws -> [CallRecord] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let decoder = JSONDecoder()
    return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(CallRecord.self, from: Data($0)) }
}

/// A spool file's contents as the writer appends them: one JSON record per line.
func spoolContents(of records: [CallRecord]) throws -> Data {
    var contents = Data()
    for record in records {
        contents.append(try JSONEncoder().encode(record))
        contents.append(UInt8(ascii: "\n"))
    }
    return contents
}

/// Polls a condition about state (not time): for things that happen on the writer's own task.
func eventually(
    _ description: String,
    _ condition: @Sendable () async throws -> Bool
) async throws {
    for _ in 0..<6_000 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("never happened: \(description)")
}
