import ConcordCore
import ConcordServer
import ConcordStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Keys and administration routes")
struct KeysRouteTests {
    @Test("a user key cannot manage keys, write model configuration or set limits")
    func userKeyIsForbidden() async throws {
        try await KeyedGateway.run { gateway in
            let alice = try await gateway.createKey(user: "alice")
            let forbidden: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/llm/keys", nil),
                (.post, "/api/llm/keys", #"{"user_id":"alice","role":"admin"}"#),
                (.delete, "/api/llm/keys/\(alice.id)", nil),
                (.post, "/api/llm/models", #"{"id":"mine","provider":"mock"}"#),
                (.patch, "/api/llm/models/mock-house", #"{"enabled":false}"#),
                (.put, "/api/llm/limits/user/alice", #"{"tokens_per_day":1000000}"#),
                (.delete, "/api/llm/limits/user/alice", nil),
            ]
            for (method, uri, body) in forbidden {
                let response = try await gateway.request(method, uri, key: alice.key, json: body)
                #expect(response.status == .forbidden, "\(method) \(uri)")
            }
            #expect(
                try await gateway.request(.get, "/api/llm/models", key: alice.key).status == .ok,
                "reading models is allowed")
            #expect(try await gateway.chat(key: alice.key).status == .ok, "the key still works after being refused")
        }
    }

    @Test("a revoked key is refused; the key list shows prefixes, never keys")
    func revokedKeyIsRefused() async throws {
        try await KeyedGateway.run { gateway in
            let alice = try await gateway.createKey(user: "alice")
            #expect(try await gateway.chat(key: alice.key).status == .ok)
            let list = try await gateway.request(.get, "/api/llm/keys", key: KeyedGateway.adminKey)
            #expect(list.status == .ok)
            #expect(!list.text.contains(alice.key))
            let listed = try jsonObject(list.body)["data"] as? [[String: Any]] ?? []
            #expect(
                listed.first { $0["id"] as? String == alice.id }?["key_prefix"] as? String
                    == String(alice.key.prefix(16)))

            let revoked = try await gateway.request(.delete, "/api/llm/keys/\(alice.id)", key: KeyedGateway.adminKey)
            #expect(revoked.status == .ok)
            #expect(try await gateway.chat(key: alice.key).status == .unauthorized)
            #expect(try await gateway.request(.get, "/api/llm/logs", key: alice.key).status == .unauthorized)
            #expect(
                try await gateway.request(.delete, "/api/llm/keys/key_nope", key: KeyedGateway.adminKey).status
                    == .notFound)
            #expect(try await gateway.chat(key: "sk-concord-made-up").status == .unauthorized)
        }
    }

    @Test("revoking a key ends its dashboard sessions at their next page")
    func revocationEndsDashboardSessions() async throws {
        try await KeyedGateway.run { gateway in
            let alice = try await gateway.createKey(user: "alice")
            let cookie = try await DashboardTests.signIn(gateway.client, key: alice.key)
            #expect(try await DashboardTests.page(gateway.client, "/dashboard", cookie: cookie).0 == .ok)
            let revoked = try await gateway.request(.delete, "/api/llm/keys/\(alice.id)", key: KeyedGateway.adminKey)
            #expect(revoked.status == .ok)
            for page in ["/dashboard", "/dashboard/logs"] {
                let response = try await gateway.client.execute(uri: page, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .seeOther, "\(page)")
                #expect(response.headers[.location] == "/dashboard/login")
            }
        }
    }

    @Test("an admin key made through the API can manage keys; a user key's calls carry its user")
    func adminKeyFromAPI() async throws {
        try await KeyedGateway.run { gateway in
            let ops = try await gateway.createKey(user: "ops", role: "admin")
            let made = try await gateway.request(.post, "/api/llm/keys", key: ops.key, json: #"{"user_id":"carol"}"#)
            #expect(made.status == .created)
            let carol = try #require(try jsonObject(made.body)["key"] as? String)
            let call = try await gateway.chat(key: carol)
            let id = try #require(call.callID)
            try await gateway.waitForCalls(1)
            #expect(try await gateway.json(.get, "/api/llm/logs/\(id)", key: carol)["user_id"] as? String == "carol")
        }
    }

    @Test("an admin adds and changes a model through the API and routing follows at once")
    func modelConfiguration() async throws {
        try await KeyedGateway.run { gateway in
            #expect(try await gateway.chat(key: KeyedGateway.adminKey, model: "house").status == .notFound)
            let created = try await gateway.request(
                .post,
                "/api/llm/models",
                key: KeyedGateway.adminKey,
                json:
                    #"{"id":"house","provider":"mock","upstream_model":"demo","input_cost_per_mtok":1,"output_cost_per_mtok":2}"#
            )
            #expect(created.status == .created)
            #expect(try await gateway.chat(key: KeyedGateway.adminKey, model: "house").status == .ok)
            let withNUL = try await gateway.request(
                .post, "/api/llm/models", key: KeyedGateway.adminKey, json: #"{"id":"a\u0000b","provider":"mock"}"#)
            #expect(withNUL.status == .badRequest)
            let keyWithNUL = try await gateway.request(
                .post, "/api/llm/keys", key: KeyedGateway.adminKey, json: #"{"user_id":"a\u0000b"}"#)
            #expect(keyWithNUL.status == .badRequest)
            try await gateway.waitForCalls(1)
            var models =
                try await gateway.json(.get, "/api/llm/models", key: KeyedGateway.adminKey)["data"] as? [[String: Any]]
                ?? []
            for _ in 0..<200
            where (models.first { $0["model_id"] as? String == "house" }?["total_requests"] as? Int) != 1 {
                try await Task.sleep(for: .milliseconds(10))
                models =
                    try await gateway.json(.get, "/api/llm/models", key: KeyedGateway.adminKey)["data"]
                    as? [[String: Any]] ?? []
            }
            let house = try #require(models.first { $0["model_id"] as? String == "house" })
            #expect(house["total_requests"] as? Int == 1, "the list carries live counters")
            #expect(house["input_cost_per_mtok"] as? Double == 1)

            let duplicate = try await gateway.request(
                .post, "/api/llm/models", key: KeyedGateway.adminKey, json: #"{"id":"house","provider":"mock"}"#)
            #expect(duplicate.status == .badRequest)
            for (change, field) in [
                (#"{"timeout_seconds":1e300}"#, "timeout_seconds"), (#"{"timeout_seconds":0}"#, "timeout_seconds"),
                (#"{"input_cost_per_mtok":-1}"#, "input_cost_per_mtok"),
                (#"{"default_max_tokens":0}"#, "default_max_tokens"),
            ] {
                let refused = try await gateway.request(
                    .patch, "/api/llm/models/house", key: KeyedGateway.adminKey, json: change)
                #expect(refused.status == .badRequest, "\(change)")
                #expect(try errorObject(refused)["param"] as? String == field)
            }
            #expect(try await gateway.chat(key: KeyedGateway.adminKey, model: "house").status == .ok)
            let disabled = try await gateway.request(
                .patch, "/api/llm/models/house", key: KeyedGateway.adminKey, json: #"{"enabled":false}"#)
            #expect(disabled.status == .ok)
            #expect(try await gateway.chat(key: KeyedGateway.adminKey, model: "house").status == .notFound)
            #expect(
                try await gateway.request(.patch, "/api/llm/models/nope", key: KeyedGateway.adminKey, json: "{}").status
                    == .notFound)
        }
    }

    @Test("a model added through the API is still routed after a restart")
    func modelSurvivesRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-restart-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await KeyedGateway.run(in: directory) { gateway in
            let created = try await gateway.request(
                .post, "/api/llm/models", key: KeyedGateway.adminKey,
                json: #"{"id":"kept","provider":"mock","upstream_model":"demo"}"#
            )
            #expect(created.status == .created)
        }
        try await KeyedGateway.run(in: directory) { gateway in
            let kept = try await gateway.chat(key: KeyedGateway.adminKey, model: "kept")
            let neverAdded = try await gateway.chat(key: KeyedGateway.adminKey, model: "never-added")
            #expect(kept.status == .ok)
            #expect(neverAdded.status == .notFound)
        }
    }

    @Test("a first run on an empty store makes one admin key; later runs make none")
    func firstRunKey() async throws {
        let store = try SQLStore(url: "sqlite://:memory:")
        try await store.migrate()
        let first = try #require(try await APIKeyIssuer.issueFirstAdminKey(in: store))
        #expect(try await APIKeyIssuer.issueFirstAdminKey(in: store) == nil)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil)
        let caller = await verifier.verify(first)
        #expect(caller?.role == .admin)
        #expect(try await store.keys().count == 1)
        try await store.shutdown()
    }
}
