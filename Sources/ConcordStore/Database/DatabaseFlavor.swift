/// The few places where SQLite and PostgreSQL need different SQL text. Everything else is one implementation.
enum DatabaseFlavor: Sendable, Hashable {
    case sqlite
    case postgres

    /// SQLite takes the write lock up front so two writers queue on `busy_timeout` instead of failing with
    /// `SQLITE_BUSY` when a read lock cannot be upgraded.
    var beginWriteTransaction: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }

    /// Column type of every timestamp. PostgreSQL: `TIMESTAMPTZ`. SQLite: `REAL` holding seconds since 1970 UTC
    /// (microsecond precision), which sorts and compares as time does and works with SQLite's date functions
    /// (`datetime(created_at, 'unixepoch')`).
    var timestampType: String {
        switch self {
        case .sqlite: "REAL"
        case .postgres: "TIMESTAMPTZ"
        }
    }

    var doubleType: String { "DOUBLE PRECISION" }
    var integerType: String { "BIGINT" }
    var booleanType: String { "BOOLEAN" }
}
