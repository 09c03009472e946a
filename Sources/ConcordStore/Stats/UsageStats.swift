/// What a set of calls adds up to: the numbers of one report row or of a report's totals.
public struct UsageStats: Sendable, Hashable {
    public var requests = 0
    public var errors = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var totalTokens = 0
    /// The sum over priced calls only.
    public var pricedCostUSD = 0.0
    public var pricedRequests = 0
    public var latencyMsSum = 0
    public var latencyMsMax = 0
    public var latency = LatencyHistogram()

    public init() {}

    public var unpricedRequests: Int { requests - pricedRequests }
    /// `nil` when no call was priced: unknown is never $0.
    public var costUSD: Double? { pricedRequests > 0 ? pricedCostUSD : nil }
    public var errorRate: Double { requests > 0 ? Double(errors) / Double(requests) : 0 }
    public var latencyAverageMs: Double? { requests > 0 ? Double(latencyMsSum) / Double(requests) : nil }
    public func latencyPercentileMs(_ quantile: Double) -> Double? {
        latency.percentile(quantile, maximum: latencyMsMax)
    }

    public mutating func add(_ other: UsageStats) {
        requests += other.requests
        errors += other.errors
        promptTokens += other.promptTokens
        completionTokens += other.completionTokens
        totalTokens += other.totalTokens
        pricedCostUSD += other.pricedCostUSD
        pricedRequests += other.pricedRequests
        latencyMsSum += other.latencyMsSum
        latencyMsMax = max(latencyMsMax, other.latencyMsMax)
        latency.add(other.latency)
    }
}

/// One breakdown row: the values of the grouped dimensions and what those calls add up to.
public struct UsageStatsRow: Sendable, Hashable {
    /// `model`, `provider`, `caller_type` and `caller_name`, `user_id` (`nil`: calls without a user),
    /// `hour` or `day` (seconds since 1970 of the bucket's start), for the dimensions grouped by.
    public var model: String?
    public var provider: String?
    public var callerType: String?
    public var callerName: String?
    public var userID: String?
    public var hasUser = false
    public var hour: Int64?
    public var day: Int64?
    public var stats: UsageStats

    public init(stats: UsageStats = UsageStats()) {
        self.stats = stats
    }
}

/// A usage report: totals over everything the query selects and one row per combination of its dimensions.
public struct UsageReport: Sendable, Hashable {
    public var query: StatsQuery
    public var totals: UsageStats
    public var rows: [UsageStatsRow]

    public init(query: StatsQuery, totals: UsageStats, rows: [UsageStatsRow]) {
        self.query = query
        self.totals = totals
        self.rows = rows
    }
}
