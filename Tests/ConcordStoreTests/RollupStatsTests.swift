import ConcordCore
import Foundation
import SQLKit
import Testing

@testable import ConcordStore

/// The rollups and the stats read from them agree with SQL over `llm_call_logs`, on both databases.
@Suite("Rollups and stats")
struct RollupStatsTests {
    /// A known mix: several models, providers, callers, users (and none), successes and errors, priced and
    /// unpriced calls, latencies across many histogram buckets, over three days.
    static func mix() -> [CallRecord] {
        let models = [("gpt-mock", "openai", 2.0e-6), ("claude-mock", "anthropic", 0.0), ("mock/demo", "mock", -1)]
        let callers: [(CallContext.CallerType, String)] = [
            (.agent, "router-agent"), (.api, "/v1/chat/completions"), (.workflow, "nightly"),
        ]
        let users: [String?] = ["alice", "bob", nil]
        return (0..<240).map { index in
            let (model, provider, price) = models[index % models.count]
            let (callerType, callerName) = callers[(index / 3) % callers.count]
            var record = makeRecord(
                model: model,
                provider: provider,
                callerType: callerType,
                callerName: callerName,
                userID: users[(index / 2) % users.count],
                status: index % 7 == 0 ? .error : .success,
                totalTokens: 20 + index * 13 % 500,
                createdAt: baseTime + Double(index) * 997
            )
            record.latencyMs = (index * 37) % 20_000 + index % 5
            record.costUSD = price < 0 ? nil : Double(record.totalTokens) * price
            return record
        }
    }

    @Test(
        "rollups are written with the rows, in step even when a batch is written twice",
        arguments: TestBackend.available)
    func rollupsAgreeWithLog(_ backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = Self.mix()
            try await database.store.write(Array(records[0..<100]))
            try await database.store.write(Array(records[50..<240]))  // half a replay
            try await database.store.write(records)  // a whole replay
            let report = try await database.store.stats(StatsQuery(groupBy: [.model]))
            let expected = try await Self.sqlTotals(database.store, groupBy: "model")
            #expect(report.rows.count == expected.count)
            for row in report.rows {
                let want = try #require(expected[row.model ?? ""])
                #expect(row.stats.requests == want.requests)
                #expect(row.stats.errors == want.errors)
                #expect(row.stats.promptTokens == want.promptTokens)
                #expect(row.stats.completionTokens == want.completionTokens)
                #expect(row.stats.totalTokens == want.totalTokens)
                #expect(row.stats.pricedRequests == want.priced)
                #expect(row.stats.unpricedRequests == want.requests - want.priced)
                #expect(abs((row.stats.costUSD ?? -1) - (want.cost ?? -1)) < 1e-9)
                #expect(row.stats.latencyMsSum == want.latencySum)
            }
            #expect(report.totals.requests == records.count)
        }
    }

    @Test("a batch lists its rollup rows in one key order, whatever the order of its calls (no lock-order deadlock)")
    func rollupRowsInKeyOrder() {
        let records = Self.mix()
        var generator = SystemRandomNumberGenerator()
        let keys = { (batch: [CallRecord]) in UsageRollupRow.rowsByTable(of: batch).map { $0.rows.map(\.key) } }
        let inOrder = keys(records)
        #expect(keys(records.reversed()) == inOrder)
        #expect(keys(records.shuffled(using: &generator)) == inOrder)
        for rows in inOrder {
            #expect(rows.count > 1)
            #expect(zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 && !($1 < $0) })
        }
    }

    @Test("every breakdown and filter equals SQL over the log", arguments: TestBackend.available)
    func breakdownsEqualSQL(_ backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.store.write(Self.mix())
            let hour = "CAST(created_at AS INTEGER) - CAST(created_at AS INTEGER) % 3600"
            let hourPG = "CAST(floor(extract(epoch FROM created_at) / 3600) AS BIGINT) * 3600"
            let hourExpression = backend == .sqlite ? hour : hourPG
            let cases: [(StatsQuery, String, String)] = [
                (StatsQuery(groupBy: [.provider]), "provider", "TRUE"),
                (StatsQuery(groupBy: [.user]), "COALESCE(user_id, '')", "TRUE"),
                (StatsQuery(groupBy: [.caller]), "caller_type || ':' || caller_name", "TRUE"),
                (StatsQuery(groupBy: [.hour]), hourExpression, "TRUE"),
                (StatsQuery(groupBy: [.day]), "(\(hourExpression)) - (\(hourExpression)) % 86400", "TRUE"),
                (StatsQuery(groupBy: [.model], model: "gpt-mock"), "model", "model = 'gpt-mock'"),
                (StatsQuery(groupBy: [.model], userID: "alice"), "model", "user_id = 'alice'"),
                (StatsQuery(groupBy: [.model], callerName: "nightly"), "model", "caller_name = 'nightly'"),
                (StatsQuery(groupBy: [.user], status: "error"), "COALESCE(user_id, '')", "status = 'error'"),
                (
                    StatsQuery(groupBy: [.caller], userID: "alice"), "caller_type || ':' || caller_name",
                    "user_id = 'alice'"
                ),
                (StatsQuery(groupBy: [.hour], provider: "mock"), hourExpression, "provider = 'mock'"),
                (StatsQuery(groupBy: [.user], model: "gpt-mock"), "COALESCE(user_id, '')", "model = 'gpt-mock'"),
            ]
            for (query, key, filter) in cases {
                let report = try await database.store.stats(query)
                let expected = try await Self.sqlTotals(database.store, groupBy: key, where: filter)
                #expect(report.rows.count == expected.count, "\(query.groupBy) \(filter)")
                for row in report.rows {
                    let name: String =
                        switch query.groupBy[0] {
                        case .provider: row.provider ?? ""
                        case .user: row.userID ?? ""
                        case .caller: "\(row.callerType ?? ""):\(row.callerName ?? "")"
                        case .hour: String(row.hour ?? 0)
                        case .day: String(row.day ?? 0)
                        case .model: row.model ?? ""
                        }
                    let want = try #require(expected[name], "\(query.groupBy) \(name)")
                    #expect(row.stats.requests == want.requests)
                    #expect(row.stats.errors == want.errors)
                    #expect(row.stats.totalTokens == want.totalTokens)
                    #expect(row.stats.pricedRequests == want.priced)
                    #expect(abs((row.stats.costUSD ?? -1) - (want.cost ?? -1)) < 1e-9)
                }
            }
        }
    }

    @Test(
        "percentiles fall in the bucket of the exact percentile of the logged latencies",
        arguments: TestBackend.available)
    func percentiles(_ backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = Self.mix()
            try await database.store.write(records)
            let totals = try await database.store.stats(StatsQuery()).totals
            let latencies = records.map(\.latencyMs).sorted()
            for quantile in [0.5, 0.95, 0.99] {
                let exact = latencies[Int((quantile * Double(latencies.count)).rounded(.up)) - 1]
                let estimate = try #require(totals.latencyPercentileMs(quantile))
                let bucket = LatencyHistogram.bucket(ofMilliseconds: exact)
                let lower = bucket == 0 ? 0 : LatencyHistogram.upperBounds[bucket - 1]
                let upper = bucket < LatencyHistogram.upperBounds.count ? LatencyHistogram.upperBounds[bucket] : Int.max
                #expect(Double(lower) <= estimate && estimate <= Double(upper), "p\(quantile): \(estimate) vs \(exact)")
            }
        }
    }

    @Test("a report reads the narrowest rollup that has every dimension it groups or filters by")
    func narrowestShape() {
        func shape(_ query: StatsQuery) -> RollupShape { SQLStore.shape(for: query, dimensions: query.groupBy) }
        #expect(shape(StatsQuery()) == .model)
        #expect(shape(StatsQuery(groupBy: [.day, .model])) == .model)
        #expect(shape(StatsQuery(groupBy: [.hour], provider: "mock")) == .model)
        #expect(shape(StatsQuery(groupBy: [.user])) == .caller)
        #expect(shape(StatsQuery(groupBy: [.caller], userID: "alice")) == .caller)
        #expect(shape(StatsQuery(groupBy: [.model], userID: "alice")) == .breakdown)
        #expect(shape(StatsQuery(groupBy: [.user, .model])) == .breakdown)
        #expect(shape(StatsQuery(groupBy: [.provider], status: "error")) == .detail)
    }

    @Test(
        "the migration sums calls logged before the rollups existed exactly as the writer does",
        arguments: TestBackend.available)
    func backfillMatchesWriter(_ backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.store.write(Self.mix())
            let written = try await database.store.stats(StatsQuery(groupBy: [.hour, .model, .caller, .user]))
            let flavor = database.store.flavor
            for table in RollupTable.allCases {
                try await database.store.execute("DELETE FROM \(ident: table.name)")
                try await database.store.execute(SQLQueryString(UsageRollupBackfill.statement(table, flavor)))
            }
            let backfilled = try await database.store.stats(StatsQuery(groupBy: [.hour, .model, .caller, .user]))
            #expect(written.rows.count == backfilled.rows.count)
            #expect(written.totals.latency == backfilled.totals.latency)
            #expect(written.rows.map(\.stats.requests) == backfilled.rows.map(\.stats.requests))
            #expect(written.totals.totalTokens == backfilled.totals.totalTokens)
        }
    }

    @Test(
        "a time range covers whole hours: whole days from the daily rollups, the edges from the hourly ones",
        arguments: TestBackend.available
    )
    func timeRange(_ backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = Self.mix()
            try await database.store.write(records)
            let ranges: [(Double, Double)] = [
                (baseTime + 20_000, baseTime + 230_000),  // two whole days and two partial ones
                (baseTime + 50_000, baseTime + 60_000),  // inside one day
                (baseTime + 32_000 - 0.123456, baseTime + 118_400 - 0.123456),  // exactly one UTC day
            ]
            for (since, until) in ranges {
                for groupBy in [[], [StatsDimension.hour], [.day, .model]] {
                    let report = try await database.store.stats(
                        StatsQuery(groupBy: groupBy, since: since, until: until))
                    let first = Double(UsageRollupRow.hour(of: since))
                    let hourOfUntil = Double(UsageRollupRow.hour(of: until))
                    let end = hourOfUntil < until ? hourOfUntil + 3600 : hourOfUntil
                    let inRange = records.filter { $0.createdAt >= first && $0.createdAt < end }
                    #expect(report.totals.requests == inRange.count, "\(since)..<\(until) by \(groupBy)")
                    #expect(report.totals.totalTokens == inRange.reduce(0) { $0 + $1.totalTokens })
                    #expect(report.totals.latency.total == inRange.count)
                }
            }
            let split = SQLStore.sources(
                for: StatsQuery(since: baseTime + 20_000, until: baseTime + 230_000),
                byHour: false
            )
            #expect(split.map(\.table) == [.daily, .hourly, .hourly])
        }
    }

    struct Expected {
        var requests: Int
        var errors: Int
        var promptTokens: Int
        var completionTokens: Int
        var totalTokens: Int
        var priced: Int
        var cost: Double?
        var latencySum: Int
    }

    /// The reference: plain SQL over `llm_call_logs`.
    static func sqlTotals(_ store: SQLStore, groupBy key: String, where filter: String = "TRUE") async throws
        -> [String: Expected]
    {
        let sql = """
            SELECT CAST(\(key) AS TEXT) AS k, COUNT(*) AS requests,
            CAST(SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS BIGINT) AS errors,
            CAST(SUM(prompt_tokens) AS BIGINT) AS p, CAST(SUM(completion_tokens) AS BIGINT) AS c,
            CAST(SUM(total_tokens) AS BIGINT) AS t, COUNT(cost_usd) AS priced, SUM(cost_usd) AS cost,
            CAST(SUM(latency_ms) AS BIGINT) AS l
            FROM llm_call_logs WHERE \(filter) GROUP BY \(key)
            """
        return try await store.connections.withConnection { database in
            var result: [String: Expected] = [:]
            for row in try await database.raw(SQLQueryString(sql)).all() {
                result[try row.decode(column: "k", as: String.self)] = Expected(
                    requests: try row.decode(column: "requests", as: Int.self),
                    errors: try row.decode(column: "errors", as: Int.self),
                    promptTokens: try row.decode(column: "p", as: Int.self),
                    completionTokens: try row.decode(column: "c", as: Int.self),
                    totalTokens: try row.decode(column: "t", as: Int.self),
                    priced: try row.decode(column: "priced", as: Int.self),
                    cost: try row.decode(column: "cost", as: Double?.self),
                    latencySum: try row.decode(column: "l", as: Int.self)
                )
            }
            return result
        }
    }
}
