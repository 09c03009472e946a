import ConcordCore

/// One row of a rollup table: what the calls of one hour (or day) with one combination of the table's dimensions
/// add up to. The writer adds these to the tables in the transaction that inserts the calls.
struct UsageRollupRow: Sendable, Hashable {
    /// The bucket and every dimension; those a table's shape does not keep are `""`.
    struct Key: Sendable, Hashable {
        /// The bucket's start (hour or day), seconds since 1970 UTC.
        var bucket: Int64
        var model: String
        var provider: String
        var callerType: String
        var callerName: String
        /// `""` for calls without a user: key columns cannot be NULL and still conflict.
        var userID: String
        var status: String
    }

    var key: Key
    var requests = 0
    var errors = 0
    var promptTokens = 0
    var completionTokens = 0
    var totalTokens = 0
    var costUSD = 0.0
    var pricedRequests = 0
    var latencyMsSum = 0
    var latencyMsMax = 0
    var histogram = LatencyHistogram()

    static let sumColumns =
        [
            "requests", "errors", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "priced_requests",
            "latency_ms_sum",
        ] + LatencyHistogram.columns
    static func keyColumns(_ table: RollupTable) -> [String] { [table.bucketColumn] + table.shape.dimensionColumns }
    static func columns(_ table: RollupTable) -> [String] { keyColumns(table) + sumColumns + ["latency_ms_max"] }

    /// Rows per multi-row upsert, under both databases' bound-parameter limits.
    static let rowsPerStatement = 30_000 / columns(.hourly).count

    static func hour(of createdAt: Double) -> Int64 {
        RollupTable.hourly.bucket(of: createdAt)
    }

    /// The rollup rows of `table` for `records`, one per key.
    static func rows(of records: some Sequence<CallRecord>, in table: RollupTable) -> [UsageRollupRow] {
        var rows: [Key: UsageRollupRow] = [:]
        for record in records {
            let key = Key(record, bucket: table.bucket(of: record.createdAt), shape: table.shape)
            rows[key, default: UsageRollupRow(key: key)].add(record)
        }
        return rows.values.sorted {
            ($0.key.bucket, $0.key.model, $0.key.callerName, $0.key.userID)
                < ($1.key.bucket, $1.key.model, $1.key.callerName, $1.key.userID)
        }
    }

    mutating func add(_ record: CallRecord) {
        requests += 1
        if record.status == .error { errors += 1 }
        promptTokens += record.promptTokens
        completionTokens += record.completionTokens
        totalTokens += record.totalTokens
        if let cost = record.costUSD {
            costUSD += cost
            pricedRequests += 1
        }
        latencyMsSum += record.latencyMs
        latencyMsMax = max(latencyMsMax, record.latencyMs)
        histogram.add(milliseconds: record.latencyMs)
    }

    /// Bound values in the order of `columns(table)`.
    func values(_ shape: RollupShape) -> [any Encodable & Sendable] {
        var values: [any Encodable & Sendable] = [key.bucket]
        switch shape {
        case .detail:
            values += [key.model, key.provider, key.callerType, key.callerName, key.userID, key.status]
        case .model:
            values += [key.model, key.provider]
        case .caller:
            values += [key.callerType, key.callerName, key.userID]
        }
        values +=
            [
                requests, errors, promptTokens, completionTokens, totalTokens, costUSD, pricedRequests, latencyMsSum,
            ] as [any Encodable & Sendable]
        values.append(contentsOf: histogram.counts.map { $0 as any Encodable & Sendable })
        values.append(latencyMsMax)
        return values
    }
}

extension UsageRollupRow.Key {
    /// The key of `record` in a table of `shape`.
    init(_ record: CallRecord, bucket: Int64, shape: RollupShape) {
        self.init(bucket: bucket, model: "", provider: "", callerType: "", callerName: "", userID: "", status: "")
        if shape != .caller {
            model = record.model
            provider = record.provider
        }
        if shape != .model {
            callerType = record.callerType.rawValue
            callerName = record.callerName
            userID = record.userID ?? ""
        }
        if shape == .detail { status = record.status.rawValue }
    }
}
