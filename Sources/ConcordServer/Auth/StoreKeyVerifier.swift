import ConcordCore
public import ConcordStore
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// Verifies keys against the key store, with a short cache so authentication costs no database round trip per
/// request, and `CONCORD_ADMIN_KEY` still accepted as an admin key.
///
/// Both answers are cached for `cacheLifetime` (a few seconds): a known key's caller, and "unknown" for a key that
/// is not in the store — so a client hammering with a wrong key does not hammer the database either. A use of a key
/// in the second half of its answer's life looks the key up again in the background, so a key in steady use never
/// waits for the store; a key not used for longer than that is looked up on its next use, and callers arriving
/// together share that one lookup. A revoked key therefore stops working within `cacheLifetime` on every replica,
/// at once on the one that revoked it (`forget`). While the database is unreachable, keys already seen keep working
/// with what was last known, and the store is asked again in the background about once a second.
///
/// `last_used_at` is written off the request path: `run()` (a `Service`) writes the keys seen since its last pass,
/// each at most once per `usageWriteInterval`.
public final class StoreKeyVerifier: APIKeyVerifier, Service {
    struct CacheEntry {
        var caller: AuthenticatedCaller?
        /// Until when the answer may be used.
        var expires: ContinuousClock.Instant
        /// From when a use of the key also starts a lookup in the background.
        var refreshFrom: ContinuousClock.Instant
    }

    struct Lookup {
        var task: Task<AuthenticatedCaller?, Never>
        var id: Int
        var started: ContinuousClock.Instant
    }

    struct Cache {
        var entries: [String: CacheEntry] = [:]
        /// Lookups under way, by key hash: callers arriving meanwhile wait for the same one. Only a lookup still
        /// listed here caches its answer (`forget` and a newer lookup unlist it).
        var lookups: [String: Lookup] = [:]
        var nextLookupID = 0
        /// When a failed lookup was last logged: an outage is logged every `failureLogInterval`, not per key.
        var failureLogged: ContinuousClock.Instant?
    }

    struct UsageMarks {
        /// When `last_used_at` was last written, by key id.
        var written: [String: ContinuousClock.Instant] = [:]
        /// Keys used since the last write pass, whose `last_used_at` is due.
        var due: Set<String> = []
    }

    private let store: any KeyStore
    private let bootstrap: BootstrapKeyVerifier
    private let cacheLifetime: Duration
    private let usageWriteInterval: Duration
    private let logger: Logger
    private let cache = Mutex(Cache())
    private let marks = Mutex(UsageMarks())
    /// Beyond this many cached answers, expired ones are dropped (and all, if that is not enough).
    private let maximumCacheEntries = 10_000
    /// After a failed lookup, how soon the store is asked again (in the background while an answer is known).
    private var retryAfterFailure: Duration { min(.seconds(1), cacheLifetime / 2) }
    /// The longest a call waits for a lookup; past it the call gets the last known answer, and the next call starts
    /// a new lookup (a statement on a connection that stopped answering may never return).
    private let lookupWait = Duration.seconds(2)
    private let failureLogInterval = Duration.seconds(10)

    public init(
        store: any KeyStore,
        adminKey: String?,
        cacheLifetime: Duration = .seconds(5),
        usageWriteInterval: Duration = .seconds(60),
        logger: Logger = Logger(label: "concord.auth")
    ) {
        self.store = store
        self.bootstrap = BootstrapKeyVerifier(adminKey: adminKey)
        self.cacheLifetime = cacheLifetime
        self.usageWriteInterval = usageWriteInterval
        self.logger = logger
    }

    public func verify(digest: [UInt8]) async -> AuthenticatedCaller? {
        if let admin = bootstrap.verify(digest: digest) { return admin }
        let hash = Hex.lowercase(digest)
        let now = ContinuousClock.now
        let (cached, lookup) = cache.withLock { cache -> (CacheEntry?, Task<AuthenticatedCaller?, Never>?) in
            let entry = cache.entries[hash]
            if let entry, entry.refreshFrom > now { return (entry, nil) }
            return (entry, lookupTask(for: hash, at: now, in: &cache))
        }
        let caller: AuthenticatedCaller?
        if let cached, cached.expires > now {
            caller = cached.caller
        } else if let lookup, let answer = await answer(within: lookupWait, { await lookup.value }) {
            caller = answer
        } else {
            caller = keepKnownAnswer(hash)?.caller
        }
        if let keyID = caller?.keyID { noteUse(of: keyID, at: now) }
        return caller
    }

    /// The lookup of `hash` under way, or a new one if there is none or it has run past `lookupWait`. Called with
    /// the cache locked.
    private func lookupTask(
        for hash: String, at now: ContinuousClock.Instant, in cache: inout Cache
    ) -> Task<AuthenticatedCaller?, Never> {
        if let running = cache.lookups[hash], now - running.started < lookupWait { return running.task }
        let id = cache.nextLookupID
        cache.nextLookupID += 1
        let task = Task { await self.lookUp(hash, id: id) }
        cache.lookups[hash] = Lookup(task: task, id: id, started: now)
        return task
    }

    /// Asks the store and caches its answer. If the store fails, a known answer stands (`keepKnownAnswer`); with
    /// none, nothing is cached, so the next call asks again.
    private func lookUp(_ hash: String, id: Int) async -> AuthenticatedCaller? {
        let asked = ContinuousClock.now
        do {
            let caller = Self.caller(for: try await store.key(hash: hash), hash: hash)
            remember(
                hash,
                CacheEntry(caller: caller, expires: asked + cacheLifetime, refreshFrom: asked + cacheLifetime / 2),
                lookup: id)
            return caller
        } catch {
            logFailure(error)
            remember(hash, nil, lookup: id)
            return keepKnownAnswer(hash)?.caller
        }
    }

    /// After a failed or unanswered lookup: a known answer stays usable for another `cacheLifetime`, and the store
    /// is asked again in the background after `retryAfterFailure`.
    private func keepKnownAnswer(_ hash: String) -> CacheEntry? {
        let now = ContinuousClock.now
        let (lifetime, retry) = (cacheLifetime, retryAfterFailure)
        return cache.withLock { cache in
            guard var entry = cache.entries[hash] else { return nil }
            entry.expires = now + lifetime
            entry.refreshFrom = now + retry
            cache.entries[hash] = entry
            return entry
        }
    }

    private func logFailure(_ error: any Error) {
        let now = ContinuousClock.now
        let interval = failureLogInterval
        let due = cache.withLock { cache -> Bool in
            if let logged = cache.failureLogged, now - logged < interval { return false }
            cache.failureLogged = now
            return true
        }
        // Never the key or its hash in the log: only that the lookup failed.
        if due {
            logger.warning(
                "API key lookup failed; known keys keep their last answer", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Drops cached answers for a key (after revoking it here), so this replica refuses it at once.
    public func forget(keyID: String) {
        cache.withLock { cache in
            cache.entries = cache.entries.filter { $0.value.caller?.keyID != keyID }
            cache.lookups.removeAll()
        }
    }

    /// The caller a stored key stands for, or `nil` when it is revoked or (impossibly) its hash differs.
    static func caller(for stored: StoredAPIKey?, hash: String) -> AuthenticatedCaller? {
        guard let stored, stored.record.revokedAt == nil,
            APIKeyHash.constantTimeEquals(Array(stored.keyHash.utf8), Array(hash.utf8))
        else { return nil }
        return AuthenticatedCaller(
            userID: stored.record.userID,
            role: AuthenticatedCaller.Role(rawValue: stored.record.role) ?? .user,
            keyID: stored.record.id
        )
    }

    /// Ends the lookup that found an answer and caches it — unless the lookup is no longer listed (a `forget` came
    /// since it began, or a newer lookup replaced it). A `nil` entry only ends the lookup.
    private func remember(_ hash: String, _ entry: CacheEntry?, lookup id: Int) {
        let limit = maximumCacheEntries
        cache.withLock { cache in
            guard cache.lookups[hash]?.id == id else { return }
            cache.lookups[hash] = nil
            guard let entry else { return }
            if cache.entries.count >= limit {
                let now = ContinuousClock.now
                cache.entries = cache.entries.filter { $0.value.expires > now }
                if cache.entries.count >= limit { cache.entries.removeAll(keepingCapacity: true) }
            }
            cache.entries[hash] = entry
        }
    }

    private func noteUse(of keyID: String, at now: ContinuousClock.Instant) {
        let interval = usageWriteInterval
        marks.withLock { marks in
            if let written = marks.written[keyID], now - written < interval { return }
            marks.due.insert(keyID)
        }
    }

    /// Writes `last_used_at` for the keys used since the last pass. Called by `run()`; tests call it directly.
    public func writeUsageMarks() async {
        let now = ContinuousClock.now
        let due = marks.withLock { marks -> [String] in
            let due = Array(marks.due)
            marks.due.removeAll()
            for id in due { marks.written[id] = now }
            return due
        }
        guard !due.isEmpty else { return }
        do {
            try await store.markKeysUsed(due.sorted(), at: Date().timeIntervalSince1970)
        } catch {
            logger.debug("could not write last_used_at; will retry", metadata: ["error": "\(type(of: error))"])
            marks.withLock { marks in
                for id in due {
                    marks.written[id] = nil
                    marks.due.insert(id)
                }
            }
        }
    }

    /// Writes usage marks every few seconds until graceful shutdown, then once more.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) }
            } catch {
                break
            }
            await writeUsageMarks()
        }
        await writeUsageMarks()
    }
}
