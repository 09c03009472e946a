import SQLiteNIO
import VaporCSQLite

/// An open SQLite connection and its compiled statements, used by one thread at a time
/// (`SQLiteWriteConnection`'s).
///
/// `VaporCSQLite` is sqlite-nio's C target: the SQLite library it vendors and links, with every function renamed
/// `sqlite_nio_sqlite3_…`. It is not one of sqlite-nio's products, so a release of sqlite-nio that renames it
/// breaks this file's build (loudly); it must never be replaced by another copy of SQLite in the process (the
/// system's, GRDB's): two copies do not share their POSIX locks, which is how SQLite databases get corrupted.
///
/// `@unchecked Sendable`: it is only ever moved (it is noncopyable), into and out of a lock's state, and used by one
/// thread at a time.
struct SQLiteWriteSession: ~Copyable, @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Opens the file as sqlite-nio opens the pool's (the same flags, so a path means the same file) and sets the
    /// connection up as the pool's (`TunedSQLiteSource.pragmas`). Only one thread at a time uses it: no
    /// per-connection mutex.
    /// - Parameter creating: whether a missing file is created (as the pool's connections do) or refused.
    init(path: String, creating: Bool) throws {
        sqlite_nio_sqlite3_initialize()
        let flags =
            SQLITE_OPEN_READWRITE | (creating ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
            | SQLITE_OPEN_NOMUTEX
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        do {
            guard status == SQLITE_OK else { throw error(status, "open") }
            for pragma in TunedSQLiteSource.pragmas {
                try execute(pragma)
            }
        } catch {
            close()
            throw error
        }
    }

    deinit {
        Self.close(handle, statements)
    }

    /// Finalises the statements and closes the connection; later uses fail.
    mutating func close() {
        Self.close(handle, statements)
        statements = [:]
        handle = nil
    }

    private static func close(_ handle: OpaquePointer?, _ statements: [String: OpaquePointer]) {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        sqlite_nio_sqlite3_close_v2(handle)
    }

    /// Rows inserted or changed since the connection opened.
    var totalChanges: Int { Int(sqlite_nio_sqlite3_total_changes64(handle)) }

    /// Runs `sql`, which has no parameters (rows it returns are not read).
    mutating func execute(_ sql: String) throws {
        let status = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status, sql) }
    }

    /// Runs `statement` once per row of `rows`. When the statement returns ids (`INSERT … ON CONFLICT DO NOTHING`),
    /// returns the id — the row's first value — of every row it inserted.
    mutating func run(_ statement: BulkStatement, _ rows: some Sequence<[DatabaseValue]>) throws -> [String] {
        let prepared = try self.prepared(statement.sqliteRowStatement)
        defer {
            sqlite_nio_sqlite3_reset(prepared)
            // Drops the copies of the last row's texts (call contents) until the next batch.
            sqlite_nio_sqlite3_clear_bindings(prepared)
        }
        var ids: [String] = []
        for row in rows {
            precondition(row.count == statement.width, "BulkStatement rows must have \(statement.width) values")
            sqlite_nio_sqlite3_reset(prepared)
            for (index, value) in row.enumerated() {
                let status = Self.bind(value.sqliteData, at: Int32(index + 1), to: prepared)
                guard status == SQLITE_OK else { throw error(status, "bind") }
            }
            let status = sqlite_nio_sqlite3_step(prepared)
            guard status == SQLITE_DONE else { throw error(status, "step") }
            if statement.returnsIDs, sqlite_nio_sqlite3_changes(handle) > 0 {
                guard case .text(let id?) = row.first else { preconditionFailure("a row's first value is its id") }
                ids.append(id)
            }
        }
        return ids
    }

    private mutating func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, "prepare") }
        statements[sql] = statement
        return statement
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .text(var text):
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
        case .integer(let integer): return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let real): return sqlite_nio_sqlite3_bind_double(statement, index, real)
        case .null: return sqlite_nio_sqlite3_bind_null(statement, index)
        case .blob: preconditionFailure("the writer binds no blobs")
        }
    }

    private func error(_ status: Int32, _ operation: String) -> SQLiteWriteError {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
        return SQLiteWriteError(status: status, operation: operation, message: message ?? "unknown error")
    }
}

/// SQLite's `SQLITE_TRANSIENT`: it copies the bound bytes before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A SQLite error on the writer's connection. The message is SQLite's own (`sqlite3_errmsg`) and the operation a
/// step name or a statement without values: never a bound value.
struct SQLiteWriteError: Error, CustomStringConvertible {
    var status: Int32
    var operation: String
    var message: String

    var description: String { "SQLite error \(status) (\(operation)): \(message)" }
}
