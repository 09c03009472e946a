import ConcordCore
import ConcordServer
import ConcordStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Budgets and rate limits")
struct LimitsTests {
    @Test(
        "a user over a small token budget gets 429 naming the limit, recorded as an error; another user is unaffected")
    func tokenBudget() async throws {
        let limits = LimitPolicy(users: ["alice": UsageLimits(tokensPerDay: 5)])
        try await KeyedGateway.run(limits: limits) { gateway in
            let alice = try await gateway.createKey(user: "alice")
            let bob = try await gateway.createKey(user: "bob")
            #expect(try await gateway.chat(key: alice.key).status == .ok, "the call that crosses the budget completes")
            let refused = try await gateway.chat(key: alice.key)
            #expect(refused.status == .tooManyRequests)
            let message = try #require((try jsonObject(refused.body)["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("tokens-per-day"))
            #expect(message.contains("resets at"))
            #expect(refused.headers[.retryAfter] != nil)
            #expect(try await gateway.chat(key: bob.key).status == .ok, "bob has no budget and is not affected")

            let errors = try await gateway.waitForCalls(1, query: "&user_id=alice&status=error")
            #expect(errors.count == 1, "the refusal is recorded once")
            #expect(errors.first?["id"] as? String == refused.callID)
            let row = try await gateway.json(
                .get, "/api/llm/logs/\(try #require(refused.callID))", key: KeyedGateway.adminKey)
            #expect((row["error_message"] as? String)?.contains("tokens-per-day") == true)

            let mine = try await gateway.json(.get, "/api/llm/limits", key: alice.key)
            #expect(
                (mine["limits"] as? [String: Any]).flatMap { $0["user"] as? [String: Any] }?["tokens_per_day"] as? Int
                    == 5)
        }
    }

    @Test("limits set through the admin API apply at once and can be removed; a key can have its own")
    func adminLimits() async throws {
        try await KeyedGateway.run { gateway in
            let bob = try await gateway.createKey(user: "bob")
            let set = try await gateway.request(
                .put, "/api/llm/limits/user/bob", key: KeyedGateway.adminKey, json: #"{"requests_per_minute":1}"#
            )
            #expect(set.status == .ok)
            #expect(try await gateway.chat(key: bob.key).status == .ok)
            let refused = try await gateway.chat(key: bob.key)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.text.contains("requests-per-minute"))
            #expect(
                try await gateway.request(.delete, "/api/llm/limits/user/bob", key: KeyedGateway.adminKey).status
                    == .noContent)
            #expect(try await gateway.chat(key: bob.key).status == .ok, "without the limit bob gets through again")

            let second = try await gateway.createKey(user: "bob")
            let keyLimit = try await gateway.request(
                .put, "/api/llm/limits/key/\(second.id)", key: KeyedGateway.adminKey, json: #"{"tokens_per_minute":1}"#
            )
            #expect(keyLimit.status == .ok)
            #expect(try await gateway.chat(key: second.key).status == .ok)
            #expect(try await gateway.chat(key: second.key).status == .tooManyRequests, "the key's own limit")
            #expect(try await gateway.chat(key: bob.key).status == .ok, "bob's other key is not limited")

            let listed = try await gateway.json(.get, "/api/llm/limits", key: KeyedGateway.adminKey)
            #expect((listed["stored"] as? [[String: Any]])?.count == 1)
            #expect(
                try await gateway.request(.put, "/api/llm/limits/team/x", key: KeyedGateway.adminKey, json: "{}").status
                    == .notFound)
        }
    }

    @Test("a USD budget refuses once the priced calls reach it")
    func usdBudget() async throws {
        let priced = ModelConfig(
            id: "priced", provider: .mock, upstreamModel: "demo", inputCostPerMTok: 1_000_000,
            outputCostPerMTok: 1_000_000)
        let limits = LimitPolicy(defaultUser: UsageLimits(usdPerMonth: 1))
        try await KeyedGateway.run(limits: limits, models: [priced]) { gateway in
            let dana = try await gateway.createKey(user: "dana")
            #expect(try await gateway.chat(key: dana.key, model: "priced").status == .ok)
            let refused = try await gateway.chat(key: dana.key, model: "priced")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.text.contains("USD-per-month"))
        }
    }

    @Test("the configuration file's limits and recording settings are read")
    func configurationFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-limits-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        recording: { content: metadata, max_text_chars: 100 }
        limits:
          default: { requests_per_minute: 60 }
          users:
            alice: { tokens_per_day: 100000, usd_per_month: 25.5 }
          keys:
            key_abc: { tokens_per_minute: 1000 }
        models:
          - id: private-model
            provider: mock
            record_content: false
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try ServerConfiguration.load(overrides: .init(configPath: path), environment: [:])
        #expect(configuration.limits.defaultUser?.requestsPerMinute == 60)
        #expect(configuration.limits.users["alice"]?.usdPerMonth == 25.5)
        #expect(configuration.limits.keys["key_abc"]?.tokensPerMinute == 1000)
        #expect(configuration.recording.content == .metadata)
        #expect(configuration.recording.maxTextChars == 100)
        #expect(configuration.recording.metadataOnlyModels == ["private-model"])
    }
}
