import Hummingbird

extension JSON {
    /// Compact JSON straight into the response buffer: no intermediate `Data` or `String`, because
    /// benchmarks push many thousands of answers a second through this path.
    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .null:
            buffer.writeStaticString("null")
        case .bool(let value):
            if value { buffer.writeStaticString("true") } else { buffer.writeStaticString("false") }
        case .int(let value):
            buffer.writeString(String(value))
        case .double(let value):
            if value.isFinite { buffer.writeString(String(value)) } else { buffer.writeStaticString("null") }
        case .string(let value):
            Self.writeString(value, into: &buffer)
        case .array(let items):
            buffer.writeInteger(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                item.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                member.value.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text, e.g. for OpenAI's `arguments`, which is JSON carried inside a string.
    var serialized: String {
        var buffer = ByteBuffer()
        write(into: &buffer)
        return String(buffer: buffer)
    }

    static func writeString(_ value: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if !value.utf8.contains(where: needsEscape) {
            buffer.writeString(value)
        } else {
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case ..<0x20:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hexDigit(byte >> 4))
                    buffer.writeInteger(hexDigit(byte & 0x0F))
                default:
                    buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
