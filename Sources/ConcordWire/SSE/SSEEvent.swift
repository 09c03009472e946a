/// One Server-Sent Events message: the `event:` name (if any) and the joined `data:` lines.
public struct SSEEvent: Sendable, Hashable {
    public var event: String?
    public var data: String

    public init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }

    /// The event framed for the wire: `event:` line if named, one `data:` line per line of data, blank line.
    public var framed: String {
        var result = ""
        if let event { result += "event: \(event)\n" }
        if data.utf8.contains(UInt8(ascii: "\n")) {
            for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
                result += "data: \(line)\n"
            }
        } else {
            result += "data: \(data)\n"
        }
        result += "\n"
        return result
    }
}
