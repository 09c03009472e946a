import ConcordCore
public import ConcordStore
import Foundation
public import Hummingbird

/// `GET /api/llm/logs` (filtered, keyset-paginated, without the large text columns) and
/// `GET /api/llm/logs/{id}` (one call whole). A `user` key sees only its own calls; another user's call
/// is a 404, not a 403, so ids cannot be probed.
public struct CallLogController: Sendable {
    let history: any CallHistory

    public init(history: any CallHistory) {
        self.history = history
    }

    public func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var filter = try Self.filter(from: request.uri.queryParameters)
        if !caller.isAdmin { filter.userID = caller.userID }
        return JSONResponse.make(try await history.listCalls(filter))
    }

    public func one(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.parameters.require("id")
        guard let record = try await history.call(id: id), caller.isAdmin || record.userID == caller.userID else {
            throw GatewayError(.notFound, "No call with id '\(id)'.")
        }
        return JSONResponse.make(record)
    }

    /// Reads the list filter from query parameters, rejecting values that cannot mean anything.
    static func filter(from query: Parameters) throws(GatewayError) -> CallLogFilter {
        var filter = CallLogFilter()
        filter.model = try query.text("model")
        filter.provider = try query.text("provider")
        filter.callerName = try query.text("caller_name")
        filter.userID = try query.text("user_id")
        filter.traceID = try query.text("trace_id")
        filter.cursor = try query.text("cursor")
        if let cursor = filter.cursor, !CallLogFilter.isCursor(cursor) {
            throw .invalidField("cursor", "Parameter 'cursor' must be the 'next_cursor' of a previous page, as given.")
        }
        if let value = query.get("caller_type") {
            guard let type = CallContext.CallerType(rawValue: value) else {
                throw .invalidField("caller_type", "Parameter 'caller_type' must be one of agent, api, workflow.")
            }
            filter.callerType = type
        }
        if let value = query.get("status") {
            guard let status = CallRecord.Status(rawValue: value) else {
                throw .invalidField("status", "Parameter 'status' must be 'success' or 'error'.")
            }
            filter.status = status
        }
        if let value = query.get("limit") {
            guard let limit = Int(value), (1...CallLogFilter.maximumLimit).contains(limit) else {
                throw .invalidField(
                    "limit", "Parameter 'limit' must be a number from 1 to \(CallLogFilter.maximumLimit).")
            }
            filter.limit = limit
        }
        filter.since = try query.get("since").map { value throws(GatewayError) in
            try TimeParameter.parse(value, field: "since")
        }
        filter.until = try query.get("until").map { value throws(GatewayError) in
            try TimeParameter.parse(value, field: "until")
        }
        return filter
    }
}

/// A point in time as the API accepts it: seconds since 1970, an ISO 8601 time, or a duration before now
/// (`15m`, `24h`, `7d`) — from 1970 to the end of year 9999.
enum TimeParameter {
    static let latest: Double = 253_402_300_799

    static func parse(_ value: String, field: String, now: Date = Date()) throws(GatewayError) -> Double {
        let time: Double? =
            if let seconds = Double(value) {
                seconds
            } else if let duration = DurationParameter.seconds(value) {
                now.timeIntervalSince1970 - duration
            } else {
                try? Date(value, strategy: .iso8601).timeIntervalSince1970
            }
        guard let time, time.isFinite, (0...latest).contains(time) else {
            throw .invalidField(
                field,
                "Parameter '\(field)' must be seconds since 1970, an ISO 8601 time, or a duration such as 15m, 24h, 7d, "
                    + "from 1970 to the year 9999."
            )
        }
        return time
    }
}

/// `30s`, `15m`, `24h`, `7d`, `2w` in seconds.
public enum DurationParameter {
    public static func seconds(_ value: String) -> Double? {
        guard let unit = value.last, let amount = Double(value.dropLast()), amount >= 0 else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86400
        case "w": return amount * 604_800
        default: return nil
        }
    }
}
