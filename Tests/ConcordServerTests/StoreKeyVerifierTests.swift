import ConcordCore
import ConcordServer
import ConcordStore
import Synchronization
import Testing

@Suite("Key verification cache")
struct StoreKeyVerifierTests {
    static let key = "sk-concord-test-key-of-alice"

    @Test("a key in steady use is looked up again in the background: no call waits for the store")
    func steadyUseNeverWaits() async throws {
        let store = CountingKeyStore(key: Self.key)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil, cacheLifetime: .seconds(2))
        #expect(await verifier.verify(Self.key)?.userID == "alice")
        store.hold()
        try await Task.sleep(for: .milliseconds(1_200))  // past half the answer's life, before its end

        let answered = await answer(within: .seconds(1)) { await verifier.verify(Self.key) }
        #expect(answered??.userID == "alice", "answered from the cache while the store is held")
        try await store.waitForLookups(2)
        store.release()
    }

    @Test("callers arriving together with a key not yet seen share one lookup")
    func concurrentFirstUsesShareALookup() async throws {
        let store = CountingKeyStore(key: Self.key)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil)
        store.hold()
        let answers = Task {
            await withTaskGroup(of: AuthenticatedCaller?.self) { group in
                for _ in 0..<20 { group.addTask { await verifier.verify(Self.key) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await store.waitForLookups(1)
        try await Task.sleep(for: .milliseconds(200))  // the other nineteen arrive meanwhile
        #expect(store.lookups == 1)
        store.release()
        let callers = await answers.value
        #expect(callers.count == 20 && callers.allSatisfy { $0?.userID == "alice" })
    }

    @Test("a revoked key is refused once its cached answer has expired")
    func revokedKeyIsRefusedAfterTheLifetime() async throws {
        let store = CountingKeyStore(key: Self.key)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil, cacheLifetime: .milliseconds(300))
        #expect(await verifier.verify(Self.key) != nil)
        store.revoke()
        try await Task.sleep(for: .milliseconds(400))
        #expect(await verifier.verify(Self.key) == nil)
    }

    @Test("a key revoked on this replica is refused at once, even with a lookup of it under way")
    func forgetOutrunsALookupUnderWay() async throws {
        let store = CountingKeyStore(key: Self.key)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil, cacheLifetime: .seconds(2))
        #expect(await verifier.verify(Self.key)?.userID == "alice")
        store.hold()
        try await Task.sleep(for: .milliseconds(1_200))
        let answered = await answer(within: .seconds(1)) { await verifier.verify(Self.key) }
        #expect(answered??.userID == "alice")  // from the cache; starts a lookup, held
        try await store.waitForLookups(2)
        store.revoke()
        verifier.forget(keyID: "key_alice")
        store.release()  // the held lookup answers with the key as it was before the revocation
        try await Task.sleep(for: .milliseconds(100))
        #expect(await verifier.verify(Self.key) == nil)
    }

    @Test("a lookup that never returns holds a key's calls only so long: then they get the last answer at once")
    func hungLookupFallsBackToTheLastAnswer() async throws {
        let store = CountingKeyStore(key: Self.key)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil, cacheLifetime: .milliseconds(300))
        #expect(await verifier.verify(Self.key)?.userID == "alice")
        store.hold()
        try await Task.sleep(for: .milliseconds(400))  // expired: the next call waits for a lookup, which hangs
        let waited = await answer(within: .seconds(10)) { await verifier.verify(Self.key) }
        #expect(waited??.userID == "alice", "the last known answer once the wait is over")
        let next = await answer(within: .milliseconds(500)) { await verifier.verify(Self.key) }
        #expect(next??.userID == "alice", "the next call does not wait again")
        store.release()
    }

    @Test("a first lookup that fails is not remembered: the next call asks again")
    func failedFirstLookupIsNotCached() async throws {
        let store = CountingKeyStore(key: Self.key)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil)
        store.fail()
        #expect(await verifier.verify(Self.key) == nil)
        store.recover()
        #expect(await verifier.verify(Self.key)?.userID == "alice")
    }

    @Test("while the store fails, a key already seen keeps working and the store is not asked on every call")
    func outageKeepsTheLastAnswer() async throws {
        let store = CountingKeyStore(key: Self.key)
        let verifier = StoreKeyVerifier(store: store, adminKey: nil, cacheLifetime: .milliseconds(400))
        #expect(await verifier.verify(Self.key)?.userID == "alice")
        store.fail()
        try await Task.sleep(for: .milliseconds(500))  // the answer has expired
        for _ in 0..<50 {
            #expect(await verifier.verify(Self.key)?.userID == "alice")
        }
        #expect(store.lookups <= 3, "one lookup, not one per call (\(store.lookups))")
    }
}

/// A key store holding one key for Alice that counts its lookups, and can hold them until released, fail them,
/// or answer that the key is revoked.
private final class CountingKeyStore: KeyStore {
    struct State {
        var lookups = 0
        var holding = false
        var failing = false
        var revoked = false
        var held: [CheckedContinuation<Void, Never>] = []
    }

    let hash: String
    private let state = Mutex(State())

    init(key: String) {
        self.hash = APIKeyHash.hex(key)
    }

    var lookups: Int { state.withLock { $0.lookups } }
    func hold() { state.withLock { $0.holding = true } }
    func fail() { state.withLock { $0.failing = true } }
    func recover() { state.withLock { $0.failing = false } }
    func revoke() { state.withLock { $0.revoked = true } }

    func release() {
        let held = state.withLock { state in
            state.holding = false
            defer { state.held = [] }
            return state.held
        }
        for continuation in held { continuation.resume() }
    }

    func waitForLookups(_ count: Int) async throws {
        for _ in 0..<500 where lookups < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(lookups >= count, "the store was asked \(lookups) times, expected \(count)")
    }

    struct Unreachable: Error {}

    func key(hash: String) async throws -> StoredAPIKey? {
        // What the store reads is fixed when it is asked; a held lookup answers with it later.
        let (failing, revoked) = state.withLock { ($0.failing, $0.revoked) }
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state in
                state.lookups += 1
                if state.holding { state.held.append(continuation) }
                return !state.holding
            }
            if proceed { continuation.resume() }
        }
        if failing { throw Unreachable() }
        guard hash == self.hash else { return nil }
        let record = APIKeyRecord(
            id: "key_alice", keyPrefix: "sk-concord-t", userID: "alice", role: "user", createdAt: 0,
            revokedAt: revoked ? 1 : nil)
        return StoredAPIKey(record: record, keyHash: hash)
    }

    func insertKey(_ record: APIKeyRecord, keyHash: String) async throws {}
    func insertFirstKey(_ record: APIKeyRecord, keyHash: String) async throws -> Bool { false }
    func keys() async throws -> [APIKeyRecord] { [] }
    func revokeKey(id: String) async throws -> APIKeyRecord? { nil }
    func markKeysUsed(_ ids: [String], at seconds: Double) async throws {}
}
