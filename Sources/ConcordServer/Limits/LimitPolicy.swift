public import ConcordStore

/// The limits the configuration file sets (`limits:`). Limits set through the admin API (the `usage_limits` table)
/// take precedence for the same user or key.
public struct LimitPolicy: Sendable, Hashable {
    /// For every user without limits of their own.
    public var defaultUser: UsageLimits?
    public var users: [String: UsageLimits]
    public var keys: [String: UsageLimits]

    public init(defaultUser: UsageLimits? = nil, users: [String: UsageLimits] = [:], keys: [String: UsageLimits] = [:])
    {
        self.defaultUser = defaultUser
        self.users = users
        self.keys = keys
    }
}
