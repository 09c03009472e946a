import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Stats API")
struct StatsRouteTests {
    /// A known mix: priced and unpriced models, errors (an unknown model), two users and two agents.
    static func makeMix(_ client: any TestClientProtocol, _ gateway: UsageGateway) async throws {
        try await gateway.call(client, model: "priced-mock", key: UsageTestKeys.alice, caller: "planner", count: 3)
        try await gateway.call(client, model: "mock/demo", key: UsageTestKeys.alice, caller: "writer", count: 2)
        try await gateway.call(client, model: "mock/demo", key: UsageTestKeys.bob, caller: "planner", count: 4)
        try await gateway.call(client, model: "no-such-model", key: UsageTestKeys.bob, caller: "writer", count: 2)
        try await gateway.call(client, model: "priced-mock", key: UsageTestKeys.admin, caller: "planner", count: 1)
    }

    @Test("every number by model equals SQL over llm_call_logs")
    func byModelEqualsSQL() async throws {
        try await withUsageGateway { client, gateway in
            try await Self.makeMix(client, gateway)
            let response = try await get(client, "/api/llm/stats?group_by=model", key: UsageTestKeys.admin)
            #expect(response.status == .ok)
            let report = try jsonObject(response.body)
            let rows = try #require(report["rows"] as? [[String: Any]])
            #expect(rows.count == Int(try await gateway.sql("SELECT COUNT(DISTINCT model) AS v FROM llm_call_logs")))
            for row in rows {
                let model = try #require(row["model"] as? String)
                let scope = "FROM llm_call_logs WHERE model = '\(model)'"
                #expect(row["requests"] as? Int == Int(try await gateway.sql("SELECT COUNT(*) AS v \(scope)")))
                #expect(
                    row["errors"] as? Int
                        == Int(try await gateway.sql("SELECT COUNT(*) AS v \(scope) AND status = 'error'")))
                #expect(
                    row["prompt_tokens"] as? Int
                        == Int(try await gateway.sql("SELECT SUM(prompt_tokens) AS v \(scope)")))
                #expect(
                    row["completion_tokens"] as? Int
                        == Int(try await gateway.sql("SELECT SUM(completion_tokens) AS v \(scope)")))
                #expect(
                    row["total_tokens"] as? Int == Int(try await gateway.sql("SELECT SUM(total_tokens) AS v \(scope)")))
                let unpriced = Int(try await gateway.sql("SELECT COUNT(*) AS v \(scope) AND cost_usd IS NULL"))
                #expect(row["unpriced_requests"] as? Int == unpriced)
                let priced = Int(try await gateway.sql("SELECT COUNT(cost_usd) AS v \(scope)"))
                if priced == 0 {
                    #expect(row["cost_usd"] is NSNull, "an unpriced model's cost is null, never 0")
                } else {
                    let cost = try await gateway.sql("SELECT SUM(cost_usd) AS v \(scope)")
                    #expect(abs((row["cost_usd"] as? Double ?? -1) - cost) < 1e-12)
                }
            }
            let totals = try #require(report["totals"] as? [String: Any])
            #expect(totals["requests"] as? Int == 12)
            #expect(
                totals["errors"] as? Int
                    == Int(try await gateway.sql("SELECT COUNT(*) AS v FROM llm_call_logs WHERE status = 'error'")))
            let latency = try #require(totals["latency_ms"] as? [String: Any])
            #expect(latency["p50"] is Double && latency["p99"] is Double)
        }
    }

    @Test("breakdowns by user and caller and a model filter equal SQL; a user key sees only its own usage")
    func usersAndCallers() async throws {
        try await withUsageGateway { client, gateway in
            try await Self.makeMix(client, gateway)
            let byUser = try jsonObject(
                try await get(client, "/api/llm/stats?group_by=user", key: UsageTestKeys.admin).body)
            for row in try #require(byUser["rows"] as? [[String: Any]]) {
                let user = try #require(row["user_id"] as? String)
                #expect(
                    row["requests"] as? Int
                        == Int(
                            try await gateway.sql("SELECT COUNT(*) AS v FROM llm_call_logs WHERE user_id = '\(user)'")))
            }
            let byCaller = try jsonObject(
                try await get(client, "/api/llm/stats?group_by=caller&model=mock/demo", key: UsageTestKeys.admin).body
            )
            for row in try #require(byCaller["rows"] as? [[String: Any]]) {
                let name = try #require(row["caller_name"] as? String)
                let expected = try await gateway.sql(
                    "SELECT COUNT(*) AS v FROM llm_call_logs WHERE caller_name = '\(name)' AND model = 'mock/demo'"
                )
                #expect(row["requests"] as? Int == Int(expected))
            }
            let alice = try jsonObject(
                try await get(client, "/api/llm/stats?group_by=user", key: UsageTestKeys.alice).body)
            let aliceRows = try #require(alice["rows"] as? [[String: Any]])
            #expect(aliceRows.map { $0["user_id"] as? String } == ["alice"])
            let aliceTotals = try #require(alice["totals"] as? [String: Any])
            #expect(aliceTotals["requests"] as? Int == 5)
            let sneaky = try jsonObject(try await get(client, "/api/llm/stats?user=bob", key: UsageTestKeys.alice).body)
            #expect(
                (sneaky["totals"] as? [String: Any])?["requests"] as? Int == 5, "a user key cannot ask for another user"
            )
        }
    }

    @Test("stats need a key and reject unknown dimensions")
    func validation() async throws {
        try await withUsageGateway { client, _ in
            #expect(try await client.execute(uri: "/api/llm/stats", method: .get).status == .unauthorized)
            #expect(
                try await get(client, "/api/llm/stats?group_by=color", key: UsageTestKeys.admin).status == .badRequest)
            // Times no calendar holds are refused (one past Int64 crashed the server), and it still answers after.
            for time in ["since=99999999999999999999", "until=1e300", "since=nan", "since=-5", "since=9999999999999d"] {
                let response = try await get(client, "/api/llm/stats?\(time)", key: UsageTestKeys.alice)
                #expect(response.status == .badRequest, "\(time)")
            }
            #expect(try await get(client, "/api/llm/stats?since=7d", key: UsageTestKeys.alice).status == .ok)
            for filter in ["model=%00", "user=a%00", "caller=agent:%00"] {
                let response = try await get(client, "/api/llm/stats?\(filter)", key: UsageTestKeys.admin)
                #expect(response.status == .badRequest, "\(filter)")
            }
            let empty = try jsonObject(
                try await get(client, "/api/llm/stats?group_by=day,model", key: UsageTestKeys.admin).body)
            #expect((empty["totals"] as? [String: Any])?["cost_usd"] is NSNull)
        }
    }
}
