public import ConcordCore
import SQLKit

extension SQLStore: RecordSink {
    /// Two transactions at once on PostgreSQL: while one waits on the server the other's rows are parsed and
    /// inserted, and the server's work runs on both cores. Counters and rollups are added in key order, so the
    /// two never deadlock.
    public var parallelBatches: Int { flavor == .postgres ? 2 : 1 }

    /// Writes a batch in one transaction: inserts the rows, skipping ids already present, then adds to each
    /// model's counters exactly what was inserted.
    ///
    /// Because the counters follow the rows the insert *returned*, a batch written twice (a retry after a lost
    /// commit acknowledgement, a spool replayed after a crash) adds nothing the second time: counters always
    /// equal the log.
    public func write(_ batch: [CallRecord]) async throws {
        var seen = Set<String>()
        let records = batch.map { $0.sanitizedForStorage() }.filter { seen.insert($0.id).inserted }
        guard !records.isEmpty else { return }
        let flavor = self.flavor
        try await connections.withConnection { database in
            try await database.transaction(flavor) { database in
                // Summed while the database inserts the rows (two cores), assuming every record is new; a replay
                // that finds some already logged sums again over the ones inserted.
                async let sumsIfAllNew = UsageRollupRow.rowsByTable(of: records)
                let values = records.map(CallLogColumns.values(of:))
                let inserted = Set(try await CallLogColumns.insert.run(values, on: database))
                let insertedRecords = records.filter { inserted.contains($0.id) }
                try await Self.addCounters(ModelCounterDelta.deltas(of: insertedRecords), on: database)
                let rollups =
                    insertedRecords.count == records.count
                    ? await sumsIfAllNew : UsageRollupRow.rowsByTable(of: insertedRecords)
                try await Self.addRollups(rollups, on: database)
            }
        }
    }

    private static func addCounters(_ deltas: [ModelCounterDelta], on database: any SQLDatabase) async throws {
        guard !deltas.isEmpty else { return }
        let now = DatabaseTimestamp.now()
        var insert = database.insert(into: "llm_model_configs").columns(
            "model_id", "provider", "upstream_model", "enabled", "total_requests", "total_tokens", "last_used_at",
            "created_at", "updated_at"
        )
        for delta in deltas {
            insert = insert.values(
                delta.modelID, delta.provider, delta.upstreamModel, true, delta.requests, delta.tokens,
                delta.lastUsedAt, now, now
            )
        }
        try await insert.onConflict(with: "model_id") { update in
            update
                .set("total_requests", to: SQLQueryString("llm_model_configs.total_requests + excluded.total_requests"))
                .set("total_tokens", to: SQLQueryString("llm_model_configs.total_tokens + excluded.total_tokens"))
                .set(
                    "last_used_at",
                    to: SQLQueryString(
                        """
                        CASE WHEN llm_model_configs.last_used_at IS NULL \
                        OR llm_model_configs.last_used_at < excluded.last_used_at \
                        THEN excluded.last_used_at ELSE llm_model_configs.last_used_at END
                        """
                    )
                )
        }.run()
    }
}
