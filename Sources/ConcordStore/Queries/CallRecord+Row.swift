import ConcordCore
import SQLKit

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
