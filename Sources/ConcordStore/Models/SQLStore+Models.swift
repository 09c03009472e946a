public import ConcordCore
import SQLKit

extension SQLStore {
    /// Inserts or updates the configuration columns of each model (from the config file at startup, or an admin
    /// edit). Counters and `last_used_at` are never touched here: they belong to the log writer.
    public func upsertModels(_ models: [ModelConfig]) async throws {
        guard !models.isEmpty else { return }
        let now = DatabaseTimestamp.now()
        let flavor = self.flavor
        // The last configuration of an id wins (one statement cannot update a row twice), in one order for every
        // writer of these rows, so concurrent transactions never lock them crosswise.
        let byID = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let sorted = byID.values.sorted { $0.id < $1.id }
        try await connections.withConnection { database in
            try await database.transaction(flavor) { database in
                var insert = database.insert(into: "llm_model_configs").columns(
                    "model_id", "provider", "upstream_model", "api_base", "api_key_env", "input_cost_per_mtok",
                    "output_cost_per_mtok", "enabled", "total_requests", "total_tokens", "created_at", "updated_at"
                )
                for model in sorted {
                    insert = insert.values(
                        model.id, model.provider.rawValue, model.upstreamModel, model.apiBase, model.apiKeyEnv,
                        model.inputCostPerMTok, model.outputCostPerMTok, model.enabled, 0, 0, now, now
                    )
                }
                try await insert.onConflict(with: "model_id") { update in
                    for column in [
                        "provider", "upstream_model", "api_base", "api_key_env", "input_cost_per_mtok",
                        "output_cost_per_mtok", "enabled", "updated_at",
                    ] {
                        update.set(excludedValueOf: column)
                    }
                    return update
                }.run()
            }
        }
    }

    /// Every configured (or first-used) model with its live counters, by `model_id`.
    public func models() async throws -> [ModelUsage] {
        try await connections.withConnection { database in
            try await database.select().columns(ModelUsage.columns).from("llm_model_configs")
                .orderBy("model_id")
                .all()
                .map(ModelUsage.init(row:))
        }
    }
}
