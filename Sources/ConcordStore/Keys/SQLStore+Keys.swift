import SQLKit

extension SQLStore: KeyStore {
    static let apiKeyColumns = [
        "id", "key_hash", "key_prefix", "user_id", "role", "name", "created_at", "last_used_at", "revoked_at",
    ]

    public func insertKey(_ record: APIKeyRecord, keyHash: String) async throws {
        try await connections.withConnection { database in
            try await database.insert(into: "api_keys").columns(Self.apiKeyColumns)
                .values(Self.values(of: record, keyHash: keyHash))
                .run()
        }
    }

    public func insertFirstKey(_ record: APIKeyRecord, keyHash: String) async throws -> Bool {
        let flavor = self.flavor
        return try await connections.withConnection { database in
            try await database.transaction(flavor) { database in
                guard try await database.select().column("id").from("api_keys").limit(1).first() == nil else {
                    return false
                }
                // Two PostgreSQL starters may both see an empty table; they both insert the same fixed id, so the
                // primary key lets exactly one through.
                let inserted = try await database.insert(into: "api_keys").columns(Self.apiKeyColumns)
                    .values(Self.values(of: record, keyHash: keyHash))
                    .ignoringConflicts()
                    .returning("id")
                    .all()
                return !inserted.isEmpty
            }
        }
    }

    public func key(hash: String) async throws -> StoredAPIKey? {
        try await connections.withConnection { database in
            try await database.select().columns(Self.apiKeyColumns).from("api_keys")
                .where("key_hash", .equal, hash)
                .first()
                .map { row in
                    StoredAPIKey(
                        record: try Self.record(row), keyHash: try row.decode(column: "key_hash", as: String.self))
                }
        }
    }

    public func keys() async throws -> [APIKeyRecord] {
        try await connections.withConnection { database in
            try await database.select().columns(Self.apiKeyColumns).from("api_keys")
                .orderBy("created_at", .descending)
                .orderBy("id", .descending)
                .all()
                .map(Self.record)
        }
    }

    public func revokeKey(id: String) async throws -> APIKeyRecord? {
        let now = DatabaseTimestamp.now()
        return try await connections.withConnection { database in
            try await database.update("api_keys")
                .set("revoked_at", to: now)
                .where("id", .equal, id)
                .where("revoked_at", .is, SQLLiteral.null)
                .run()
            return try await database.select().columns(Self.apiKeyColumns).from("api_keys")
                .where("id", .equal, id)
                .first()
                .map(Self.record)
        }
    }

    public func markKeysUsed(_ ids: [String], at seconds: Double) async throws {
        guard !ids.isEmpty else { return }
        try await connections.withConnection { database in
            try await database.update("api_keys")
                .set("last_used_at", to: DatabaseTimestamp(seconds: seconds))
                .where("id", .in, ids)
                .run()
        }
    }

    private static func values(of record: APIKeyRecord, keyHash: String) -> [any Encodable & Sendable] {
        [
            record.id, keyHash, record.keyPrefix, record.userID, record.role, record.name,
            DatabaseTimestamp(seconds: record.createdAt), record.lastUsedAt.map(DatabaseTimestamp.init(seconds:)),
            record.revokedAt.map(DatabaseTimestamp.init(seconds:)),
        ]
    }

    private static func record(_ row: any SQLRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.decode(column: "id", as: String.self),
            keyPrefix: try row.decode(column: "key_prefix", as: String.self),
            userID: try row.decode(column: "user_id", as: String.self),
            role: try row.decode(column: "role", as: String.self),
            name: try row.decode(column: "name", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).seconds,
            lastUsedAt: try row.decode(column: "last_used_at", as: DatabaseTimestamp?.self)?.seconds,
            revokedAt: try row.decode(column: "revoked_at", as: DatabaseTimestamp?.self)?.seconds
        )
    }
}
