import ConcordCore
import Testing

@testable import ConcordStore

@Suite("Call log rows")
struct CallLogRoundTripTests {
    @Test("a written record reads back with every column equal", arguments: TestBackend.available)
    func everyColumnRoundTrips(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let full = CallRecord(
                id: CallContext.newCallID(),
                traceID: CallContext.newTraceID(),
                parentCallID: CallContext.newCallID(),
                model: "claude-sonnet-4",
                provider: "anthropic",
                callerType: .agent,
                callerName: "research-agent",
                userID: "alice",
                systemPrompt: "You are terse. ✓ «quotes» 'single' \"double\"\nnew line",
                userMessage: "What is 2+2?",
                messagesCount: 3,
                responseContent: "4",
                toolCalls: #"[{"id":"call_1","name":"add","arguments":"{\"a\":2,\"b\":2}"}]"#,
                finishReason: "tool_calls",
                promptTokens: 1_234,
                completionTokens: 56,
                totalTokens: 1_290,
                latencyMs: 842,
                status: .success,
                errorMessage: nil,
                createdAt: baseTime,
                costUSD: 0.004542,
                isStream: true,
                ttftMs: 120
            )
            let minimal = CallRecord(
                id: CallContext.newCallID(),
                traceID: CallContext.newTraceID(),
                model: "nonexistent-model",
                provider: "",
                userID: nil,
                status: .error,
                errorMessage: "model 'nonexistent-model' not found",
                createdAt: baseTime + 1.000001
            )
            try await database.store.write([full, minimal])
            #expect(try await database.store.call(id: full.id) == full)
            #expect(try await database.store.call(id: minimal.id) == minimal)
            #expect(try await database.store.call(id: CallContext.newCallID()) == nil)
        }
    }

    @Test("the calls of a trace come back oldest first", arguments: TestBackend.available)
    func traceInOrder(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let trace = CallContext.newTraceID()
            let root = makeRecord(traceID: trace, createdAt: baseTime)
            var child = makeRecord(traceID: trace, createdAt: baseTime + 0.5)
            child.parentCallID = root.id
            var grandchild = makeRecord(traceID: trace, createdAt: baseTime + 0.75)
            grandchild.parentCallID = child.id
            let elsewhere = makeRecord(createdAt: baseTime + 0.6)
            try await database.store.write([grandchild, elsewhere, root])
            try await database.store.write([child])
            #expect(try await database.store.calls(traceID: trace).map(\.id) == [root.id, child.id, grandchild.id])
        }
    }

    @Test("values no database can index or hold never block the writer", arguments: TestBackend.available)
    func hostileValuesAreStored(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            var record = makeRecord(
                model: String(repeating: "é", count: 5_000),  // 10 KB of a caller-chosen model name
                provider: "",
                callerName: String(repeating: "agent-", count: 2_000)
            )
            record.responseContent = "before\u{0}after"
            let normal = makeRecord(model: "openai/" + String(repeating: "x", count: 3_000), provider: "openai")
            try await database.store.write([record, normal])

            let stored = try #require(try await database.store.call(id: record.id))
            #expect(record.model.hasPrefix(stored.model))
            #expect(stored.model.utf8.count <= 512)
            #expect(record.callerName.hasPrefix(stored.callerName))
            #expect(stored.responseContent == "beforeafter")
            #expect(
                try await counterTotals(database.store)
                    == (try await database.store.rowTotals()).filter {
                        $0.key.hasPrefix("openai/")
                    })
        }
    }
}
