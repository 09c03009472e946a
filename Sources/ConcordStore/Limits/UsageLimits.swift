/// The budgets and rate limits of one user or one key. Every limit is optional; `nil` means unlimited.
/// Windows are calendar windows in UTC (the current minute, day, month), so a refusal can say when it ends.
public struct UsageLimits: Sendable, Hashable, Codable {
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    public var tokensPerDay: Int?
    public var usdPerDay: Double?
    public var tokensPerMonth: Int?
    public var usdPerMonth: Double?

    enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "requests_per_minute"
        case tokensPerMinute = "tokens_per_minute"
        case tokensPerDay = "tokens_per_day"
        case usdPerDay = "usd_per_day"
        case tokensPerMonth = "tokens_per_month"
        case usdPerMonth = "usd_per_month"
    }

    public init(
        requestsPerMinute: Int? = nil,
        tokensPerMinute: Int? = nil,
        tokensPerDay: Int? = nil,
        usdPerDay: Double? = nil,
        tokensPerMonth: Int? = nil,
        usdPerMonth: Double? = nil
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.tokensPerDay = tokensPerDay
        self.usdPerDay = usdPerDay
        self.tokensPerMonth = tokensPerMonth
        self.usdPerMonth = usdPerMonth
    }

    public var isUnlimited: Bool { self == UsageLimits() }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requestsPerMinute, forKey: .requestsPerMinute)
        try container.encode(tokensPerMinute, forKey: .tokensPerMinute)
        try container.encode(tokensPerDay, forKey: .tokensPerDay)
        try container.encode(usdPerDay, forKey: .usdPerDay)
        try container.encode(tokensPerMonth, forKey: .tokensPerMonth)
        try container.encode(usdPerMonth, forKey: .usdPerMonth)
    }
}

/// Whose limits: a user (every key of theirs together) or one key.
public enum LimitScope: String, Sendable, Hashable, Codable, CaseIterable {
    case user, key
}

/// A stored limit row.
public struct StoredLimits: Sendable, Hashable {
    public var scope: LimitScope
    public var subject: String
    public var limits: UsageLimits

    public init(scope: LimitScope, subject: String, limits: UsageLimits) {
        self.scope = scope
        self.subject = subject
        self.limits = limits
    }
}

/// What one user used in the current calendar windows, as the call log says.
public struct WindowUsage: Sendable, Hashable {
    public var minuteRequests = 0
    public var minuteTokens = 0
    public var dayTokens = 0
    public var dayUSD = 0.0
    public var monthTokens = 0
    public var monthUSD = 0.0

    public init() {}
}

/// The starts of the windows a usage query counts in, seconds since 1970 UTC.
public struct UsageWindows: Sendable, Hashable {
    public var minuteStart: Double
    public var dayStart: Double
    public var monthStart: Double

    public init(minuteStart: Double, dayStart: Double, monthStart: Double) {
        self.minuteStart = minuteStart
        self.dayStart = dayStart
        self.monthStart = monthStart
    }
}
