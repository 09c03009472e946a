import SQLiteKit

/// A value bound to a bulk statement, in the one form both bindings are made from: SQLite's own `SQLiteData` (no
/// `Encodable` round trip: the writer binds tens of thousands of values a second) or an element of a PostgreSQL
/// column array (`PostgresColumnArray`). A missing value keeps its type: PostgreSQL needs a typed NULL for a
/// `BIGINT` or `DOUBLE PRECISION` column.
enum DatabaseValue: Sendable {
    case text(String?)
    case integer(Int?)
    case real(Double?)
    case boolean(Bool)
    case timestamp(DatabaseTimestamp)

    var sqliteData: SQLiteData {
        switch self {
        case .text(let value): value.map(SQLiteData.text) ?? .null
        case .integer(let value): value.map(SQLiteData.integer) ?? .null
        case .real(let value): value.map(SQLiteData.float) ?? .null
        case .boolean(let value): .integer(value ? 1 : 0)
        case .timestamp(let value): .float(value.seconds)
        }
    }

    var isNull: Bool {
        switch self {
        case .text(nil), .integer(nil), .real(nil): true
        default: false
        }
    }

    /// About what the value takes in a bound PostgreSQL array: its bytes and a length word.
    var boundBytes: Int {
        switch self {
        case .text(let value?): value.utf8.count + 4
        default: 12
        }
    }
}
