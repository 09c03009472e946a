import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Isolation: a user key sees only its own calls")
struct IsolationTests {
    @Test("two users each see only their own logs, calls, traces and stats; the admin sees both")
    func twoUsers() async throws {
        try await KeyedGateway.run { gateway in
            let alice = try await gateway.createKey(user: "alice")
            let bob = try await gateway.createKey(user: "bob")
            let aliceCalls = [try await gateway.chat(key: alice.key), try await gateway.chat(key: alice.key)]
            let bobCall = try await gateway.chat(key: bob.key)
            #expect((aliceCalls + [bobCall]).allSatisfy { $0.status == .ok })
            let all = try await gateway.waitForCalls(3)
            #expect(all.count == 3, "the admin sees both users' calls")
            #expect(Set(all.compactMap { $0["user_id"] as? String }) == ["alice", "bob"], "user_id is the key's user")

            let aliceList =
                try await gateway.json(.get, "/api/llm/logs", key: alice.key)["items"] as? [[String: Any]] ?? []
            #expect(Set(aliceList.compactMap { $0["id"] as? String }) == Set(aliceCalls.compactMap(\.callID)))
            let probing =
                try await gateway.json(.get, "/api/llm/logs?user_id=bob", key: alice.key)["items"] as? [[String: Any]]
                ?? []
            #expect(
                probing.allSatisfy { $0["user_id"] as? String == "alice" },
                "asking for bob's calls still shows only alice's")

            let bobID = try #require(bobCall.callID)
            let bobTrace = try #require(bobCall.traceID)
            #expect(try await gateway.request(.get, "/api/llm/logs/\(bobID)", key: alice.key).status == .notFound)
            #expect(try await gateway.request(.get, "/api/llm/logs/\(bobID)", key: bob.key).status == .ok)
            #expect(try await gateway.request(.get, "/api/llm/logs/\(bobID)", key: KeyedGateway.adminKey).status == .ok)
            #expect(try await gateway.request(.get, "/api/llm/traces/\(bobTrace)", key: alice.key).status == .notFound)
            #expect(try await gateway.request(.get, "/api/llm/traces/\(bobTrace)", key: bob.key).status == .ok)

            let stats = try await gateway.json(.get, "/api/llm/stats", key: alice.key)
            #expect((stats["totals"] as? [String: Any])?["requests"] as? Int == 2, "alice's stats count only her calls")
            let adminStats = try await gateway.json(.get, "/api/llm/stats", key: KeyedGateway.adminKey)
            #expect((adminStats["totals"] as? [String: Any])?["requests"] as? Int == 3)
        }
    }
}
