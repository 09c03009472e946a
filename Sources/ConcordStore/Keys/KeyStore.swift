/// Where API keys live. The store only ever sees hashes: making and hashing keys is the caller's business, so
/// nothing that reaches the database (or its statement log) can be replayed as a key.
public protocol KeyStore: Sendable {
    /// Stores a new key. `id` and `keyHash` must be unique.
    func insertKey(_ record: APIKeyRecord, keyHash: String) async throws

    /// Stores the key only if the table holds no key at all (not even a revoked one); `true` when it did. Safe when
    /// several gateways start at once on one database: exactly one of them inserts.
    func insertFirstKey(_ record: APIKeyRecord, keyHash: String) async throws -> Bool

    /// The key with this hash, revoked or not.
    func key(hash: String) async throws -> StoredAPIKey?

    /// Every key, newest first.
    func keys() async throws -> [APIKeyRecord]

    /// Marks the key revoked; `nil` when there is no such id. Revoking twice keeps the first time.
    func revokeKey(id: String) async throws -> APIKeyRecord?

    /// Sets `last_used_at` of these keys.
    func markKeysUsed(_ ids: [String], at seconds: Double) async throws
}
