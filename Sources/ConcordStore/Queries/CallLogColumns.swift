public import ConcordCore
import SQLKit

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

extension CallContext.CallerType {
    /// Rows are only written by the store, but a hand-edited value should not make a whole page unreadable.
    init(column value: String) {
        self = Self(rawValue: value) ?? .api
    }
}

extension CallRecord.Status {
    init(column value: String) {
        self = Self(rawValue: value) ?? .error
    }
}

extension CallRecord {
    /// A whole row (every column selected).
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self),
            traceID: try row.decode(column: "trace_id", as: String.self),
            parentCallID: try row.decode(column: "parent_call_id", as: String?.self),
            model: try row.decode(column: "model", as: String.self),
            provider: try row.decode(column: "provider", as: String.self),
            callerType: .init(column: try row.decode(column: "caller_type", as: String.self)),
            callerName: try row.decode(column: "caller_name", as: String.self),
            userID: try row.decode(column: "user_id", as: String?.self),
            systemPrompt: try row.decode(column: "system_prompt", as: String?.self),
            userMessage: try row.decode(column: "user_message", as: String?.self),
            messagesCount: try row.decode(column: "messages_count", as: Int.self),
            responseContent: try row.decode(column: "response_content", as: String?.self),
            toolCalls: try row.decode(column: "tool_calls", as: String?.self),
            finishReason: try row.decode(column: "finish_reason", as: String?.self),
            promptTokens: try row.decode(column: "prompt_tokens", as: Int.self),
            completionTokens: try row.decode(column: "completion_tokens", as: Int.self),
            totalTokens: try row.decode(column: "total_tokens", as: Int.self),
            latencyMs: try row.decode(column: "latency_ms", as: Int.self),
            status: .init(column: try row.decode(column: "status", as: String.self)),
            errorMessage: try row.decode(column: "error_message", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).seconds,
            costUSD: try row.decode(column: "cost_usd", as: Double?.self),
            isStream: try row.decode(column: "is_stream", as: Bool.self),
            ttftMs: try row.decode(column: "ttft_ms", as: Int?.self)
        )
    }
}
