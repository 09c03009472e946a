/// The two rollup tables: the same sums per hour and per UTC day. Reports read whole days from the daily table
/// and only the partial days at a range's edges from the hourly one, so a month costs about as much as two days.
enum RollupTable: Sendable, CaseIterable {
    case hourly
    case daily

    var name: String {
        switch self {
        case .hourly: "llm_usage_hourly"
        case .daily: "llm_usage_daily"
        }
    }

    /// The key column holding the bucket's start, seconds since 1970 UTC.
    var bucketColumn: String {
        switch self {
        case .hourly: "hour"
        case .daily: "day"
        }
    }

    var seconds: Int64 {
        switch self {
        case .hourly: 3600
        case .daily: 86400
        }
    }

    /// The start of the bucket holding `createdAt` (seconds since 1970 UTC).
    func bucket(of createdAt: Double) -> Int64 {
        let seconds = createdAt.isFinite ? Int64(createdAt.rounded(.down)) : 0
        return seconds - ((seconds % self.seconds) + self.seconds) % self.seconds
    }
}
