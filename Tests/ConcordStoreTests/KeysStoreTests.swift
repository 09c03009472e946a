import ConcordStore
import Foundation
import Testing

@Suite("Key store")
struct KeysStoreTests {
    private func record(_ id: String, user: String = "alice") -> APIKeyRecord {
        APIKeyRecord(id: id, keyPrefix: "sk-concord-abcd", userID: user, role: "user", name: "laptop", createdAt: 1_700_000_000)
    }

    @Test("a key is found by its hash, listed without it, and stays found but marked once revoked")
    func lifecycle() async throws {
        let store = try SQLStore(url: "sqlite://:memory:")
        try await store.migrate()
        try await store.insertKey(record("key_1"), keyHash: "hash-1")
        try await store.insertKey(record("key_2", user: "bob"), keyHash: "hash-2")
        let found = try #require(try await store.key(hash: "hash-2"))
        #expect(found.record.userID == "bob")
        #expect(found.keyHash == "hash-2")
        #expect(try await store.key(hash: "hash-3") == nil)
        #expect(try await store.keys().map(\.id).sorted() == ["key_1", "key_2"])

        let revoked = try #require(try await store.revokeKey(id: "key_1"))
        #expect(revoked.revokedAt != nil)
        let again = try #require(try await store.revokeKey(id: "key_1"))
        #expect(again.revokedAt == revoked.revokedAt, "revoking twice keeps the first time")
        #expect(try await store.revokeKey(id: "key_9") == nil)
        #expect(try await store.key(hash: "hash-1")?.record.isRevoked == true)

        try await store.markKeysUsed(["key_2"], at: 1_700_000_100)
        #expect(try await store.keys().first { $0.id == "key_2" }?.lastUsedAt == 1_700_000_100)
        await #expect(throws: (any Error).self, "a hash is unique") {
            try await store.insertKey(self.record("key_3"), keyHash: "hash-2")
        }
        try await store.shutdown()
    }

    @Test("the first key is inserted only into an empty table")
    func firstKey() async throws {
        let store = try SQLStore(url: "sqlite://:memory:")
        try await store.migrate()
        #expect(try await store.insertFirstKey(record("key_bootstrap"), keyHash: "h1"))
        #expect(try await store.insertFirstKey(record("key_other"), keyHash: "h2") == false)
        #expect(try await store.keys().count == 1)
        try await store.shutdown()
    }

    @Test("usage per user is summed from the call log by window, and limits round-trip")
    func usageAndLimits() async throws {
        let store = try SQLStore(url: "sqlite://:memory:")
        try await store.migrate()
        try await store.setLimits(UsageLimits(tokensPerDay: 10, usdPerMonth: 2.5), scope: .user, subject: "alice")
        try await store.setLimits(UsageLimits(requestsPerMinute: 3), scope: .user, subject: "alice")
        let stored = try await store.storedLimits()
        #expect(stored.count == 1)
        #expect(stored.first?.limits == UsageLimits(requestsPerMinute: 3), "setting replaces")
        #expect(try await store.removeLimits(scope: .user, subject: "alice"))
        #expect(try await store.removeLimits(scope: .user, subject: "alice") == false)
        #expect(try await store.usage(ofUsers: ["alice"], windows: .init(minuteStart: 0, dayStart: 0, monthStart: 0)).isEmpty)
        try await store.shutdown()
    }
}
