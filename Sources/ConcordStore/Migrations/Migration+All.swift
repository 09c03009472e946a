extension Migration {
    /// Every migration in order. Add new ones at the end with the next number.
    static let all: [Migration] = [
        .createCallLogs, .createModelConfigs, .createAPIKeys, .createUsageLimits, .createUsageRollups,
        .createDailyUsageRollups, .createNarrowUsageRollups, .createBreakdownUsageRollups,
    ]

    /// `llm_call_logs`: one row per call, columns named as in the design review, plus `cost_usd`, `is_stream`,
    /// `ttft_ms` and `tool_calls`. The indexes serve the list and dashboard queries (newest first, optionally
    /// narrowed by model, user, caller or trace).
    static let createCallLogs = Migration(version: 1, name: "create llm_call_logs") { flavor in
        let integer = flavor.integerType
        return [
            """
            CREATE TABLE llm_call_logs (
                id TEXT PRIMARY KEY,
                trace_id TEXT NOT NULL,
                parent_call_id TEXT,
                model TEXT NOT NULL,
                provider TEXT NOT NULL,
                caller_type TEXT NOT NULL,
                caller_name TEXT NOT NULL,
                user_id TEXT,
                system_prompt TEXT,
                user_message TEXT,
                messages_count \(integer) NOT NULL,
                response_content TEXT,
                finish_reason TEXT,
                prompt_tokens \(integer) NOT NULL,
                completion_tokens \(integer) NOT NULL,
                total_tokens \(integer) NOT NULL,
                latency_ms \(integer) NOT NULL,
                status TEXT NOT NULL,
                error_message TEXT,
                created_at \(flavor.timestampType) NOT NULL,
                cost_usd \(flavor.doubleType),
                is_stream \(flavor.booleanType) NOT NULL,
                ttft_ms \(integer),
                tool_calls TEXT
            )
            """,
            "CREATE INDEX llm_call_logs_created_at ON llm_call_logs (created_at, id)",
            "CREATE INDEX llm_call_logs_model_created_at ON llm_call_logs (model, created_at, id)",
            "CREATE INDEX llm_call_logs_user_created_at ON llm_call_logs (user_id, created_at, id)",
            "CREATE INDEX llm_call_logs_caller_created_at ON llm_call_logs (caller_type, caller_name, created_at, id)",
            "CREATE INDEX llm_call_logs_trace ON llm_call_logs (trace_id, created_at)",
        ]
    }

    /// `llm_model_configs`: configuration columns (written by `upsertModels`) and live counters (written only by
    /// the log writer's transaction, so they always equal the log).
    static let createModelConfigs = Migration(version: 2, name: "create llm_model_configs") { flavor in
        let integer = flavor.integerType
        return [
            """
            CREATE TABLE llm_model_configs (
                model_id TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                upstream_model TEXT NOT NULL,
                api_base TEXT,
                api_key_env TEXT,
                input_cost_per_mtok \(flavor.doubleType),
                output_cost_per_mtok \(flavor.doubleType),
                enabled \(flavor.booleanType) NOT NULL,
                total_requests \(integer) NOT NULL DEFAULT 0,
                total_tokens \(integer) NOT NULL DEFAULT 0,
                last_used_at \(flavor.timestampType),
                created_at \(flavor.timestampType) NOT NULL,
                updated_at \(flavor.timestampType) NOT NULL
            )
            """
        ]
    }
}
