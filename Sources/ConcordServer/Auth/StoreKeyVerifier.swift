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

    struct Cache {
        var entries: [String: CacheEntry] = [:]
        /// Lookups under way, by key hash: callers arriving meanwhile wait for the same one.
        var lookups: [String: Task<AuthenticatedCaller?, Never>] = [:]
        /// Moves on at each `forget`: a lookup begun before it does not cache its (possibly outdated) answer.
        var generation = 0
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

    public func verify(_ key: String) async -> AuthenticatedCaller? {
        let digest = APIKeyHash.sha256(key)
        if let admin = bootstrap.verify(digest: digest) { return admin }
        let hash = Hex.lowercase(digest)
        let now = ContinuousClock.now
        let (cached, lookup) = cache.withLock { cache -> (CacheEntry?, Task<AuthenticatedCaller?, Never>?) in
            let entry = cache.entries[hash]
            if let entry, entry.refreshFrom > now { return (entry, nil) }
            return (entry, lookupTask(for: hash, in: &cache))
        }
        let caller: AuthenticatedCaller?
        if let cached, cached.expires > now {
            caller = cached.caller
        } else {
            caller = await lookup?.value
        }
        if let keyID = caller?.keyID { noteUse(of: keyID, at: now) }
        return caller
    }

    /// The lookup of `hash` under way, or a new one. Called with the cache locked.
    private func lookupTask(for hash: String, in cache: inout Cache) -> Task<AuthenticatedCaller?, Never> {
        if let running = cache.lookups[hash] { return running }
        let generation = cache.generation
        let task = Task { await self.lookUp(hash, generation: generation) }
        cache.lookups[hash] = task
        return task
    }

    /// Asks the store and caches its answer; if the store fails, the last known answer stands and the store is asked
    /// again after `retryAfterFailure`.
    private func lookUp(_ hash: String, generation: Int) async -> AuthenticatedCaller? {
        do {
            let caller = Self.caller(for: try await store.key(hash: hash), hash: hash)
            let now = ContinuousClock.now
            let entry = CacheEntry(caller: caller, expires: now + cacheLifetime, refreshFrom: now + cacheLifetime / 2)
            remember(hash, entry, generation: generation)
            return caller
        } catch {
            // Never the key or its hash in the log: only that the lookup failed.
            logger.warning(
                "API key lookup failed; using the last known answer", metadata: ["error": "\(type(of: error))"])
            let now = ContinuousClock.now
            let lastKnown = cache.withLock { $0.entries[hash]?.caller }
            let entry = CacheEntry(
                caller: lastKnown, expires: now + cacheLifetime, refreshFrom: now + retryAfterFailure)
            remember(hash, entry, generation: generation)
            return lastKnown
        }
    }

    /// Drops cached answers for a key (after revoking it here), so this replica refuses it at once.
    public func forget(keyID: String) {
        cache.withLock { cache in
            cache.entries = cache.entries.filter { $0.value.caller?.keyID != keyID }
            cache.lookups.removeAll()
            cache.generation += 1
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

    /// Caches an answer and ends the lookup that found it, unless a `forget` came since the lookup began.
    private func remember(_ hash: String, _ entry: CacheEntry, generation: Int) {
        let limit = maximumCacheEntries
        cache.withLock { cache in
            guard cache.generation == generation else { return }
            if cache.entries.count >= limit {
                let now = ContinuousClock.now
                cache.entries = cache.entries.filter { $0.value.expires > now }
                if cache.entries.count >= limit { cache.entries.removeAll(keepingCapacity: true) }
            }
            cache.entries[hash] = entry
            cache.lookups[hash] = nil
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
