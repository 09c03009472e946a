/// One issued API key as the store knows it: everything but the key. JSON names are the column names, without
/// `key_hash` (a hash is no secret, but nobody needs it outside the store).
public struct APIKeyRecord: Sendable, Hashable, Codable {
    public var id: String
    /// The first characters of the key, enough to tell keys apart in a list.
    public var keyPrefix: String
    public var userID: String
    /// `admin` or `user`.
    public var role: String
    public var name: String?
    /// Seconds since 1970, UTC.
    public var createdAt: Double
    /// Updated at most about once a minute per key, so it says "in use lately", not the last request's time.
    public var lastUsedAt: Double?
    /// When set, the key is refused (within the verifier's cache lifetime).
    public var revokedAt: Double?

    enum CodingKeys: String, CodingKey {
        case id, role, name
        case keyPrefix = "key_prefix"
        case userID = "user_id"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    public init(
        id: String,
        keyPrefix: String,
        userID: String,
        role: String,
        name: String? = nil,
        createdAt: Double,
        lastUsedAt: Double? = nil,
        revokedAt: Double? = nil
    ) {
        self.id = id
        self.keyPrefix = keyPrefix
        self.userID = userID
        self.role = role
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(keyPrefix, forKey: .keyPrefix)
        try container.encode(userID, forKey: .userID)
        try container.encode(role, forKey: .role)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(revokedAt, forKey: .revokedAt)
    }
}

/// A key as found by its hash: the record and the stored hash, which the verifier compares in constant time.
public struct StoredAPIKey: Sendable, Hashable {
    public var record: APIKeyRecord
    /// Lowercase hex SHA-256 of the key.
    public var keyHash: String

    public init(record: APIKeyRecord, keyHash: String) {
        self.record = record
        self.keyHash = keyHash
    }
}
