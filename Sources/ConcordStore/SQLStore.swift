import Foundation
public import Logging
import SQLKit
public import ServiceLifecycle
import Synchronization

/// The gateway's database: call logs, model configurations with live counters, and the queries the API makes.
///
/// One implementation written against SQLKit runs on SQLite (a file, WAL mode) and PostgreSQL (a connection
/// pool). Open it from a URL, call `migrate()` before use, and close it when done.
///
/// Timestamps are UTC: `TIMESTAMPTZ` on PostgreSQL, and on SQLite `REAL` seconds since 1970 (microsecond
/// precision), which sorts and compares as time does. All values are bound parameters; statements are never
/// logged (their values are call contents).
///
/// Lifecycle: `SQLStore` is a swift-service-lifecycle `Service`. Put it in the `ServiceGroup` *before* the
/// `LogWriter` that writes into it: the group shuts services down in reverse order, so the writer drains into an
/// open store and the pool closes last. Outside a service group, call `shutdown()` (idempotent) instead.
public final class SQLStore: Sendable {
    let connections: any DatabaseConnections
    let flavor: DatabaseFlavor
    let logger: Logger
    /// The schema named by a PostgreSQL URL's `search_path`, created by `migrate()`.
    let schema: String?
    /// The log writer's own connection on a SQLite file (statements compiled once); `nil` on PostgreSQL and in
    /// memory, where the writer's transactions use the pool.
    let sqliteWriteConnection: SQLiteWriteConnection?
    private let isShutDown = Mutex(false)

    /// Opens (lazily: no connection is made until first use) the database at `url`:
    /// `sqlite://./concord.sqlite`, `sqlite://:memory:`, `postgres://user:pass@host:5432/db` (also
    /// `postgresql://`; `?search_path=schema` keeps the tables in their own schema).
    ///
    /// - Parameter maxConnections: the pool size (per event loop on PostgreSQL). SQLite in memory always uses one.
    /// - Throws: `StoreError` with code `.unsupportedDatabaseURL` for any other URL.
    public init(url: String, maxConnections: Int = 4, logger: Logger = Logger(label: "concord.store")) throws {
        let location = try DatabaseLocation(url: url)
        switch location {
        case .sqliteFile(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            self.sqliteWriteConnection = SQLiteWriteConnection(path: path)
            self.schema = nil
        case .sqliteMemory:
            self.sqliteWriteConnection = nil
            self.schema = nil
        case .postgres(let configuration):
            self.sqliteWriteConnection = nil
            self.schema = configuration.searchPath?.first
        }
        self.flavor = location.flavor
        self.logger = logger
        self.connections = location.openConnections(maxConnections: max(1, maxConnections), logger: logger)
    }

    /// Closes the writer's SQLite connection (after its transaction in progress) and the connection pool. Safe to
    /// call more than once; later uses of the store fail.
    public func shutdown() async throws {
        let first = isShutDown.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        await sqliteWriteConnection?.close()
        try await connections.shutdown()
        logger.debug("store closed")
    }

    /// Succeeds when the database answers a trivial query: readiness for `/health`.
    public func ping() async throws {
        try await connections.withConnection { database in
            try await database.raw("SELECT 1").run()
        }
    }
}

extension SQLStore: Service {
    /// Holds the store open until graceful shutdown (or cancellation), then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}
