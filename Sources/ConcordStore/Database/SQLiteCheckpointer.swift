import NIOPosix
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its own, after the writer's
/// commits, so that the writer's own automatic checkpoint — still the guarantee that the log is copied back and
/// restarts — finds almost nothing left to copy, and the copying runs beside the next transaction instead of inside
/// a commit. Under a backlog it copies after every `rowsForPrompt` rows (at most every `shortest`), and the log
/// restarts small; at a trickle at most once every `longest`, so an idle gateway does not fsync twice per batch.
///
/// Its checkpoints are `PASSIVE`: they never wait for the writer or for readers, and the writer's never waits for
/// them (SQLite does not call the busy handler for a passive checkpoint). A failed one is dropped, with its
/// connection; a later commit asks again.
final class SQLiteCheckpointer: Sendable {
    static let rowsForPrompt = 2_000
    static let shortest = Duration.milliseconds(50)
    static let longest = Duration.seconds(1)

    private let path: String
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var session: SQLiteWriteSession?
        var isQueued = false
        var isClosed = false
        var lastRun: ContinuousClock.Instant?
        var rowsSinceLastRun = 0
    }

    init(path: String) {
        self.path = path
        thread.start()
    }

    /// Called after a commit of `rows` rows: queues a checkpoint when one is due and none is queued or running.
    func committed(rows: Int) {
        let now = ContinuousClock.now
        let queue = state.withLock { state in
            state.rowsSinceLastRun += rows
            guard !state.isClosed, !state.isQueued else { return false }
            if let lastRun = state.lastRun {
                let elapsed = now - lastRun
                let prompted = state.rowsSinceLastRun >= Self.rowsForPrompt && elapsed >= Self.shortest
                guard prompted || elapsed >= Self.longest else { return false }
            }
            state.isQueued = true
            state.rowsSinceLastRun = 0
            return true
        }
        guard queue else { return }
        thread.submit { _ in self.checkpoint() }
    }

    /// On the checkpointer's thread. The connection is taken out of the state while it works, so `committed()`
    /// never waits for a copy.
    private func checkpoint() {
        var session = state.withLock { state in state.isClosed ? nil : state.session.take() }
        if session == nil, !state.withLock({ $0.isClosed }) {
            session = try? SQLiteWriteSession(path: path)
        }
        if var open = session.take() {
            do {
                try open.execute("PRAGMA wal_checkpoint(PASSIVE)")
                session = consume open
            } catch {
                open.close()
            }
        }
        state.withLock { state in
            state.isQueued = false
            state.lastRun = .now
            if state.isClosed {
                state.session?.close()
                state.session = nil
                session?.close()
            } else {
                state.session = session.take()
            }
        }
    }

    /// Stops: waits for a copy in progress, closes the connection and the thread.
    func close() async {
        state.withLock { $0.isClosed = true }
        _ = try? await thread.runIfActive {
            self.state.withLock { state in
                state.session?.close()
                state.session = nil
            }
        }
        try? await thread.shutdownGracefully()
    }
}
