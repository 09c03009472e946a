import SQLiteKit

/// Opens SQLite connections set up for a write-heavy log:
/// - WAL, so readers never block the writer;
/// - a real busy timeout (sqlite-nio's default handler retries forever without sleeping);
/// - `synchronous = NORMAL`, which in WAL mode survives a process crash (a power cut may lose the last
///   transactions) and fsyncs per checkpoint rather than per commit;
/// - a 64 MiB page cache, in-memory statement journals and checkpoints every 8,192 pages (32 MiB): a batch
///   insert touches pages of seven b-trees, and these keep that work in memory.
struct TunedSQLiteSource: ConnectionPoolSource {
    var storage: SQLiteConnection.Storage
    /// How long a connection waits for another's write lock before its statement fails.
    static let busyTimeoutMilliseconds = 10_000

    /// Every connection's set-up, the writer's own (`SQLiteWriteConnection`) included.
    static let pragmas = [
        "PRAGMA busy_timeout = \(busyTimeoutMilliseconds)",
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA cache_size = -65536",
        "PRAGMA temp_store = MEMORY",
        "PRAGMA wal_autocheckpoint = 8192",
    ]

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        let pragmas = Self.pragmas
        return SQLiteConnection.open(storage: storage, threadPool: SQLiteThreads.pool, logger: logger, on: eventLoop)
            .flatMap { connection in
                pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                    previous.flatMap { connection.query(pragma).map { _ in } }
                }
                .flatMapError { error in connection.close().flatMapThrowing { throw error } }
                .map { connection }
            }
    }
}

/// The threads SQLite calls block on. Its own pool, larger than NIO's shared one (one thread per core): a
/// connection waiting out `busy_timeout` holds a thread, and must not starve the connection holding the lock.
enum SQLiteThreads {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()
}
