import NIOCore
import PostgresKit

/// One column of a batch, bound to PostgreSQL as a one-dimensional array in the binary wire format, NULLs allowed.
///
/// `INSERT … SELECT * FROM unnest($1, $2, …)` then takes a whole batch with one parameter per column instead of one
/// per value: the server parses and plans a short statement instead of one with 30,000 placeholders, and nothing
/// is converted to text on either side. (PostgresNIO's own array binding has no NULL elements.)
struct PostgresColumnArray: PostgresDynamicTypeEncodable, Encodable, Sendable {
    let psqlType: PostgresDataType
    var psqlFormat: PostgresFormat { .binary }
    private let elementType: PostgresDataType
    private let values: [DatabaseValue]

    /// The columns of `rows` (each `width` values, a column's values all of one kind), in order.
    static func columns(of rows: some Collection<[DatabaseValue]>, width: Int) -> [PostgresColumnArray] {
        (0..<width).map { column in PostgresColumnArray(rows.map { $0[column] }) }
    }

    private init(_ values: [DatabaseValue]) {
        self.values = values
        switch values.first {
        case .text, nil: (elementType, psqlType) = (.text, .textArray)
        case .integer: (elementType, psqlType) = (.int8, .int8Array)
        case .real: (elementType, psqlType) = (.float8, .float8Array)
        case .boolean: (elementType, psqlType) = (.bool, .boolArray)
        case .timestamp: (elementType, psqlType) = (.timestamptz, .timestamptzArray)
        }
    }

    /// `array_recv`'s format: dimensions, a has-NULLs flag, the element type, each dimension's length and lower
    /// bound, then every element as its length (-1 for NULL) and its binary value.
    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        buffer.writeInteger(Int32(1))
        buffer.writeInteger(Int32(values.contains(where: \.isNull) ? 1 : 0))
        buffer.writeInteger(elementType.rawValue)
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(Int32(1))
        for value in values { Self.writeElement(value, to: &buffer) }
    }

    /// Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch.
    private static let postgresEpochOffset: Int64 = 946_684_800_000_000

    private static func writeElement(_ value: DatabaseValue, to buffer: inout ByteBuffer) {
        switch value {
        case .text(let text?):
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            let length = buffer.writeString(text)
            buffer.setInteger(Int32(length), at: lengthIndex)
        case .integer(let integer?):
            buffer.writeInteger(Int32(8))
            buffer.writeInteger(Int64(integer))
        case .real(let real?):
            buffer.writeInteger(Int32(8))
            buffer.writeInteger(real.bitPattern)
        case .boolean(let flag):
            buffer.writeInteger(Int32(1))
            buffer.writeInteger(UInt8(flag ? 1 : 0))
        case .timestamp(let timestamp):
            buffer.writeInteger(Int32(8))
            buffer.writeInteger(timestamp.microseconds - postgresEpochOffset)
        case .text(nil), .integer(nil), .real(nil):
            buffer.writeInteger(Int32(-1))
        }
    }

    /// SQLKit asks binds to be `Encodable`, but PostgresKit binds this type through `encode(into:context:)`, and
    /// it is bound to nothing else.
    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(
            self, .init(codingPath: encoder.codingPath, debugDescription: "a column array binds only to PostgreSQL"))
    }
}
