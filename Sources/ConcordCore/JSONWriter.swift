/// Writes JSON text straight into bytes, for the answers the gateway builds often and large (usage reports, stream
/// chunks): no `Encodable` boxing, no dynamic casts, one growing buffer.
///
/// The writer tracks only whether a comma is due; the caller writes a well-formed sequence of calls
/// (`key` before every member value of an object).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's name; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { appendQuoted(value) } else { appendNull() }
        needsComma = true
    }

    public mutating func int(_ value: Int?) {
        separate()
        if let value { bytes.append(contentsOf: String(value).utf8) } else { appendNull() }
        needsComma = true
    }

    /// A number in the shortest form that reads back as the same `Double`; `null` for NaN and infinities, which
    /// JSON cannot hold.
    public mutating func double(_ value: Double?) {
        separate()
        if let value, value.isFinite { bytes.append(contentsOf: value.description.utf8) } else { appendNull() }
        needsComma = true
    }

    public mutating func bool(_ value: Bool?) {
        separate()
        if let value { bytes.append(contentsOf: (value ? "true" : "false").utf8) } else { appendNull() }
        needsComma = true
    }

    public mutating func null() {
        separate()
        appendNull()
        needsComma = true
    }

    /// JSON text already written elsewhere, as one value.
    public mutating func raw(_ json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// `"name": value` members in one call.
    public mutating func member(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func member(_ name: String, _ value: Int?) {
        key(name)
        int(value)
    }

    public mutating func member(_ name: String, _ value: Double?) {
        key(name)
        double(value)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendNull() {
        bytes.append(contentsOf: "null".utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `"value"` with `"`, `\` and control characters escaped (RFC 8259 §7); everything else as UTF-8.
    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
