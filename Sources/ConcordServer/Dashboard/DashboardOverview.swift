import ConcordStore
import Foundation

/// The time ranges the overview offers, with the bucket its charts use.
enum DashboardRange: String, CaseIterable, Sendable {
    case hour = "1h"
    case day = "24h"
    case week = "7d"
    case month = "30d"

    var seconds: Double {
        switch self {
        case .hour: 3600
        case .day: 86400
        case .week: 7 * 86400
        case .month: 30 * 86400
        }
    }

    var bucket: StatsDimension { self == .month ? .day : .hour }
    var bucketSeconds: Int64 { bucket == .day ? 86400 : 3600 }
}

/// Everything the overview page shows, read from the rollups (and the ten latest errors from the log).
struct DashboardOverview: Sendable {
    var totals: UsageStats
    /// One entry per bucket of the range, empty buckets included.
    var series: [(start: Int64, stats: UsageStats)]
    var byModel: [UsageStatsRow]
    var byCaller: [UsageStatsRow]
    var byUser: [UsageStatsRow]
    var byProvider: [UsageStatsRow]
    var recentErrors: [CallLogSummary]

    static func load(
        usage: any UsageStatsSource,
        history: any CallHistory,
        base: StatsQuery,
        range: DashboardRange,
        now: Double
    ) async throws -> DashboardOverview {
        func query(_ dimension: StatsDimension) -> StatsQuery {
            var query = base
            query.groupBy = [dimension]
            return query
        }
        async let timeline = usage.stats(query(range.bucket))
        async let models = usage.stats(query(.model))
        async let callers = usage.stats(query(.caller))
        async let users = usage.stats(query(.user))
        async let providers = usage.stats(query(.provider))
        async let errors = history.listCalls(
            CallLogFilter(model: base.model, userID: base.userID, status: .error, since: base.since, limit: 10)
        )
        let time = try await timeline
        var byStart: [Int64: UsageStats] = [:]
        for row in time.rows {
            if let start = row.hour ?? row.day { byStart[start] = row.stats }
        }
        let step = range.bucketSeconds
        let first = Int64((base.since ?? now).rounded(.down)) / step * step
        let last = Int64(now.rounded(.down)) / step * step
        let series = stride(from: first, through: last, by: Int(step)).map { start in
            (start: start, stats: byStart[start] ?? UsageStats())
        }
        return DashboardOverview(
            totals: time.totals,
            series: series,
            byModel: try await models.rows,
            byCaller: try await callers.rows,
            byUser: try await users.rows,
            byProvider: try await providers.rows,
            recentErrors: try await errors.items
        )
    }
}
