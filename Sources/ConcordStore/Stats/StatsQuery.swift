/// What a usage report is grouped by.
public enum StatsDimension: String, Sendable, Hashable, CaseIterable, Codable {
    case model, provider, caller, user, hour, day

    var isTime: Bool { self == .hour || self == .day }
}

/// A usage report request: the breakdown dimensions and the filters (all optional, combined with AND).
///
/// Time is kept by the hour: `since` is rounded down and `until` up to whole hours, so a report covers every hour
/// the range touches.
public struct StatsQuery: Sendable, Hashable {
    public var groupBy: [StatsDimension]
    /// Seconds since 1970 UTC, inclusive (rounded down to the hour).
    public var since: Double?
    /// Seconds since 1970 UTC, exclusive (rounded up to the hour).
    public var until: Double?
    public var model: String?
    public var provider: String?
    public var callerType: String?
    public var callerName: String?
    public var userID: String?
    public var status: String?

    public init(
        groupBy: [StatsDimension] = [],
        since: Double? = nil,
        until: Double? = nil,
        model: String? = nil,
        provider: String? = nil,
        callerType: String? = nil,
        callerName: String? = nil,
        userID: String? = nil,
        status: String? = nil
    ) {
        self.groupBy = groupBy
        self.since = since
        self.until = until
        self.model = model
        self.provider = provider
        self.callerType = callerType
        self.callerName = callerName
        self.userID = userID
        self.status = status
    }

    /// The first hour included.
    var firstHour: Int64? { since.map { UsageRollupRow.hour(of: $0) } }

    /// The first hour no longer included.
    var endHour: Int64? {
        until.map { until in
            let hour = UsageRollupRow.hour(of: until)
            return Double(hour) < until ? hour + 3600 : hour
        }
    }
}
