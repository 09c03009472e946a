public import ConcordCore
import SQLKit

extension SQLStore {
    /// A page of calls, newest first, without bodies.
    ///
    /// Keyset pagination on `(created_at, id)`: a page costs the same however deep it is, and rows written while a
    /// client pages never shift or repeat what it sees.
    ///
    /// - Throws: `StoreError` with code `.invalidCursor` when `filter.cursor` was not handed out by this store.
    public func listCalls(_ filter: CallLogFilter) async throws -> CallLogPage {
        let cursor = try filter.cursor.map(CallLogCursor.init(encoded:))
        let limit = filter.effectiveLimit
        var items = try await connections.withConnection { database in
            var query = database.select().columns(CallLogColumns.summary).from("llm_call_logs")
            let equalities: [(String, String?)] = [
                ("model", filter.model),
                ("provider", filter.provider),
                ("caller_type", filter.callerType?.rawValue),
                ("caller_name", filter.callerName),
                ("user_id", filter.userID),
                ("status", filter.status?.rawValue),
                ("trace_id", filter.traceID),
            ]
            for case (let column, let value?) in equalities {
                query = query.where(column, .equal, value)
            }
            if let since = filter.since {
                query = query.where("created_at", .greaterThanOrEqual, DatabaseTimestamp(seconds: since))
            }
            if let until = filter.until {
                query = query.where("created_at", .lessThan, DatabaseTimestamp(seconds: until))
            }
            if let cursor {
                query = query.where(
                    SQLQueryString("(created_at, id) < (\(bind: cursor.createdAt), \(bind: cursor.id))")
                )
            }
            return
                try await query
                .orderBy("created_at", .descending)
                .orderBy("id", .descending)
                .limit(limit + 1)
                .all()
                .map(CallLogSummary.init(row:))
        }
        var nextCursor: String?
        if items.count > limit {
            items.removeLast(items.count - limit)
            if let last = items.last {
                nextCursor = CallLogCursor(createdAt: DatabaseTimestamp(seconds: last.createdAt), id: last.id).encoded
            }
        }
        return CallLogPage(items: items, nextCursor: nextCursor)
    }

    /// One call with every column, or `nil` when there is no such id.
    public func call(id: String) async throws -> CallRecord? {
        try await connections.withConnection { database in
            try await database.select().columns(CallLogColumns.all).from("llm_call_logs")
                .where("id", .equal, id)
                .first()
                .map(CallRecord.init(row:))
        }
    }

    /// Every call of one trace, oldest first (the order they were made), with every column.
    public func calls(traceID: String, limit: Int? = nil) async throws -> [CallRecord] {
        try await connections.withConnection { database in
            try await database.select().columns(CallLogColumns.all).from("llm_call_logs")
                .where("trace_id", .equal, traceID)
                .orderBy("created_at", .ascending)
                .orderBy("id", .ascending)
                .limit(limit)
                .all()
                .map(CallRecord.init(row:))
        }
    }
}
