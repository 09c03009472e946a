extension Migration {
    /// `api_keys`: one row per issued key. Only the SHA-256 of a key is stored (`key_hash`, unique, the lookup
    /// path of every authentication that misses the cache) and a short `key_prefix` so people can tell keys apart;
    /// the key itself is shown once, when it is made. Keys are revoked, never deleted, so a call log's `user_id`
    /// always has a key history to explain it.
    static let createAPIKeys = Migration(version: 3, name: "create api_keys") { flavor in
        [
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                key_hash TEXT NOT NULL UNIQUE,
                key_prefix TEXT NOT NULL,
                user_id TEXT NOT NULL,
                role TEXT NOT NULL,
                name TEXT,
                created_at \(flavor.timestampType) NOT NULL,
                last_used_at \(flavor.timestampType),
                revoked_at \(flavor.timestampType)
            )
            """,
            "CREATE INDEX api_keys_user ON api_keys (user_id)",
        ]
    }
}
