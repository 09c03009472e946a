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
}
