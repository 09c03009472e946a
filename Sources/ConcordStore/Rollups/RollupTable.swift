/// The rollup tables: the same sums kept per hour and per UTC day, in three shapes.
///
/// The `detail` shape keeps every dimension (model, provider, caller, user, status) and answers any report. The
/// narrower `model` and `caller` shapes keep only model × provider or caller × user, so the common reports — totals,
/// time series, breakdowns by model, by agent or by user — read a few rows per bucket instead of one per
/// combination; `breakdown` drops only status, for combined breakdowns (user × model, agent × model). Reports read whole days from the daily tables and only the hours at a range's start from the
/// hourly ones, so a month costs about as much as a day.
struct RollupTable: Sendable, Hashable, CaseIterable {
    var shape: RollupShape
    var period: RollupPeriod

    static let hourly = RollupTable(shape: .detail, period: .hour)
    static let daily = RollupTable(shape: .detail, period: .day)

    static let allCases: [RollupTable] = RollupShape.allCases.flatMap { shape in
        RollupPeriod.allCases.map { RollupTable(shape: shape, period: $0) }
    }

    var name: String {
        let period = self.period == .hour ? "hourly" : "daily"
        return switch shape {
        case .detail: "llm_usage_\(period)"
        case .model: "llm_usage_model_\(period)"
        case .caller: "llm_usage_caller_\(period)"
        case .breakdown: "llm_usage_breakdown_\(period)"
        }
    }

    /// The key column holding the bucket's start, seconds since 1970 UTC.
    var bucketColumn: String { period == .hour ? "hour" : "day" }

    var seconds: Int64 { period.seconds }

    /// The start of the bucket holding `createdAt` (seconds since 1970 UTC).
    func bucket(of createdAt: Double) -> Int64 { period.bucket(of: createdAt) }
}

/// The length of a rollup bucket.
enum RollupPeriod: Sendable, Hashable, CaseIterable {
    case hour
    case day

    var seconds: Int64 { self == .hour ? 3600 : 86400 }

    /// The start of the bucket holding `createdAt` (seconds since 1970 UTC).
    func bucket(of createdAt: Double) -> Int64 {
        // Times come from records and from report queries; far outside any calendar they are clamped, never trapped on.
        let seconds = createdAt.isFinite ? Int64(min(max(createdAt, -1e15), 1e15).rounded(.down)) : 0
        return seconds - ((seconds % self.seconds) + self.seconds) % self.seconds
    }
}

/// Which dimensions a rollup table keeps besides its time bucket.
enum RollupShape: Sendable, Hashable, CaseIterable {
    /// Model, provider, caller, user and status: any filter or breakdown.
    case detail
    /// Model and provider only.
    case model
    /// Caller and user only.
    case caller
    /// Every dimension a report breaks down by — model, provider, caller, user — but not status: combinations
    /// such as user × model read half the rows of `detail`, whose status split only a status filter needs.
    case breakdown

    /// The key columns after the bucket, in key order.
    var dimensionColumns: [String] {
        switch self {
        case .detail: ["model", "provider", "caller_type", "caller_name", "user_id", "status"]
        case .model: ["model", "provider"]
        case .caller: ["caller_type", "caller_name", "user_id"]
        case .breakdown: ["model", "provider", "caller_type", "caller_name", "user_id"]
        }
    }

    /// The narrowest shape holding every one of `columns` (dimension columns a report groups or filters by).
    static func narrowest(holding columns: Set<String>) -> RollupShape {
        for shape in [RollupShape.model, .caller, .breakdown] where columns.isSubset(of: shape.dimensionColumns) {
            return shape
        }
        return .detail
    }
}
