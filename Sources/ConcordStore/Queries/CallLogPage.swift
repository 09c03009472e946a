/// One page of `SQLStore.listCalls`, newest first.
public struct CallLogPage: Sendable, Hashable, Codable {
    public var items: [CallLogSummary]
    /// Pass as `CallLogFilter.cursor` for the next (older) page; `null` on the last page.
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    public init(items: [CallLogSummary], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
