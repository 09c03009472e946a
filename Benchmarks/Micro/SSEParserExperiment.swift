import ConcordWire

/// An experiment, not used by the gateway: `SSEParser` (Sources/ConcordWire/SSE/SSEParser.swift) with two changes,
/// measured side by side with the original by Benchmarks/Micro: (1) the per-byte loop runs over a concrete
/// `UnsafeRawBufferPointer` (the original's `feed(_: some Sequence<UInt8>)` is generic, and from another module it
/// runs unspecialized: every byte goes through IndexingIterator and value witnesses), and (2) a line is split
/// on bytes instead of as a `String` searched by `Character`.
struct SSEParserExperiment {
    private var line: [UInt8] = []
    private var data: String = ""
    private var hasData = false
    private var eventName: String?
    private var lastByteWasCR = false

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        if let events = bytes.withContiguousStorageIfAvailable({ feed(UnsafeRawBufferPointer($0)) }) {
            return events
        }
        return feed(Array(bytes))
    }

    mutating func feed(_ bytes: [UInt8]) -> [SSEEvent] {
        bytes.withUnsafeBytes { feed($0) }
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [SSEEvent] {
        var events: [SSEEvent] = []
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

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            if hasData { events.append(SSEEvent(event: eventName, data: data)) }
            data = ""
            hasData = false
            eventName = nil
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
    }
}
