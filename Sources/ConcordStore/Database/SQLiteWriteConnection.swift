import NIOPosix
import Synchronization

/// The log writer's own connection to a SQLite file, one level below sqlite-nio: the same SQLite library (the copy
/// sqlite-nio carries and links, so its file locks are the ones every other connection of the process sees),
/// opened on first use and set up as `TunedSQLiteSource` sets up the pool's, with each statement compiled once and
/// then reused for every row of every batch (`SQLiteWriteSession`).
///
/// sqlite-nio compiles every statement it runs anew; for the writer that was the largest fixed cost of a batch
/// (the rollup upserts are long) and a parse of a multi-row `VALUES` per batch. Here a batch is one hop to the
/// connection's own thread, which steps prepared statements: one row per step, bound straight from
/// `DatabaseValue`. Transactions queue on that thread in the order they were asked for.
///
/// A failed transaction rolls back and closes the connection (the next one opens it again), so nothing a failure
/// left behind — a statement mid-way, a connection in an unknown state — carries over.
final class SQLiteWriteConnection: Sendable {
    private let path: String
    /// One thread: the connection is only ever used there, one transaction after another.
    private let thread: NIOThreadPool
    private let checkpointer: SQLiteCheckpointer
    /// The open connection, between transactions; held for the whole of each transaction.
    private let session = Mutex<SQLiteWriteSession?>(nil)
    /// Set by `close()` without waiting for a transaction in progress.
    private let isClosed = Atomic(false)

    init(path: String) {
        self.path = path
        self.thread = NIOThreadPool(numberOfThreads: 1)
        self.checkpointer = SQLiteCheckpointer(path: path)
        thread.start()
    }

    /// Runs `body` in one write transaction on the connection's thread: committed when it returns, rolled back
    /// when it throws.
    /// - Throws: `StoreError.storeClosed` after `close()`; SQLite's errors as `SQLiteWriteError`.
    func transaction<Value: Sendable>(
        _ body: @escaping @Sendable (inout SQLiteWriteSession) throws -> Value
    ) async throws -> Value {
        guard !isClosed.load(ordering: .acquiring) else { throw Self.closed }
        do {
            return try await thread.runIfActive { try self.transactionOnThread(body) }
        } catch {
            // A stopped thread refuses the work (as a cancellation): say why.
            throw isClosed.load(ordering: .acquiring) ? Self.closed : error
        }
    }

    private static let closed = StoreError(.storeClosed, "the store is shut down")

    private func transactionOnThread<Value>(_ body: (inout SQLiteWriteSession) throws -> Value) throws -> Value {
        try self.session.withLock { idle in
            guard !isClosed.load(ordering: .acquiring) else { throw Self.closed }
            var session: SQLiteWriteSession
            if let open = idle.take() {
                session = open
            } else {
                session = try SQLiteWriteSession(path: path, creating: true)
            }
            do {
                let changesBefore = session.totalChanges
                try session.execute(DatabaseFlavor.sqlite.beginWriteTransaction)
                let value = try body(&session)
                try session.execute("COMMIT")
                checkpointer.committed(rows: session.totalChanges - changesBefore)
                idle = consume session
                return value
            } catch {
                try? session.execute("ROLLBACK")
                session.close()
                throw error
            }
        }
    }

    /// Closes the connection after the transaction in progress, if any, and stops its thread; later transactions
    /// fail. Safe to call more than once.
    func close() async {
        isClosed.store(true, ordering: .releasing)
        // On the connection's thread, after what was already queued; if this task is cancelled and the work is
        // refused, the connection closes when this object goes (`SQLiteWriteSession`'s deinit).
        _ = try? await thread.runIfActive {
            self.session.withLock { idle in
                idle?.close()
                idle = nil
            }
        }
        try? await thread.shutdownGracefully()
        await checkpointer.close()
    }
}
