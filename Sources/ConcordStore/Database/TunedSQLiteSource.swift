import SQLiteKit

/// Opens SQLite connections set up for a write-heavy log: WAL (readers never block the writer), a real busy
/// timeout (sqlite-nio's default handler retries forever without sleeping), and `synchronous = NORMAL`, which in WAL
/// mode survives a process crash and costs one fsync per checkpoint rather than per commit.
struct TunedSQLiteSource: ConnectionPoolSource {
    var storage: SQLiteConnection.Storage
    var busyTimeoutMilliseconds: Int

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        let pragmas = [
            "PRAGMA busy_timeout = \(busyTimeoutMilliseconds)",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
        ]
        return SQLiteConnection.open(storage: storage, threadPool: .singleton, logger: logger, on: eventLoop)
            .flatMap { connection in
                pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                    previous.flatMap { connection.query(pragma).map { _ in } }
                }
                .flatMapError { error in connection.close().flatMapThrowing { throw error } }
                .map { connection }
            }
    }
}
