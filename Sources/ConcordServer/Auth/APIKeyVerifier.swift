import ConcordCore
import Crypto

/// Decides who an API key belongs to, from the key's SHA-256 (`APIKeyHash.sha256`): what is kept of a key, in the
/// store and in a dashboard session, so a key can be asked about again without holding it.
public protocol APIKeyVerifier: Sendable {
    /// The caller the key with this digest belongs to, or `nil` for an unknown or revoked key.
    func verify(digest: [UInt8]) async -> AuthenticatedCaller?
}

extension APIKeyVerifier {
    /// The caller `key` belongs to, or `nil` for an unknown or revoked key.
    public func verify(_ key: String) async -> AuthenticatedCaller? {
        await verify(digest: APIKeyHash.sha256(key))
    }
}

/// The bootstrap admin key (`CONCORD_ADMIN_KEY`, or the one generated at first start).
/// Only its SHA-256 is kept in memory, and comparison takes the same time whatever the key.
public struct BootstrapKeyVerifier: APIKeyVerifier {
    private let adminKeyHash: [UInt8]?

    public init(adminKey: String?) {
        self.adminKeyHash = adminKey.map(APIKeyHash.sha256)
    }

    public func verify(digest: [UInt8]) -> AuthenticatedCaller? {
        guard let adminKeyHash, APIKeyHash.constantTimeEquals(digest, adminKeyHash) else { return nil }
        return AuthenticatedCaller(userID: "admin", role: .admin)
    }
}

/// Hashing and comparison of API keys: the one place keys are turned into what may be stored.
public enum APIKeyHash {
    public static func sha256(_ key: String) -> [UInt8] {
        var hasher = SHA256()
        var key = key
        key.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return Array(hasher.finalize())
    }

    /// What the key store keeps: the key's SHA-256 in lowercase hex.
    public static func hex(_ key: String) -> String {
        Hex.lowercase(sha256(key))
    }

    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// A new key: `sk-concord-` and 32 random bytes in hex.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var digits = ""
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            let text = String(word, radix: 16)
            digits += String(repeating: "0", count: 16 - text.count) + text
        }
        return "sk-concord-" + digits
    }
}
