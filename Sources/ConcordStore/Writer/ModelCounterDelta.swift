import ConcordCore

/// What one batch adds to a model's row in `llm_model_configs`.
struct ModelCounterDelta: Sendable, Hashable {
    var modelID: String
    /// For a model with no row yet (a `provider/model` first use): the provider that served it.
    var provider: String
    var upstreamModel: String
    var requests: Int
    var tokens: Int
    var lastUsedAt: DatabaseTimestamp

    /// Sums the records per model, sorted by model id (the lock order every writer of these rows uses).
    ///
    /// Records with an empty provider are calls that named an unknown model and reached no upstream: they are
    /// logged but counted against no model, so an unroutable name never gets a configuration row.
    static func deltas(of records: some Sequence<CallRecord>) -> [ModelCounterDelta] {
        var byModel: [String: ModelCounterDelta] = [:]
        for record in records where !record.provider.isEmpty {
            let createdAt = DatabaseTimestamp(seconds: record.createdAt)
            if var delta = byModel[record.model] {
                delta.requests += 1
                delta.tokens += record.totalTokens
                delta.lastUsedAt = max(delta.lastUsedAt, createdAt)
                byModel[record.model] = delta
            } else {
                let prefix = record.provider + "/"
                let upstream =
                    record.model.hasPrefix(prefix) ? String(record.model.dropFirst(prefix.count)) : record.model
                byModel[record.model] = ModelCounterDelta(
                    modelID: record.model,
                    provider: record.provider,
                    upstreamModel: upstream,
                    requests: 1,
                    tokens: record.totalTokens,
                    lastUsedAt: createdAt
                )
            }
        }
        return byModel.values.sorted { $0.modelID < $1.modelID }
    }

    /// Adds rows of `values(now:)` to `llm_model_configs`: a model's first use inserts its row (enabled), later
    /// ones add to its counters and move `last_used_at` forward only.
    static let upsert = BulkStatement(
        head: """
            INSERT INTO llm_model_configs (model_id, provider, upstream_model, enabled, total_requests, total_tokens, \
            last_used_at, created_at, updated_at)
            """,
        conflict: """
            ON CONFLICT (model_id) DO UPDATE SET \
            total_requests = llm_model_configs.total_requests + excluded.total_requests, \
            total_tokens = llm_model_configs.total_tokens + excluded.total_tokens, \
            last_used_at = CASE WHEN llm_model_configs.last_used_at IS NULL \
            OR llm_model_configs.last_used_at < excluded.last_used_at \
            THEN excluded.last_used_at ELSE llm_model_configs.last_used_at END
            """,
        width: 9
    )

    /// Bound values in the order of `upsert`'s columns; `now` is the new row's creation time.
    func values(now: DatabaseTimestamp) -> [DatabaseValue] {
        [
            .text(modelID), .text(provider), .text(upstreamModel), .boolean(true), .integer(requests),
            .integer(tokens), .timestamp(lastUsedAt), .timestamp(now), .timestamp(now),
        ]
    }
}
