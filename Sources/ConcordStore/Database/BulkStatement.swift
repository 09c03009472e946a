import SQLKit
import SQLiteKit

/// `head … tail` over many rows of bound values. On a SQLite file the writer's own connection compiles
/// `sqliteRowStatement` once and steps it per row (`SQLiteWriteConnection`). Through the pool (`run(_:on:)`): on
/// SQLite (in memory) `head VALUES (?,…),(…) tail`, split into statements under 30,000 bound parameters and bound as
/// `SQLiteData` straight onto the connection; on PostgreSQL one `head SELECT * FROM unnest($1, …) tail` with a bound
/// array per column (`PostgresColumnArray`).
///
/// Column and table names in `head` and `tail` are the store's own, never input.
struct BulkStatement: Sendable {
    /// `INSERT INTO table (columns)`.
    let head: String
    /// What follows the values: `ON CONFLICT …`, then `RETURNING id` when `returnsIDs`.
    let tail: String
    /// Values per row.
    let width: Int
    let returnsIDs: Bool
    /// The statement for one row, compiled once by the writer's own SQLite connection (`SQLiteWriteConnection`)
    /// and stepped per row. It returns nothing: the connection reads which rows were inserted from SQLite's
    /// count of changes, and the first value of each row is its id.
    let sqliteRowStatement: String

    /// - Parameter conflict: the `ON CONFLICT …` clause.
    init(head: String, conflict: String, width: Int, returnsIDs: Bool = false) {
        self.head = head
        self.tail = returnsIDs ? conflict + " RETURNING id" : conflict
        self.width = width
        self.returnsIDs = returnsIDs
        self.sqliteRowStatement = "\(head) VALUES \(BulkValues.placeholders(rows: 1, width: width)) \(conflict)"
    }

    var rowsPerStatement: Int { max(1, 30_000 / width) }

    /// Most bytes of bound values in one PostgreSQL statement. The server refuses a message or an array over 1 GB,
    /// and a batch that could never be written would block the writer for good: a backlog of long-context calls
    /// is split into several statements instead.
    static let postgresBytesPerStatement = 64 << 20

    /// Runs the statements over `rows` on `database` (inside the caller's transaction) and returns the `id` of
    /// every row they returned.
    func run(
        _ rows: some Collection<[DatabaseValue]>,
        on database: any SQLDatabase,
        postgresBytesPerStatement: Int = Self.postgresBytesPerStatement
    ) async throws -> [String] {
        guard !rows.isEmpty else { return [] }
        if let sqlite = database as? SQLiteConnectionDatabase {
            return try await runOnSQLite(rows, sqlite.connection)
        }
        return try await runOnPostgres(rows, database, bytesPerStatement: postgresBytesPerStatement)
    }

    /// One statement per `rowsPerStatement` rows.
    private func runOnSQLite(_ rows: some Collection<[DatabaseValue]>, _ connection: SQLiteConnection) async throws
        -> [String]
    {
        var ids: [String] = []
        var start = rows.startIndex
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: rowsPerStatement, limitedBy: rows.endIndex) ?? rows.endIndex
            ids += try await sqliteStatement(rows[start..<end], connection)
            start = end
        }
        return ids
    }

    private func sqliteStatement(_ rows: some Collection<[DatabaseValue]>, _ connection: SQLiteConnection)
        async throws -> [String]
    {
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * width)
        for row in rows {
            precondition(row.count == width, "BulkStatement rows must have \(width) values")
            for value in row { binds.append(value.sqliteData) }
        }
        let placeholders = BulkValues.placeholders(rows: rows.count, width: width)
        let result = try await connection.query("\(head) VALUES \(placeholders) \(tail)", binds)
        return returnsIDs ? result.compactMap { $0.column("id")?.string } : []
    }

    /// One statement per `bytesPerStatement` of bound values (and at least one row).
    private func runOnPostgres(
        _ rows: some Collection<[DatabaseValue]>,
        _ database: any SQLDatabase,
        bytesPerStatement: Int
    ) async throws -> [String] {
        var ids: [String] = []
        var chunk: [[DatabaseValue]] = []
        var bytes = 0
        for row in rows {
            let size = row.reduce(0) { $0 + $1.boundBytes }
            if !chunk.isEmpty, bytes + size > bytesPerStatement {
                ids += try await postgresStatement(chunk, database)
                chunk.removeAll(keepingCapacity: true)
                bytes = 0
            }
            chunk.append(row)
            bytes += size
        }
        return ids + (try await postgresStatement(chunk, database))
    }

    private func postgresStatement(_ rows: [[DatabaseValue]], _ database: any SQLDatabase) async throws -> [String] {
        precondition(rows.allSatisfy { $0.count == width }, "BulkStatement rows must have \(width) values")
        let columns: [any Encodable & Sendable] = PostgresColumnArray.columns(of: rows, width: width)
        let statement: SQLQueryString = "\(unsafeRaw: head) SELECT * FROM unnest(\(binds: columns)) \(unsafeRaw: tail)"
        guard returnsIDs else {
            try await database.raw(statement).run()
            return []
        }
        return try await database.raw(statement).all().map { try $0.decode(column: "id", as: String.self) }
    }
}
