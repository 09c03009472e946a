public import ConcordCore

/// What `SQLStore.listCalls` selects: every set field narrows the list (fields combine with AND).
public struct CallLogFilter: Sendable, Hashable {
    public static let defaultLimit = 50
    public static let maximumLimit = 500

    public var model: String?
    public var provider: String?
    public var callerType: CallContext.CallerType?
    public var callerName: String?
    public var userID: String?
    public var status: CallRecord.Status?
    public var traceID: String?
    /// Seconds since 1970 UTC, inclusive.
    public var since: Double?
    /// Seconds since 1970 UTC, exclusive.
    public var until: Double?
    /// Page size, clamped to 1...500.
    public var limit: Int
    /// `next_cursor` of the previous page; `nil` for the newest page.
    public var cursor: String?

    public init(
        model: String? = nil,
        provider: String? = nil,
        callerType: CallContext.CallerType? = nil,
        callerName: String? = nil,
        userID: String? = nil,
        status: CallRecord.Status? = nil,
        traceID: String? = nil,
        since: Double? = nil,
        until: Double? = nil,
        limit: Int = CallLogFilter.defaultLimit,
        cursor: String? = nil
    ) {
        self.model = model
        self.provider = provider
        self.callerType = callerType
        self.callerName = callerName
        self.userID = userID
        self.status = status
        self.traceID = traceID
        self.since = since
        self.until = until
        self.limit = limit
        self.cursor = cursor
    }

    var effectiveLimit: Int { min(max(limit, 1), Self.maximumLimit) }

    /// Whether `text` is a cursor this store hands out (`next_cursor`), so a bad one can be refused where it is read
    /// rather than fail the query.
    public static func isCursor(_ text: String) -> Bool {
        (try? CallLogCursor(encoded: text)) != nil
    }
}
