import SQLKit
import SQLiteKit

/// SQLKit's view of one pooled SQLite connection that also keeps the connection itself, so the bulk writes can
/// bind `SQLiteData` directly (`BulkStatement`). Everything else goes through SQLKit unchanged.
struct SQLiteConnectionDatabase: ConnectionDatabase {
    let connection: SQLiteConnection
    let base: any SQLDatabase

    init(_ connection: SQLiteConnection) {
        self.connection = connection
        // Statement logging off: bound values are call contents, which must never reach the logs.
        self.base = connection.sql(queryLogLevel: nil)
    }
}
