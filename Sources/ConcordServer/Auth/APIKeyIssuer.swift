public import ConcordStore
import Foundation

/// Makes new API keys: the one place a key exists in clear, long enough to be shown once. The store gets its hash.
public enum APIKeyIssuer {
    /// How many leading characters of a key are kept for display (`sk-concord-` and five hex digits).
    static let prefixLength = 16

    /// A new key for `userID`, stored (hashed). Returns the key, to be shown once, and its record.
    public static func issue(
        in store: any KeyStore,
        userID: String,
        role: AuthenticatedCaller.Role = .user,
        name: String? = nil
    ) async throws -> (key: String, record: APIKeyRecord) {
        let key = APIKeyHash.generate()
        let record = newRecord(for: key, id: newKeyID(), userID: userID, role: role, name: name)
        try await store.insertKey(record, keyHash: APIKeyHash.hex(key))
        return (key, record)
    }

    /// On a store with no key at all (a first run), makes an admin key and returns it; otherwise `nil`. Several
    /// gateways starting at once on one database make one key between them.
    public static func issueFirstAdminKey(in store: any KeyStore) async throws -> String? {
        let key = APIKeyHash.generate()
        let record = newRecord(
            for: key, id: "key_bootstrap", userID: "admin", role: .admin, name: "first-run admin key")
        return try await store.insertFirstKey(record, keyHash: APIKeyHash.hex(key)) ? key : nil
    }

    static func newRecord(
        for key: String,
        id: String,
        userID: String,
        role: AuthenticatedCaller.Role,
        name: String?
    ) -> APIKeyRecord {
        APIKeyRecord(
            id: id,
            keyPrefix: String(key.prefix(prefixLength)),
            userID: userID,
            role: role.rawValue,
            name: name,
            createdAt: Date().timeIntervalSince1970
        )
    }

    /// `key_` and 16 random hex digits: unguessable enough that ids in URLs reveal nothing.
    static func newKeyID() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = String(generator.next() as UInt64, radix: 16)
        return "key_" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}
