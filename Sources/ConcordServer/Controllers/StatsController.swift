import ConcordCore
public import ConcordStore
import ConcordWire
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
        return JSONResponse.make(bytes: UsageReportJSON(try await usage.stats(query)).bytes)
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
        query.model = try parameters.text("model")
        query.provider = try parameters.text("provider")
        query.userID = try parameters.text("user")
        if query.userID == nil { query.userID = try parameters.text("user_id") }
        query.callerType = try parameters.text("caller_type")
        var caller = try parameters.text("caller")
        if caller == nil { caller = try parameters.text("caller_name") }
        if let caller {
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

/// A usage report as JSON: the query, `totals`, and `rows` with the grouped dimensions' values. Written with
/// `JSONWriter`: a report by hour and model over a week has thousands of rows.
public struct UsageReportJSON: Sendable {
    public var report: UsageReport

    public init(_ report: UsageReport) {
        self.report = report
    }

    public var bytes: [UInt8] {
        var json = JSONWriter(capacity: 512 + report.rows.count * 400)
        json.beginObject()
        json.key("group_by")
        json.beginArray()
        for dimension in report.query.groupBy { json.string(dimension.rawValue) }
        json.endArray()
        json.member("since", report.query.since)
        json.member("until", report.query.until)
        json.key("totals")
        Self.write(report.totals, row: nil, to: &json)
        json.key("rows")
        json.beginArray()
        for row in report.rows { Self.write(row.stats, row: row, to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func write(_ stats: UsageStats, row: UsageStatsRow?, to json: inout JSONWriter) {
        json.beginObject()
        if let row {
            for dimension in row.dimensionsPresent {
                json.member(dimension.name, dimension.value)
            }
        }
        json.member("requests", stats.requests)
        json.member("errors", stats.errors)
        json.member("error_rate", stats.errorRate)
        json.member("prompt_tokens", stats.promptTokens)
        json.member("completion_tokens", stats.completionTokens)
        json.member("total_tokens", stats.totalTokens)
        json.member("cost_usd", stats.costUSD)
        json.member("priced_requests", stats.pricedRequests)
        json.member("unpriced_requests", stats.unpricedRequests)
        json.key("latency_ms")
        json.beginObject()
        json.member("avg", stats.latencyAverageMs.map { ($0 * 10).rounded() / 10 })
        json.member("p50", stats.latencyPercentileMs(0.5))
        json.member("p95", stats.latencyPercentileMs(0.95))
        json.member("p99", stats.latencyPercentileMs(0.99))
        json.member("max", stats.requests > 0 ? stats.latencyMsMax : nil)
        json.endObject()
        json.endObject()
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
        if let hour { values.append(("hour", UTCTime.iso8601(hour))) }
        if let day { values.append(("day", UTCTime.iso8601(day))) }
        return values
    }
}
