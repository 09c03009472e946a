import ConcordCore
import ConcordStore
import Foundation
import Testing

@Suite("Key store")
struct KeysStoreTests {
    private func record(_ id: String, user: String = "alice") -> APIKeyRecord {
        APIKeyRecord(
            id: id, keyPrefix: "sk-concord-abcd", userID: user, role: "user", name: "laptop", createdAt: 1_700_000_000)
    }

    @Test(
        "a key is found by its hash, listed without it, and stays found but marked once revoked",
        arguments: TestBackend.available)
    func lifecycle(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let store = database.store
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
        }
    }

    @Test(
        "the first key is inserted only into an empty table, once among concurrent starters",
        arguments: TestBackend.available)
    func firstKey(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            var others: [SQLStore] = []
            do {
                for _ in 0..<3 { others.append(try database.openAnotherStore()) }
                try await startFirstKeyRace(backend: backend, database: database, others: others)
            } catch {
                for store in others { try? await store.shutdown() }
                throw error
            }
            for store in others { try? await store.shutdown() }
            #expect(try await database.store.keys().count == 1)
        }
    }

    private func startFirstKeyRace(backend: TestBackend, database: TestDatabase, others: [SQLStore]) async throws {
        let starters = [database.store] + others
        let inserted: Int
        if backend == .postgres {
            inserted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, store) in starters.enumerated() {
                    group.addTask {
                        try await store.insertFirstKey(self.record("key_bootstrap"), keyHash: "h\(index)")
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        } else {
            // SQLite serialises writers on its file lock (BEGIN IMMEDIATE); starting them one after another
            // keeps this test from tying up the shared I/O threads in busy waits.
            var count = 0
            for (index, store) in starters.enumerated()
            where try await store.insertFirstKey(record("key_bootstrap"), keyHash: "h\(index)") {
                count += 1
            }
            inserted = count
        }
        #expect(inserted == 1)
        #expect(try await database.store.insertFirstKey(record("key_other"), keyHash: "h9") == false)
    }

    @Test(
        "usage per user is summed from the call log by window, and limits round-trip", arguments: TestBackend.available)
    func usageAndLimits(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let store = database.store
            try await store.setLimits(UsageLimits(tokensPerDay: 10, usdPerMonth: 2.5), scope: .user, subject: "alice")
            try await store.setLimits(UsageLimits(requestsPerMinute: 3), scope: .user, subject: "alice")
            let stored = try await store.storedLimits()
            #expect(stored.count == 1)
            #expect(stored.first?.limits == UsageLimits(requestsPerMinute: 3), "setting replaces")
            #expect(try await store.removeLimits(scope: .user, subject: "alice"))
            #expect(try await store.removeLimits(scope: .user, subject: "alice") == false)
            #expect(
                try await store.usage(ofUsers: ["alice"], windows: .init(minuteStart: 0, dayStart: 0, monthStart: 0))
                    .isEmpty)

            // month start = baseTime - 1000, day start = baseTime - 100, minute start = baseTime - 10
            var refused = makeRecord(userID: "alice", status: .error, totalTokens: 0, createdAt: baseTime)
            refused.errorMessage = limitRefusalPrefix + " the tokens-per-day limit"
            var priced = makeRecord(userID: "alice", totalTokens: 7, createdAt: baseTime - 50)
            priced.costUSD = 0.25
            let records = [
                makeRecord(userID: "alice", totalTokens: 100, createdAt: baseTime - 5000),  // last month
                makeRecord(userID: "alice", totalTokens: 40, createdAt: baseTime - 500),  // this month
                priced,  // today
                makeRecord(userID: "alice", totalTokens: 3, createdAt: baseTime),  // this minute
                makeRecord(userID: "alice", status: .error, totalTokens: 0, createdAt: baseTime),  // an upstream error
                refused,
                makeRecord(userID: "bob", totalTokens: 1000, createdAt: baseTime),
            ]
            try await store.write(records)
            let windows = UsageWindows(
                minuteStart: baseTime - 10, dayStart: baseTime - 100, monthStart: baseTime - 1000)
            let usage = try #require(try await store.usage(ofUsers: ["alice"], windows: windows)["alice"])
            #expect(usage.minuteRequests == 2, "refusals are not requests; the upstream error is")
            #expect(usage.minuteTokens == 3)
            #expect(usage.dayTokens == 10)
            #expect(abs(usage.dayUSD - 0.25) < 1e-9)
            #expect(usage.monthTokens == 50)
            #expect(try await store.existingCallIDs([priced.id, "nope"]) == [priced.id])
        }
    }
}
