import Foundation
import PostgresKit

/// Where the store's data lives, parsed from a database URL.
enum DatabaseLocation: Sendable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(SQLPostgresConfiguration)

    /// Accepts `sqlite://PATH` (relative or absolute, e.g. `sqlite://./concord.sqlite`, `sqlite:///var/concord.sqlite`),
    /// `sqlite://:memory:`, and `postgres://` / `postgresql://` URLs. A `search_path` query item on a PostgreSQL
    /// URL selects the schema the tables live in (created by `migrate()`), so several deployments can share one
    /// database.
    init(url: String) throws {
        let scheme = url.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        switch scheme {
        case "sqlite":
            guard url.lowercased().hasPrefix("sqlite://") else {
                throw StoreError(
                    .unsupportedDatabaseURL, "a SQLite URL looks like sqlite://./concord.sqlite or sqlite://:memory:")
            }
            var path = String(url.dropFirst("sqlite://".count))
            if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
            if path == ":memory:" {
                self = .sqliteMemory
            } else if path.isEmpty {
                throw StoreError(.unsupportedDatabaseURL, "the SQLite URL names no file")
            } else {
                self = .sqliteFile(path: path)
            }
        case "postgres", "postgresql":
            guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
                throw StoreError(
                    .unsupportedDatabaseURL, "a PostgreSQL URL looks like postgres://user:password@host:5432/database")
            }
            let searchPath = components.queryItems?.first { $0.name == "search_path" }?.value
            var forDriver = components
            forDriver.queryItems = components.queryItems?.filter { $0.name != "search_path" }
            if forDriver.queryItems?.isEmpty == true { forDriver.queryItems = nil }
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: forDriver.string ?? url)
            } catch {
                // The driver's error would echo the URL, password included.
                throw StoreError(.unsupportedDatabaseURL, "the PostgreSQL URL is malformed (user, host or TLS mode)")
            }
            if let searchPath, !searchPath.isEmpty { configuration.searchPath = [searchPath] }
            self = .postgres(configuration)
        default:
            throw StoreError(
                .unsupportedDatabaseURL,
                "unsupported database URL scheme '\(scheme)': use sqlite://PATH, sqlite://:memory: or postgres://"
            )
        }
    }

    var flavor: DatabaseFlavor {
        switch self {
        case .sqliteFile, .sqliteMemory: .sqlite
        case .postgres: .postgres
        }
    }
}
