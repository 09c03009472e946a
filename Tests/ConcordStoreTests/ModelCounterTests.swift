import ConcordCore
import Foundation
import Testing

@testable import ConcordStore

@Suite("Model counters")
struct ModelCounterTests {
    @Test(
        "counters equal the log after batches, a retried batch and an overlapping one",
        arguments: TestBackend.available)
    func countersEqualRows(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let store = database.store
            let records = makeRecords(120)
            try await store.write(Array(records[0..<50]))
            try await store.write(Array(records[0..<50]))  // the same batch again: a retry after a lost ack
            try await store.write(Array(records[40..<120]))  // overlaps the first by ten rows
            try await store.write(Array(records[100..<120]) + Array(records[100..<120]))  // duplicates inside one batch

            #expect(try await store.rowCount() == 120)
            #expect(try await store.rowTotals() == expectedTotals(records))
            #expect(try await counterTotals(store) == expectedTotals(records))
        }
    }

    @Test(
        "a provider/model first use gets a row; an unroutable model is logged but counted nowhere",
        arguments: TestBackend.available)
    func firstUseAndUnknownModels(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let store = database.store
            let first = makeRecord(
                model: "openai/gpt-4o-mini", provider: "openai", totalTokens: 42, createdAt: baseTime)
            let later = makeRecord(
                model: "openai/gpt-4o-mini", provider: "openai", totalTokens: 8, createdAt: baseTime + 5)
            let unknown = makeRecord(model: "no-such-model", provider: "", status: .error, totalTokens: 0)
            try await store.write([later, first, unknown])

            let models = try await store.models()
            #expect(models.map(\.modelID) == ["openai/gpt-4o-mini"])
            let row = try #require(models.first)
            #expect(row.provider == "openai")
            #expect(row.upstreamModel == "gpt-4o-mini")
            #expect(row.enabled)
            #expect(row.totalRequests == 2)
            #expect(row.totalTokens == 50)
            #expect(row.lastUsedAt == baseTime + 5)
            #expect(try await store.call(id: unknown.id) != nil)
        }
    }

    @Test("last_used_at only moves forward", arguments: TestBackend.available)
    func lastUsedIsTheMaximum(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.store.write([makeRecord(createdAt: baseTime + 10)])
            try await database.store.write([makeRecord(createdAt: baseTime)])  // a late record from the spool
            #expect(try await database.store.models().first?.lastUsedAt == baseTime + 10)
        }
    }
}

@Suite("Model configurations")
struct ModelConfigTests {
    @Test("upsertModels updates configuration and never resets counters", arguments: TestBackend.available)
    func upsertKeepsCounters(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let store = database.store
            try await store.upsertModels([
                ModelConfig(
                    id: "claude-sonnet-4",
                    provider: .anthropic,
                    upstreamModel: "claude-sonnet-4-20250514",
                    apiKeyEnv: "ANTHROPIC_API_KEY",
                    inputCostPerMTok: 3,
                    outputCostPerMTok: 15
                ),
                ModelConfig(
                    id: "local-llama", provider: .openai, upstreamModel: "smollm2", apiBase: "http://127.0.0.1:8081/v1"),
            ])
            let calls = (0..<7).map {
                makeRecord(model: "claude-sonnet-4", provider: "anthropic", totalTokens: 100 + $0)
            }
            try await store.write(calls)

            try await store.upsertModels([
                ModelConfig(id: "claude-sonnet-4", provider: .anthropic, upstreamModel: "superseded"),
                ModelConfig(
                    id: "claude-sonnet-4",
                    provider: .anthropic,
                    upstreamModel: "claude-sonnet-4-20250601",
                    apiKeyEnv: "ANTHROPIC_API_KEY",
                    inputCostPerMTok: 2.5,
                    outputCostPerMTok: 12,
                    enabled: false
                ),
            ])

            let models = try await store.models()
            #expect(models.map(\.modelID) == ["claude-sonnet-4", "local-llama"])
            let sonnet = try #require(models.first)
            #expect(sonnet.upstreamModel == "claude-sonnet-4-20250601")
            #expect(sonnet.inputCostPerMTok == 2.5)
            #expect(sonnet.outputCostPerMTok == 12)
            #expect(sonnet.enabled == false)
            #expect(sonnet.apiKeyEnv == "ANTHROPIC_API_KEY")
            #expect(sonnet.totalRequests == 7)
            #expect(sonnet.totalTokens == calls.reduce(0) { $0 + $1.totalTokens })
            #expect(sonnet.lastUsedAt == baseTime)
            #expect(sonnet.updatedAt >= sonnet.createdAt)

            let llama = try #require(models.last)
            #expect(llama.apiBase == "http://127.0.0.1:8081/v1")
            #expect(llama.inputCostPerMTok == nil)
            #expect(llama.totalRequests == 0)
            #expect(llama.lastUsedAt == nil)
        }
    }

    @Test("a model's JSON uses the column names, with nulls")
    func modelJSON() throws {
        let usage = ModelUsage(modelID: "m", provider: "mock", upstreamModel: "m", createdAt: 1, updatedAt: 2)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(usage)) as? [String: Any]
        #expect(Set(json?.keys ?? [:].keys) == Set(ModelUsage.columns))
        #expect(json?["last_used_at"] is NSNull)
    }
}
