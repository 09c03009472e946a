import SQLKit

/// The message prefix of a call refused by a gateway limit. Such rows are recorded (every call is), but do not
/// count as requests against a requests-per-minute limit: a refused caller retrying must get back in.
public let limitRefusalPrefix = "Limit exceeded:"

extension SQLStore {
    static let limitColumns = [
        "requests_per_minute", "tokens_per_minute", "tokens_per_day", "usd_per_day", "tokens_per_month",
        "usd_per_month",
    ]

    /// Every limit set through the admin API.
    public func storedLimits() async throws -> [StoredLimits] {
        try await connections.withConnection { database in
            try await database.select().columns(["scope", "subject"] + Self.limitColumns).from("usage_limits")
                .orderBy("scope").orderBy("subject")
                .all()
                .compactMap { row in
                    guard let scope = LimitScope(rawValue: try row.decode(column: "scope", as: String.self)) else {
                        return nil
                    }
                    let limits = UsageLimits(
                        requestsPerMinute: try row.decode(column: "requests_per_minute", as: Int?.self),
                        tokensPerMinute: try row.decode(column: "tokens_per_minute", as: Int?.self),
                        tokensPerDay: try row.decode(column: "tokens_per_day", as: Int?.self),
                        usdPerDay: try row.decode(column: "usd_per_day", as: Double?.self),
                        tokensPerMonth: try row.decode(column: "tokens_per_month", as: Int?.self),
                        usdPerMonth: try row.decode(column: "usd_per_month", as: Double?.self)
                    )
                    return StoredLimits(
                        scope: scope, subject: try row.decode(column: "subject", as: String.self), limits: limits)
                }
        }
    }

    /// Sets (replaces) the limits of one user or key.
    public func setLimits(_ limits: UsageLimits, scope: LimitScope, subject: String) async throws {
        let now = DatabaseTimestamp.now()
        try await connections.withConnection { database in
            try await database.insert(into: "usage_limits").columns(
                ["scope", "subject"] + Self.limitColumns + ["updated_at"]
            )
            .values(
                scope.rawValue, subject, limits.requestsPerMinute, limits.tokensPerMinute, limits.tokensPerDay,
                limits.usdPerDay, limits.tokensPerMonth, limits.usdPerMonth, now
            )
            .onConflict(with: ["scope", "subject"]) { update in
                for column in Self.limitColumns + ["updated_at"] { update.set(excludedValueOf: column) }
                return update
            }
            .run()
        }
    }

    /// Removes the stored limits of one user or key; `true` when there were some.
    public func removeLimits(scope: LimitScope, subject: String) async throws -> Bool {
        try await connections.withConnection { database in
            let existing = try await database.select().column("subject").from("usage_limits")
                .where("scope", .equal, scope.rawValue).where("subject", .equal, subject).first()
            try await database.delete(from: "usage_limits")
                .where("scope", .equal, scope.rawValue).where("subject", .equal, subject).run()
            return existing != nil
        }
    }

    /// What each of these users used in the windows, from `llm_call_logs` (the `user_id, created_at` index).
    /// Users without calls in the month are absent.
    public func usage(ofUsers users: [String], windows: UsageWindows) async throws -> [String: WindowUsage] {
        guard !users.isEmpty else { return [:] }
        let minute = DatabaseTimestamp(seconds: windows.minuteStart)
        let day = DatabaseTimestamp(seconds: windows.dayStart)
        let month = DatabaseTimestamp(seconds: windows.monthStart)
        let refused = limitRefusalPrefix + "%"
        let query: SQLQueryString = """
            SELECT user_id,
              CAST(SUM(CASE WHEN created_at >= \(bind: minute) AND (status = 'success' OR error_message NOT LIKE \(bind: refused)) \
            THEN 1 ELSE 0 END) AS BIGINT) AS minute_requests,
              CAST(SUM(CASE WHEN created_at >= \(bind: minute) THEN total_tokens ELSE 0 END) AS BIGINT) AS minute_tokens,
              CAST(SUM(CASE WHEN created_at >= \(bind: day) THEN total_tokens ELSE 0 END) AS BIGINT) AS day_tokens,
              CAST(SUM(CASE WHEN created_at >= \(bind: day) THEN COALESCE(cost_usd, 0) ELSE 0 END) AS DOUBLE PRECISION) AS day_usd,
              CAST(SUM(total_tokens) AS BIGINT) AS month_tokens,
              CAST(SUM(COALESCE(cost_usd, 0)) AS DOUBLE PRECISION) AS month_usd
            FROM llm_call_logs
            WHERE user_id IN (\(binds: users)) AND created_at >= \(bind: month)
            GROUP BY user_id
            """
        return try await connections.withConnection { database in
            var result: [String: WindowUsage] = [:]
            for row in try await database.raw(query).all() {
                var usage = WindowUsage()
                usage.minuteRequests = try row.decode(column: "minute_requests", as: Int?.self) ?? 0
                usage.minuteTokens = try row.decode(column: "minute_tokens", as: Int?.self) ?? 0
                usage.dayTokens = try row.decode(column: "day_tokens", as: Int?.self) ?? 0
                usage.dayUSD = try row.decode(column: "day_usd", as: Double?.self) ?? 0
                usage.monthTokens = try row.decode(column: "month_tokens", as: Int?.self) ?? 0
                usage.monthUSD = try row.decode(column: "month_usd", as: Double?.self) ?? 0
                result[try row.decode(column: "user_id", as: String.self)] = usage
            }
            return result
        }
    }

    /// Which of these call ids are in `llm_call_logs` (so a replica stops counting them from memory).
    public func existingCallIDs(_ ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await connections.withConnection { database in
            var found = Set<String>()
            var start = 0
            while start < ids.count {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                for row in try await database.select().column("id").from("llm_call_logs").where("id", .in, chunk).all()
                {
                    found.insert(try row.decode(column: "id", as: String.self))
                }
                start += 500
            }
            return found
        }
    }
}
