public import ConcordStore
import ConcordWire
import Foundation

/// What `concord keys` does, on a database URL: migrate, act, close. The command line only parses arguments.
public enum KeyAdministration {
    /// Makes a key; the returned text shows it once, with how to use it.
    public static func create(
        databaseURL: String,
        userID: String,
        role: AuthenticatedCaller.Role,
        name: String?
    ) async throws -> String {
        try await withStore(databaseURL) { store in
            let issued = try await APIKeyIssuer.issue(in: store, userID: userID, role: role, name: name)
            return """
                \(issued.key)

                Key \(issued.record.id) for user '\(issued.record.userID)' (\(issued.record.role)). This is the only time \
                it is shown; only its hash is stored. Use it as 'Authorization: Bearer <key>'.
                """
        }
    }

    /// Every key as a table (or JSON), newest first. Never the keys themselves: they are not stored.
    public static func list(databaseURL: String, json: Bool) async throws -> String {
        try await withStore(databaseURL) { store in
            let keys = try await store.keys()
            if json { return WireJSON.encodeString(keys) }
            if keys.isEmpty { return "No keys yet. Make one with 'concord keys create --user NAME'." }
            var table = TextTable(headers: ["ID", "PREFIX", "USER", "ROLE", "NAME", "CREATED", "LAST USED", "REVOKED"])
            for key in keys {
                table.rows.append([
                    key.id, key.keyPrefix + "…", key.userID, key.role, key.name ?? "", time(key.createdAt),
                    key.lastUsedAt.map(time) ?? "never", key.revokedAt.map(time) ?? "",
                ])
            }
            return table.render()
        }
    }

    /// Revokes a key; `nil` when there is no such id. Gateways refuse it within seconds.
    public static func revoke(databaseURL: String, id: String) async throws -> APIKeyRecord? {
        try await withStore(databaseURL) { store in try await store.revokeKey(id: id) }
    }

    private static func time(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }

    private static func withStore<T: Sendable>(_ url: String, _ body: (SQLStore) async throws -> T) async throws -> T {
        let store = try SQLStore(url: url)
        do {
            try await store.migrate()
            let result = try await body(store)
            try await store.shutdown()
            return result
        } catch {
            try? await store.shutdown()
            throw error
        }
    }
}
