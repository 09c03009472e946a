import NIOPosix
import Synchronization
import VaporCSQLite

/// The log writer's own connection to a SQLite file, one level below sqlite-nio: the same SQLite library (the copy
/// sqlite-nio carries and links, so its file locks are the ones every other connection of the process sees),
/// opened once and set up as `TunedSQLiteSource` sets up the pool's, with each statement compiled once and then
/// reused for every row of every batch.
///
/// sqlite-nio compiles every statement it runs anew; for the writer that was the largest fixed cost of a batch
/// (the rollup upserts are long) and a parse of a multi-row `VALUES` per batch. Here a batch is one hop to a SQLite
/// thread that steps prepared statements: one row per step, bound straight from `DatabaseValue`.
///
/// One transaction at a time: the connection's state is held for the whole of `transaction`, on a thread of
/// `SQLiteThreads.pool`. A failed transaction closes the connection (the next one reopens it), so a connection that
/// went bad — a file replaced, a disk that failed — is never reused.
final class SQLiteWriteConnection: Sendable {
    private let path: String
    private let busyTimeoutMilliseconds: Int
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var session: Session?
        var isClosed = false
    }

    init(path: String, busyTimeoutMilliseconds: Int) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`) on a SQLite thread: committed when it returns,
    /// rolled back when it throws.
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (inout Session) throws -> Result
    ) async throws -> Result {
        try await SQLiteThreads.pool.runIfActive {
            try self.state.withLock { state in
                guard !state.isClosed else { throw StoreError(.connectionClosed, "the store is shut down") }
                var session: Session
                if let open = state.session.take() {
                    session = open
                } else {
                    session = try Session.open(path: self.path, busyTimeoutMilliseconds: self.busyTimeoutMilliseconds)
                }
                do {
                    try session.execute("BEGIN IMMEDIATE")
                    let result = try body(&session)
                    try session.execute("COMMIT")
                    state.session = consume session
                    return result
                } catch {
                    try? session.execute("ROLLBACK")
                    session.close()
                    throw error
                }
            }
        }
    }

    /// Closes the connection, after the transaction in progress if there is one; later transactions fail.
    func close() async {
        _ = try? await SQLiteThreads.pool.runIfActive {
            self.state.withLock { state in
                state.isClosed = true
                state.session.take()?.close()
            }
        }
    }
}

extension SQLiteWriteConnection {
    /// An open connection and its compiled statements, used by one thread at a time.
    struct Session: ~Copyable {
        private var handle: OpaquePointer?
        private var statements: [String: OpaquePointer] = [:]

        fileprivate static func open(path: String, busyTimeoutMilliseconds: Int) throws -> Session {
            var handle: OpaquePointer?
            let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
            var session = Session(handle: handle)
            guard status == SQLITE_OK else {
                let error = session.error(status, "open")
                session.close()
                throw error
            }
            for pragma in TunedSQLiteSource.pragmas(busyTimeoutMilliseconds: busyTimeoutMilliseconds) {
                do { try session.execute(pragma) } catch {
                    session.close()
                    throw error
                }
            }
            return session
        }

        private init(handle: OpaquePointer?) {
            self.handle = handle
        }

        /// Runs `sql`, which has no parameters and returns no rows.
        fileprivate mutating func execute(_ sql: String) throws {
            let status = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
            guard status == SQLITE_OK else { throw error(status, sql) }
        }

        /// Runs `statement` once per row of `rows` and returns, when the statement returns ids, the first value
        /// (the id) of every row it changed — for `INSERT … ON CONFLICT DO NOTHING`, the rows it inserted.
        mutating func run(_ statement: BulkStatement, _ rows: some Sequence<[DatabaseValue]>) throws -> [String] {
            let prepared = try self.prepared(statement.sqliteRowStatement)
            defer { sqlite_nio_sqlite3_reset(prepared) }
            var ids: [String] = []
            for row in rows {
                precondition(row.count == statement.width, "BulkStatement rows must have \(statement.width) values")
                sqlite_nio_sqlite3_reset(prepared)
                for (index, value) in row.enumerated() {
                    let status = Self.bind(value, at: Int32(index + 1), to: prepared)
                    guard status == SQLITE_OK else { throw error(status, "bind") }
                }
                let status = sqlite_nio_sqlite3_step(prepared)
                guard status == SQLITE_DONE else { throw error(status, "step") }
                if statement.returnsIDs, sqlite_nio_sqlite3_changes(handle) > 0, case .text(let id?) = row.first {
                    ids.append(id)
                }
            }
            return ids
        }

        private mutating func prepared(_ sql: String) throws -> OpaquePointer {
            if let statement = statements[sql] { return statement }
            var statement: OpaquePointer?
            let status = sqlite_nio_sqlite3_prepare_v3(
                handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
            guard status == SQLITE_OK, let statement else { throw error(status, "prepare") }
            statements[sql] = statement
            return statement
        }

        private static func bind(_ value: DatabaseValue, at index: Int32, to statement: OpaquePointer) -> Int32 {
            switch value {
            case .text(var text?):
                return text.withUTF8 { bytes in
                    // An empty buffer may have no address, which SQLite would bind as NULL.
                    guard let base = bytes.baseAddress else {
                        return sqlite_nio_sqlite3_bind_text64(statement, index, "", 0, transient, UInt8(SQLITE_UTF8))
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite_nio_sqlite3_bind_text64(
                            statement, index, $0, UInt64(bytes.count), transient, UInt8(SQLITE_UTF8))
                    }
                }
            case .integer(let integer?): return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
            case .real(let real?): return sqlite_nio_sqlite3_bind_double(statement, index, real)
            case .boolean(let flag): return sqlite_nio_sqlite3_bind_int64(statement, index, flag ? 1 : 0)
            case .timestamp(let time): return sqlite_nio_sqlite3_bind_double(statement, index, time.seconds)
            case .text(nil), .integer(nil), .real(nil): return sqlite_nio_sqlite3_bind_null(statement, index)
            }
        }

        private func error(_ status: Int32, _ operation: String) -> SQLiteWriteError {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
            return SQLiteWriteError(status: status, operation: operation, message: message ?? "unknown error")
        }

        fileprivate consuming func close() {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            sqlite_nio_sqlite3_close_v2(handle)
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT`: it copies the bound bytes before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A SQLite error on the writer's connection. The message is SQLite's own (`sqlite3_errmsg`): never a bound value.
struct SQLiteWriteError: Error, CustomStringConvertible {
    var status: Int32
    var operation: String
    var message: String

    var description: String { "SQLite error \(status) (\(operation)): \(message)" }
}
