/// Reads JSON text (RFC 8259) into a `JSONValue` in one pass over its bytes.
///
/// For the gateway's hottest reads — every event of every upstream stream — where `JSONDecoder` and `Codable`
/// cost several times the parse itself. Strict: anything that is not one well-formed JSON value (trailing
/// text, a control character or invalid UTF-8 in a string, a lone surrogate, a leading zero, nesting deeper than
/// `maximumDepth`) is refused, so a caller can fall back to `JSONDecoder` for the error it would report.
public enum JSONParser {
    /// Deeper nesting is refused rather than recursed into: upstream bodies are untrusted input.
    public static let maximumDepth = 256

    public struct Failure: Error, Sendable, Hashable {
        /// Byte offset where the text stopped being JSON.
        public var offset: Int
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        var text = text
        return try text.withUTF8 { bytes in Result { () throws(Failure) in try parse(bytes) } }.get()
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.offset == bytes.count else { throw Failure(offset: reader.offset) }
        return value
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private var failure: JSONParser.Failure { JSONParser.Failure(offset: offset) }

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): offset += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw failure }
        switch byte {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONParser.Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard bytes.count - offset >= count else { throw failure }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { throw failure }
        offset += count
        return value
    }

    private mutating func object(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw failure }
        offset += 1
        var members: [String: JSONValue] = [:]
        if closes(at: UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure }
            let key = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure }
            offset += 1
            let member = try value(depth: depth)
            // A repeated key keeps its first value, as `JSONDecoder` does.
            if members.index(forKey: key) == nil { members[key] = member }
        } while try !endsAfterItem(closing: UInt8(ascii: "}"))
        return .object(members)
    }

    private mutating func array(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw failure }
        offset += 1
        var elements: [JSONValue] = []
        if closes(at: UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            elements.append(try value(depth: depth))
        } while try !endsAfterItem(closing: UInt8(ascii: "]"))
        return .array(elements)
    }

    /// Right after `{` or `[`: skips whitespace and consumes `closing` if it is next — an empty object or array.
    private mutating func closes(at closing: UInt8) -> Bool {
        skipWhitespace()
        guard peek() == closing else { return false }
        offset += 1
        return true
    }

    /// After a member or element: `false` past a comma (another follows), `true` past `closing`; else a failure.
    private mutating func endsAfterItem(closing: UInt8) throws(JSONParser.Failure) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","):
            offset += 1
            return false
        case closing:
            offset += 1
            return true
        default:
            throw failure
        }
    }

    /// A string starting at the opening quote. Runs without escapes are taken whole.
    private mutating func string() throws(JSONParser.Failure) -> String {
        offset += 1
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = try validated(start..<offset)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw failure }
            offset += 1
        }
        guard offset < bytes.count else { throw failure }
        return try escapedString(prefix: validated(start..<offset))
    }

    /// The bytes as a `String`, refusing invalid UTF-8. ASCII — most of what JSON carries — needs no validation,
    /// and `String(decoding:)` over a buffer is specialized; `String(validating:)` is generic, resolved at run time.
    private func validated(_ range: Range<Int>) throws(JSONParser.Failure) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw JSONParser.Failure(offset: range.lowerBound)
        }
        return text
    }

    /// The rest of a string that has escapes, from the first backslash.
    private mutating func escapedString(prefix: String) throws(JSONParser.Failure) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: prefix.unicodeScalars)
        var runStart = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                scalars.append(contentsOf: try validated(runStart..<offset).unicodeScalars)
                offset += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                scalars.append(contentsOf: try validated(runStart..<offset).unicodeScalars)
                scalars.append(try escape())
                runStart = offset
            default:
                guard byte >= 0x20 else { throw failure }
                offset += 1
            }
        }
        throw failure
    }

    /// One escape sequence, from its backslash; a surrogate pair is one escape.
    private mutating func escape() throws(JSONParser.Failure) -> Unicode.Scalar {
        offset += 1
        guard let byte = peek() else { throw failure }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hexUnit()
            if (0xD800..<0xDC00).contains(unit) {
                guard bytes.count - offset >= 2, bytes[offset] == UInt8(ascii: "\\"),
                    bytes[offset + 1] == UInt8(ascii: "u")
                else { throw failure }
                offset += 2
                let low = try hexUnit()
                guard (0xDC00..<0xE000).contains(low) else { throw failure }
                let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw failure }
                return scalar
            }
            guard let scalar = Unicode.Scalar(unit) else { throw failure }
            return scalar
        default:
            throw failure
        }
    }

    private mutating func hexUnit() throws(JSONParser.Failure) -> UInt16 {
        guard bytes.count - offset >= 4 else { throw failure }
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure
            }
            unit = unit << 4 | UInt16(digit)
            offset += 1
        }
        return unit
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; whole numbers of up to 15 digits are converted
    /// directly, the rest by the standard library's correctly rounded parser.
    private mutating func number() throws(JSONParser.Failure) -> Double {
        let start = offset
        let negative = peek() == UInt8(ascii: "-")
        if negative { offset += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw failure }
        var whole: Int64 = 0
        var digits = 0
        if first == UInt8(ascii: "0") {
            offset += 1
        } else {
            while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                if digits < 18 { whole = whole * 10 + Int64(byte - UInt8(ascii: "0")) }
                digits += 1
                offset += 1
            }
        }
        var isWhole = true
        if peek() == UInt8(ascii: ".") {
            isWhole = false
            offset += 1
            try digitRun()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isWhole = false
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            try digitRun()
        }
        if isWhole, digits <= 15 {
            return negative ? -Double(whole) : Double(whole)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONParser.Failure(offset: start) }
        return value
    }

    private mutating func digitRun() throws(JSONParser.Failure) {
        let start = offset
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { offset += 1 }
        guard offset > start else { throw failure }
    }
}
