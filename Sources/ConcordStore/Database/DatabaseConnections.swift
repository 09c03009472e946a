import Logging
import PostgresKit
import SQLKit
import SQLiteKit

/// Hands out one database connection at a time, as an `SQLDatabase`, for the length of a closure.
///
/// Transactions need every statement on the same connection, so all store code runs inside `withConnection`.
protocol DatabaseConnections: Sendable {
    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result

    func shutdown() async throws
}

/// An async-kit connection pool behind `DatabaseConnections`.
///
/// `EventLoopGroupConnectionPool` is internally synchronised (a lock plus event-loop confinement) but not marked
/// `Sendable`; this box is the one place that vouches for it.
final class PooledConnections<Source: ConnectionPoolSource>: DatabaseConnections, @unchecked Sendable
where Source.Connection: Sendable {
    private let pool: EventLoopGroupConnectionPool<Source>
    private let makeDatabase: @Sendable (Source.Connection) -> any SQLDatabase

    init(
        pool: EventLoopGroupConnectionPool<Source>,
        makeDatabase: @escaping @Sendable (Source.Connection) -> any SQLDatabase
    ) {
        self.pool = pool
        self.makeDatabase = makeDatabase
    }

    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let makeDatabase = self.makeDatabase
        return try await pool.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await body(makeDatabase(connection)) }
        }.get()
    }

    func shutdown() async throws {
        try await pool.shutdownAsync()
    }
}

extension DatabaseLocation {
    /// Opens the pool for this location. Statement logging is off (see the databases each pool hands out): bound
    /// values are call contents, which must never reach the logs.
    func openConnections(maxConnections: Int, logger: Logger) -> any DatabaseConnections {
        switch self {
        case .sqliteFile(let path):
            return Self.sqlitePool(storage: .file(path: path), maxConnections: maxConnections, logger: logger)
        case .sqliteMemory:
            // An in-memory database exists per connection (sqlite-nio omits shared cache): exactly one.
            return Self.sqlitePool(storage: .memory, maxConnections: 1, logger: logger)
        case .postgres(let configuration):
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: maxConnections,
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton
            )
            return PooledConnections(pool: pool) { GuardedPostgresDatabase($0) }
        }
    }

    /// SQLite connections share one event loop: the work happens on NIO's thread pool, and one loop keeps one pool
    /// of connections to share (several loops would each open their own).
    private static func sqlitePool(
        storage: SQLiteConnection.Storage,
        maxConnections: Int,
        logger: Logger
    ) -> any DatabaseConnections {
        let pool = EventLoopGroupConnectionPool(
            source: TunedSQLiteSource(storage: storage),
            maxConnectionsPerEventLoop: maxConnections,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.next()
        )
        return PooledConnections(pool: pool) { SQLiteConnectionDatabase($0) }
    }
}
