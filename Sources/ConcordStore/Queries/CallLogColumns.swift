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
    static func values(of record: CallRecord) -> [DatabaseValue] {
        [
            .text(record.id), .text(record.traceID), .text(record.parentCallID), .text(record.model),
            .text(record.provider), .text(record.callerType.rawValue), .text(record.callerName), .text(record.userID),
            .text(record.systemPrompt), .text(record.userMessage), .integer(record.messagesCount),
            .text(record.responseContent), .text(record.finishReason), .integer(record.promptTokens),
            .integer(record.completionTokens), .integer(record.totalTokens), .integer(record.latencyMs),
            .text(record.status.rawValue), .text(record.errorMessage),
            .timestamp(DatabaseTimestamp(seconds: record.createdAt)), .real(record.costUSD), .boolean(record.isStream),
            .integer(record.ttftMs), .text(record.toolCalls),
        ]
    }

    /// Inserts rows of `values(of:)`, skipping ids already logged, and returns the ids it inserted.
    static let insert = BulkStatement(
        head: "INSERT INTO llm_call_logs (\(all.joined(separator: ", ")))",
        conflict: "ON CONFLICT (id) DO NOTHING",
        width: all.count,
        returnsIDs: true
    )
}
