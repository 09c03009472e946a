import Testing

@testable import ConcordStore

@Suite("Migrations")
struct MigrationTests {
    @Test(
        "migrate() twice changes nothing and the tables have exactly the specified columns",
        arguments: TestBackend.available)
    func migrationsAreIdempotent(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.store.migrate()
            try await database.store.migrate()
            #expect(try await database.store.migrationVersions() == Migration.all.map(\.version))
            #expect(
                try await database.store.columnNames(of: "llm_call_logs") == [
                    "id", "trace_id", "parent_call_id", "model", "provider", "caller_type", "caller_name", "user_id",
                    "system_prompt", "user_message", "messages_count", "response_content", "finish_reason",
                    "prompt_tokens", "completion_tokens", "total_tokens", "latency_ms", "status", "error_message",
                    "created_at", "cost_usd", "is_stream", "ttft_ms", "tool_calls",
                ]
            )
            #expect(
                try await database.store.columnNames(of: "llm_model_configs") == [
                    "model_id", "provider", "upstream_model", "api_base", "api_key_env", "input_cost_per_mtok",
                    "output_cost_per_mtok", "enabled", "total_requests", "total_tokens", "last_used_at", "created_at",
                    "updated_at",
                ]
            )
        }
    }

    @Test(
        "PostgreSQL tests are configured",
        .enabled(
            if: TestBackend.postgresURL != nil,
            "CONCORD_TEST_POSTGRES_URL is not set: storage tests ran on SQLite only (run them through scripts/with-postgres)"
        ))
    func postgresConfigured() async throws {
        try await withTestDatabase(.postgres) { database in
            try await database.store.ping()
        }
    }
}
