import ConcordCore
public import ConcordStore
import Foundation
public import Hummingbird

/// Usage reports: what `/api/llm/stats`, the dashboard and `concord stats` read.
public protocol UsageStatsSource: Sendable {
    func stats(_ query: StatsQuery) async throws -> UsageReport
}

extension SQLStore: UsageStatsSource {}

/// `GET /api/llm/stats`: totals and breakdowns from the hourly rollups. A `user` key sees only its own usage.
public struct StatsController: Sendable {
    let usage: any UsageStatsSource

    public init(usage: any UsageStatsSource) {
        self.usage = usage
    }

    public func report(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var query = try Self.query(from: request.uri.queryParameters)
        if !caller.isAdmin { query.userID = caller.userID }
        return JSONResponse.make(UsageReportJSON(try await usage.stats(query)))
    }

    /// Reads a report request from query parameters: `group_by` (comma-separated dimensions), `since`, `until`,
    /// `model`, `provider`, `caller` (`type:name` or a name), `caller_type`, `user` (or `user_id`), `status`.
    static func query(from parameters: Parameters) throws(GatewayError) -> StatsQuery {
        var query = StatsQuery()
        for name in parameters.getAll("group_by").flatMap({ $0.split(separator: ",") }) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let dimension = StatsDimension(rawValue: trimmed) else {
                throw .invalidField(
                    "group_by",
                    "Parameter 'group_by' takes model, provider, caller, user, hour, day (comma-separated)."
                )
            }
            query.groupBy.append(dimension)
        }
        query.model = parameters.get("model")
        query.provider = parameters.get("provider")
        query.userID = parameters.get("user") ?? parameters.get("user_id")
        query.callerType = parameters.get("caller_type")
        if let caller = parameters.get("caller") ?? parameters.get("caller_name") {
            if let colon = caller.firstIndex(of: ":"), CallContext.CallerType(rawValue: String(caller[..<colon])) != nil
            {
                query.callerType = String(caller[..<colon])
                query.callerName = String(caller[caller.index(after: colon)...])
            } else {
                query.callerName = caller
            }
        }
        if let type = query.callerType, CallContext.CallerType(rawValue: type) == nil {
            throw .invalidField("caller_type", "Parameter 'caller_type' must be one of agent, api, workflow.")
        }
        if let status = parameters.get("status") {
            guard CallRecord.Status(rawValue: status) != nil else {
                throw .invalidField("status", "Parameter 'status' must be 'success' or 'error'.")
            }
            query.status = status
        }
        query.since = try parameters.get("since").map { value throws(GatewayError) in
            try TimeParameter.parse(value, field: "since")
        }
        query.until = try parameters.get("until").map { value throws(GatewayError) in
            try TimeParameter.parse(value, field: "until")
        }
        return query
    }
}

/// A usage report as JSON: the query, `totals`, and `rows` with the grouped dimensions' values.
public struct UsageReportJSON: Encodable, Sendable {
    public var report: UsageReport

    public init(_ report: UsageReport) {
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case groupBy = "group_by"
        case since, until, totals, rows
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report.query.groupBy.map(\.rawValue), forKey: .groupBy)
        try container.encode(report.query.since, forKey: .since)
        try container.encode(report.query.until, forKey: .until)
        try container.encode(StatsJSON(stats: report.totals, row: nil), forKey: .totals)
        try container.encode(report.rows.map { StatsJSON(stats: $0.stats, row: $0) }, forKey: .rows)
    }
}

struct StatsJSON: Encodable {
    var stats: UsageStats
    var row: UsageStatsRow?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct Latency: Encodable {
        var avg: Double?
        var p50: Double?
        var p95: Double?
        var p99: Double?
        var max: Int?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(avg, forKey: Key("avg"))
            try container.encode(p50, forKey: Key("p50"))
            try container.encode(p95, forKey: Key("p95"))
            try container.encode(p99, forKey: Key("p99"))
            try container.encode(max, forKey: Key("max"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        if let row {
            for dimension in row.dimensionsPresent {
                try container.encode(dimension.value, forKey: Key(dimension.name))
            }
        }
        try container.encode(stats.requests, forKey: Key("requests"))
        try container.encode(stats.errors, forKey: Key("errors"))
        try container.encode(stats.errorRate, forKey: Key("error_rate"))
        try container.encode(stats.promptTokens, forKey: Key("prompt_tokens"))
        try container.encode(stats.completionTokens, forKey: Key("completion_tokens"))
        try container.encode(stats.totalTokens, forKey: Key("total_tokens"))
        try container.encode(stats.costUSD, forKey: Key("cost_usd"))
        try container.encode(stats.pricedRequests, forKey: Key("priced_requests"))
        try container.encode(stats.unpricedRequests, forKey: Key("unpriced_requests"))
        let latency = Latency(
            avg: stats.latencyAverageMs.map { ($0 * 10).rounded() / 10 },
            p50: stats.latencyPercentileMs(0.5),
            p95: stats.latencyPercentileMs(0.95),
            p99: stats.latencyPercentileMs(0.99),
            max: stats.requests > 0 ? stats.latencyMsMax : nil
        )
        try container.encode(latency, forKey: Key("latency_ms"))
    }
}

extension UsageStatsRow {
    /// The grouped dimensions' values as `(JSON name, value)`; a time bucket also as ISO 8601 in `*_start`.
    var dimensionsPresent: [(name: String, value: String?)] {
        var values: [(String, String?)] = []
        if let model { values.append(("model", model)) }
        if let provider { values.append(("provider", provider)) }
        if let callerType { values.append(("caller_type", callerType)) }
        if let callerName { values.append(("caller_name", callerName)) }
        if hasUser { values.append(("user_id", userID)) }
        if let hour { values.append(("hour", Self.iso(hour))) }
        if let day { values.append(("day", Self.iso(day))) }
        return values
    }

    static func iso(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
    }
}
