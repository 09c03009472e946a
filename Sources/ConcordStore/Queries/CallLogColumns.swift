import ConcordCore

/// The columns of `llm_call_logs` in one place: the insert, the list (without bodies) and the detail read all
/// follow this order.
enum CallLogColumns {
    static let all: [String] = [
        "id", "trace_id", "parent_call_id", "model", "provider", "caller_type", "caller_name", "user_id",
        "system_prompt", "user_message", "messages_count", "response_content", "finish_reason", "prompt_tokens",
        "completion_tokens", "total_tokens", "latency_ms", "status", "error_message", "created_at", "cost_usd",
        "is_stream", "ttft_ms", "tool_calls",
    ]

    /// The large text columns a list leaves out: a page of 500 calls must stay small.
    static let bodies: Set<String> = ["system_prompt", "user_message", "response_content", "tool_calls"]

    static let summary: [String] = all.filter { !bodies.contains($0) }

    /// Bound values of one record, in the order of `all`.
    static func values(of record: CallRecord) -> [any Encodable & Sendable] {
        [
            record.id, record.traceID, record.parentCallID, record.model, record.provider,
            record.callerType.rawValue, record.callerName, record.userID, record.systemPrompt, record.userMessage,
            record.messagesCount, record.responseContent, record.finishReason, record.promptTokens,
            record.completionTokens, record.totalTokens, record.latencyMs, record.status.rawValue,
            record.errorMessage, DatabaseTimestamp(seconds: record.createdAt), record.costUSD, record.isStream,
            record.ttftMs, record.toolCalls,
        ]
    }

    /// Rows per multi-row `INSERT`, kept under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
    static let rowsPerStatement = 30_000 / all.count
}
