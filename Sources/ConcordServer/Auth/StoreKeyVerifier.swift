public import ConcordStore
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// Verifies keys against the key store, with a short cache so authentication costs no database round trip per
/// request, and `CONCORD_ADMIN_KEY` still accepted as an admin key.
///
/// Both answers are cached for `cacheLifetime` (a few seconds): a known key's caller, and "unknown" for a key that
/// is not in the store — so a client hammering with a wrong key does not hammer the database either. A revoked key
/// therefore stops working within `cacheLifetime` on every replica, at once on the one that revoked it (`forget`).
/// While the database is unreachable, keys already seen keep working with what was last known.
///
/// `last_used_at` is written off the request path: `run()` (a `Service`) writes the keys seen since its last pass,
/// each at most once per `usageWriteInterval`.
public final class StoreKeyVerifier: APIKeyVerifier, Service {
    struct CacheEntry {
        var caller: AuthenticatedCaller?
        var expires: ContinuousClock.Instant
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
    private let cache = Mutex<[String: CacheEntry]>([:])
    private let marks = Mutex(UsageMarks())
    /// Beyond this many cached answers, expired ones are dropped (and all, if that is not enough).
    private let maximumCacheEntries = 10_000

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
        if let admin = await bootstrap.verify(key) { return admin }
        let hash = APIKeyHash.hex(key)
        let now = ContinuousClock.now
        let cached = cache.withLock { $0[hash] }
        let caller: AuthenticatedCaller?
        if let cached, cached.expires > now {
            caller = cached.caller
        } else {
            do {
                caller = Self.caller(for: try await store.key(hash: hash), hash: hash)
                remember(hash, caller: caller, until: now + cacheLifetime)
            } catch {
                // Never the key or its hash in the log: only that the lookup failed.
                logger.warning(
                    "API key lookup failed; using the last known answer", metadata: ["error": "\(type(of: error))"])
                caller = cached?.caller
            }
        }
        if let keyID = caller?.keyID { noteUse(of: keyID, at: now) }
        return caller
    }

    /// Drops cached answers for a key (after revoking it here), so this replica refuses it at once.
    public func forget(keyID: String) {
        cache.withLock { entries in
            entries = entries.filter { $0.value.caller?.keyID != keyID }
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

    private func remember(_ hash: String, caller: AuthenticatedCaller?, until expires: ContinuousClock.Instant) {
        let limit = maximumCacheEntries
        cache.withLock { entries in
            if entries.count >= limit {
                let now = ContinuousClock.now
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            }
            entries[hash] = CacheEntry(caller: caller, expires: expires)
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
