extension Migration {
    /// `usage_limits`: limits set through the admin API, one row per user or key (`scope` is `user` or `key`).
    /// They override the configuration file's limits for the same subject. A NULL column means "no such limit".
    static let createUsageLimits = Migration(version: 4, name: "create usage_limits") { flavor in
        let integer = flavor.integerType
        return [
            """
            CREATE TABLE usage_limits (
                scope TEXT NOT NULL,
                subject TEXT NOT NULL,
                requests_per_minute \(integer),
                tokens_per_minute \(integer),
                tokens_per_day \(integer),
                usd_per_day \(flavor.doubleType),
                tokens_per_month \(integer),
                usd_per_month \(flavor.doubleType),
                updated_at \(flavor.timestampType) NOT NULL,
                PRIMARY KEY (scope, subject)
            )
            """
        ]
    }
}
