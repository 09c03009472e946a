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
    var sums = UsageStats()

    static let sumColumns =
        [
            "requests", "errors", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "priced_requests",
            "latency_ms_sum",
        ] + LatencyHistogram.columns
    static func keyColumns(_ table: RollupTable) -> [String] { [table.bucketColumn] + table.shape.dimensionColumns }
    static func columns(_ table: RollupTable) -> [String] { keyColumns(table) + sumColumns + ["latency_ms_max"] }

    static func hour(of createdAt: Double) -> Int64 {
        RollupTable.hourly.bucket(of: createdAt)
    }

    /// The detail hourly rows for `records`, one per key: the finest rollup, from which the others are summed.
    private static func detailHourlyRows(of records: some Sequence<CallRecord>) -> [UsageRollupRow] {
        var rows: [Key: UsageRollupRow] = [:]
        for record in records {
            let key = Key(record, hour: RollupTable.hourly.bucket(of: record.createdAt))
            rows[key, default: UsageRollupRow(key: key)].add(record)
        }
        return sorted(rows.values)
    }

    /// Every rollup table's rows for `records`: the detail hourly rows summed from the records, every other
    /// table's from those rows — an hour lies within one day, and a narrow key is a projection of a detail key.
    static func rowsByTable(of records: some Sequence<CallRecord>) -> [(table: RollupTable, rows: [UsageRollupRow])] {
        let hourly = detailHourlyRows(of: records)
        return RollupTable.allCases.map { table in
            guard table != .hourly else { return (table, hourly) }
            var rows: [Key: UsageRollupRow] = [:]
            for row in hourly {
                let key = row.key.projected(to: table)
                rows[key, default: UsageRollupRow(key: key)].sums.add(row.sums)
            }
            return (table, sorted(rows.values))
        }
    }

    /// Key order, so that concurrent writers on PostgreSQL (the writer's own parallel batches, other replicas) lock
    /// shared rows in the same order and never deadlock.
    private static func sorted(_ rows: some Sequence<UsageRollupRow>) -> [UsageRollupRow] {
        rows.sorted { $0.key < $1.key }
    }

    mutating func add(_ record: CallRecord) {
        sums.requests += 1
        if record.status == .error { sums.errors += 1 }
        sums.promptTokens += record.promptTokens
        sums.completionTokens += record.completionTokens
        sums.totalTokens += record.totalTokens
        if let cost = record.costUSD {
            sums.pricedCostUSD += cost
            sums.pricedRequests += 1
        }
        sums.latencyMsSum += record.latencyMs
        sums.latencyMsMax = max(sums.latencyMsMax, record.latencyMs)
        sums.latency.add(milliseconds: record.latencyMs)
    }

    /// Bound values in the order of `columns(table)`.
    func values(_ shape: RollupShape) -> [DatabaseValue] {
        var values: [DatabaseValue] = [.integer(Int(key.bucket))]
        values += shape.dimensionColumns.map { .text(key[$0]) }
        values += [sums.requests, sums.errors, sums.promptTokens, sums.completionTokens, sums.totalTokens].map(
            DatabaseValue.integer)
        values += [.real(sums.pricedCostUSD), .integer(sums.pricedRequests), .integer(sums.latencyMsSum)]
        values += sums.latency.counts.map(DatabaseValue.integer)
        values.append(.integer(sums.latencyMsMax))
        return values
    }
}

extension UsageRollupRow.Key {
    /// The detail key of `record`: every dimension.
    init(_ record: CallRecord, hour: Int64) {
        self.init(
            bucket: hour, model: record.model, provider: record.provider, callerType: record.callerType.rawValue,
            callerName: record.callerName, userID: record.userID ?? "", status: record.status.rawValue)
    }

    /// This detail key in `table`: its bucket, and only the dimensions the table's shape keeps.
    func projected(to table: RollupTable) -> Self {
        var key = self
        key.bucket = table.period.bucket(of: Double(bucket))
        for column in RollupShape.detail.dimensionColumns where !table.shape.dimensionColumns.contains(column) {
            key[column] = ""
        }
        return key
    }

    /// The value of a dimension column.
    subscript(column: String) -> String {
        get {
            switch column {
            case "model": model
            case "provider": provider
            case "caller_type": callerType
            case "caller_name": callerName
            case "user_id": userID
            case "status": status
            default: preconditionFailure("not a rollup dimension: \(column)")
            }
        }
        set {
            switch column {
            case "model": model = newValue
            case "provider": provider = newValue
            case "caller_type": callerType = newValue
            case "caller_name": callerName = newValue
            case "user_id": userID = newValue
            case "status": status = newValue
            default: preconditionFailure("not a rollup dimension: \(column)")
            }
        }
    }
}

extension UsageRollupRow.Key: Comparable {
    /// Every field in turn: a total order, so two batches with the same keys list them identically. Compared
    /// field by field in place: building two tuples of the fields per comparison (a retain and release of each
    /// string) made sorting a small batch's rollup rows a fifth of the writer's CPU.
    static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.bucket != rhs.bucket { return lhs.bucket < rhs.bucket }
        if lhs.model != rhs.model { return lhs.model < rhs.model }
        if lhs.provider != rhs.provider { return lhs.provider < rhs.provider }
        if lhs.callerType != rhs.callerType { return lhs.callerType < rhs.callerType }
        if lhs.callerName != rhs.callerName { return lhs.callerName < rhs.callerName }
        if lhs.userID != rhs.userID { return lhs.userID < rhs.userID }
        return lhs.status < rhs.status
    }
}
