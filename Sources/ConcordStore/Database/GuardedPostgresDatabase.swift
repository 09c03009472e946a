import NIOCore
import PostgresKit
import SQLKit

/// SQLKit's view of one pooled PostgreSQL connection that never sends a statement on a connection already closed.
///
/// PostgresNIO hands each query to its channel without a write promise. Once the channel has closed the write is
/// dropped, and the query's future never completes. The server closes connections when it shuts down or restarts —
/// the `ROLLBACK` after the error that ended a connection then hung the call-log writer, and with it graceful
/// shutdown, for good. Checking and sending together on the connection's event loop closes that window: while
/// the channel is active the statement reaches the connection's handler, which fails every statement it holds
/// when the channel closes.
struct GuardedPostgresDatabase: ConnectionDatabase {
    let connection: PostgresConnection
    let base: any SQLDatabase

    init(_ connection: PostgresConnection) {
        self.connection = connection
        // Statement logging off: bound values are call contents, which must never reach the logs.
        self.base = connection.sql(queryLogLevel: nil)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        let eventLoop = connection.eventLoop
        if eventLoop.inEventLoop { return sendUnlessClosed(query, onRow) }
        return eventLoop.flatSubmit { sendUnlessClosed(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    /// On the connection's event loop: the base database writes to the channel before returning.
    private func sendUnlessClosed(_ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        guard !connection.isClosed else {
            return connection.eventLoop.makeFailedFuture(
                StoreError(.connectionClosed, "the database closed the connection before the statement was sent")
            )
        }
        return base.execute(sql: query, onRow)
    }
}
