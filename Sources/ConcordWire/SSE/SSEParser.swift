/// An incremental Server-Sent Events parser: feed it bytes as they arrive from the network, in chunks cut
/// anywhere, and it returns each event once its closing blank line has arrived.
///
/// Follows the WHATWG event-stream rules: `\n`, `\r\n` and `\r` all end a line; lines starting with `:` are
/// comments; several `data:` lines join with `\n`; one space after the colon is dropped; an event with no
/// data is not dispatched. Memory is bounded by `maximumEventBytes` (one event's lines and data) plus one chunk:
/// past it the parser stops (`isOverLimit`), so an upstream that never ends a line cannot grow it without end.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var data: String = ""
    private var hasData = false
    private var eventName: String?
    private var lastByteWasCR = false
    private let maximumEventBytes: Int
    /// One event passed `maximumEventBytes`; nothing more is parsed.
    public private(set) var isOverLimit = false

    /// The largest event an upstream answer may hold by default: as much as a whole answer that is not streamed.
    public static let defaultMaximumEventBytes = 64 << 20

    public init(maximumEventBytes: Int = Self.defaultMaximumEventBytes) {
        self.maximumEventBytes = maximumEventBytes
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        // One concrete byte loop: through a generic sequence every byte would cost a dynamic dispatch.
        if let events = bytes.withContiguousStorageIfAvailable({ feed(UnsafeRawBufferPointer($0)) }) {
            return events
        }
        return Array(bytes).withUnsafeBytes { feed($0) }
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [SSEEvent] {
        var events: [SSEEvent] = []
        guard !isOverLimit else { return events }
        defer {
            // Checked once per chunk, not per byte: the bound may be passed by at most one chunk.
            if line.count + data.utf8.count > maximumEventBytes {
                isOverLimit = true
                line = []
                data = ""
            }
        }
        for byte in bytes {
            if lastByteWasCR {
                lastByteWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                endLine(into: &events)
            case UInt8(ascii: "\r"):
                lastByteWasCR = true
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Call when the stream has ended: an event left without its closing blank line is dispatched.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !line.isEmpty { endLine(into: &events) }
        dispatch(into: &events)
        return events
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let field = line[..<colon]
        if field.elementsEqual("data".utf8) {
            if hasData { data += "\n" }
            data += String(decoding: line[valueStart...], as: UTF8.self)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            eventName = String(decoding: line[valueStart...], as: UTF8.self)
        }
        // `id` and `retry` mean nothing to a one-shot upstream stream.
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        if hasData {
            events.append(SSEEvent(event: eventName, data: data))
        }
        data = ""
        hasData = false
        eventName = nil
    }
}
