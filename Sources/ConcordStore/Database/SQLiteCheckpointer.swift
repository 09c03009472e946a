import NIOPosix
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its own, after the writer's
/// commits, so that the copying runs beside the next transaction instead of inside a commit: the writer's own
/// automatic checkpoint — which still bounds the log (~32 MiB) and restarts it — finds almost nothing left to copy.
/// Under a backlog it copies after every `rowsForPrompt` rows changed (at least `shortest` apart); at a trickle at
/// most once every `longest`, so a quiet gateway does not fsync twice per batch.
///
/// Its checkpoints are `PASSIVE`: they never wait for the writer or for readers, and never make the writer wait —
/// when the two meet, the writer's automatic checkpoint is skipped for that commit (SQLite calls no busy handler for
/// a passive checkpoint) and runs at a later one. A checkpoint that fails drops its connection; a later commit asks
/// again. It never creates the database: a file deleted under the gateway is not silently recreated here.
final class SQLiteCheckpointer: Sendable {
    static let rowsForPrompt = 2_000
    static let shortest = Duration.milliseconds(50)
    static let longest = Duration.seconds(1)

    private let path: String
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private let state = Mutex(State())

    private struct State: ~Copyable {
        /// Idle whenever it is here: a checkpoint takes it out while it works.
        var session: SQLiteWriteSession?
        var isQueued = false
        var isClosed = false
        var lastFinished: ContinuousClock.Instant?
        var rowsSinceQueued = 0
    }

    init(path: String) {
        self.path = path
        thread.start()
    }

    /// Called after a commit that changed `rows` rows (calls, counters, rollups): queues a checkpoint when one is
    /// due and none is queued or running.
    func committed(rows: Int) {
        let now = ContinuousClock.now
        let queue = state.withLock { state in
            state.rowsSinceQueued += rows
            guard !state.isClosed, !state.isQueued else { return false }
            if let lastFinished = state.lastFinished {
                let elapsed = now - lastFinished
                let prompted = state.rowsSinceQueued >= Self.rowsForPrompt && elapsed >= Self.shortest
                guard prompted || elapsed >= Self.longest else { return false }
            }
            state.isQueued = true
            state.rowsSinceQueued = 0
            return true
        }
        guard queue else { return }
        thread.submit { workState in
            guard workState == .active else {
                self.state.withLock { $0.isQueued = false }
                return
            }
            self.checkpoint()
        }
    }

    /// On the checkpointer's thread.
    private func checkpoint() {
        var session: SQLiteWriteSession?
        let isClosed = state.withLock { state in
            if !state.isClosed { session = state.session.take() }
            return state.isClosed
        }
        if session == nil, !isClosed {
            session = try? SQLiteWriteSession(path: path, creating: false)
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
            state.lastFinished = .now
            if state.isClosed {
                session?.close()
            } else {
                state.session = session.take()
            }
        }
    }

    /// Stops: closes the idle connection at once, waits for a checkpoint in progress (which closes its own), and
    /// stops the thread.
    func close() async {
        state.withLock { state in
            state.isClosed = true
            state.session?.close()
            state.session = nil
        }
        try? await thread.shutdownGracefully()
    }
}
