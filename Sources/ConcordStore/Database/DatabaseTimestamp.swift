import Foundation
import PostgresKit
import SQLiteKit

/// A point in time as whole microseconds since 1970, UTC: the one timestamp type bound to and read from both
/// databases.
///
/// `Date` would round-trip through PostgreSQL's driver with truncation (and through `Double` on SQLite), so a
/// keyset cursor built from a read value could miss the row it came from. Whole microseconds are exactly what
/// `TIMESTAMPTZ` stores; on SQLite the value is stored as `REAL` seconds, which a `Double` holds exactly enough to
/// recover the same microsecond.
struct DatabaseTimestamp: Sendable, Hashable, Comparable, Codable {
    var microseconds: Int64

    init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// From the `Double` seconds used by `CallRecord`, rounded to the nearest microsecond.
    init(seconds: Double) {
        let microseconds = (seconds * 1_000_000).rounded()
        self.microseconds = microseconds.isFinite && abs(microseconds) < 9e18 ? Int64(microseconds) : 0
    }

    static func now() -> DatabaseTimestamp {
        DatabaseTimestamp(seconds: Date().timeIntervalSince1970)
    }

    var seconds: Double { Double(microseconds) / 1_000_000 }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.microseconds < rhs.microseconds }

    init(from decoder: any Decoder) throws {
        self.init(seconds: try decoder.singleValueContainer().decode(Double.self))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}

extension DatabaseTimestamp: SQLiteDataConvertible {
    init?(sqliteData: SQLiteData) {
        switch sqliteData {
        case .float(let seconds): self.init(seconds: seconds)
        case .integer(let seconds): self.init(microseconds: Int64(seconds) * 1_000_000)
        default: return nil
        }
    }

    var sqliteData: SQLiteData? { .float(seconds) }
}

extension DatabaseTimestamp: PostgresNonThrowingEncodable, PostgresDecodable {
    /// PostgreSQL counts from 2000-01-01 UTC.
    private static let postgresEpochOffset: Int64 = 946_684_800 * 1_000_000

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeInteger(microseconds - Self.postgresEpochOffset)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, buffer.readableBytes == 8,
            let value = buffer.readInteger(as: Int64.self)
        else {
            throw PostgresDecodingError.Code.typeMismatch
        }
        self.init(microseconds: value + Self.postgresEpochOffset)
    }
}
