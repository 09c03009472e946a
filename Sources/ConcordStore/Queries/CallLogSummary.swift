public import ConcordCore
import SQLKit

/// One call in a list: every column of `llm_call_logs` except the bodies (`system_prompt`, `user_message`,
/// `response_content`, `tool_calls`). JSON field names are the column names; absent values encode as `null`.
public struct CallLogSummary: Sendable, Hashable, Codable {
    public var id: String
    public var traceID: String
    public var parentCallID: String?
    public var model: String
    public var provider: String
    public var callerType: CallContext.CallerType
    public var callerName: String
    public var userID: String?
    public var messagesCount: Int
    public var finishReason: String?
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var latencyMs: Int
    public var status: CallRecord.Status
    public var errorMessage: String?
    /// Seconds since 1970, UTC.
    public var createdAt: Double
    public var costUSD: Double?
    public var isStream: Bool
    public var ttftMs: Int?

    enum CodingKeys: String, CodingKey {
        case id
        case traceID = "trace_id"
        case parentCallID = "parent_call_id"
        case model, provider
        case callerType = "caller_type"
        case callerName = "caller_name"
        case userID = "user_id"
        case messagesCount = "messages_count"
        case finishReason = "finish_reason"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case latencyMs = "latency_ms"
        case status
        case errorMessage = "error_message"
        case createdAt = "created_at"
        case costUSD = "cost_usd"
        case isStream = "is_stream"
        case ttftMs = "ttft_ms"
    }

    public init(_ record: CallRecord) {
        self.id = record.id
        self.traceID = record.traceID
        self.parentCallID = record.parentCallID
        self.model = record.model
        self.provider = record.provider
        self.callerType = record.callerType
        self.callerName = record.callerName
        self.userID = record.userID
        self.messagesCount = record.messagesCount
        self.finishReason = record.finishReason
        self.promptTokens = record.promptTokens
        self.completionTokens = record.completionTokens
        self.totalTokens = record.totalTokens
        self.latencyMs = record.latencyMs
        self.status = record.status
        self.errorMessage = record.errorMessage
        self.createdAt = record.createdAt
        self.costUSD = record.costUSD
        self.isStream = record.isStream
        self.ttftMs = record.ttftMs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(traceID, forKey: .traceID)
        try container.encode(parentCallID, forKey: .parentCallID)
        try container.encode(model, forKey: .model)
        try container.encode(provider, forKey: .provider)
        try container.encode(callerType, forKey: .callerType)
        try container.encode(callerName, forKey: .callerName)
        try container.encode(userID, forKey: .userID)
        try container.encode(messagesCount, forKey: .messagesCount)
        try container.encode(finishReason, forKey: .finishReason)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
        try container.encode(latencyMs, forKey: .latencyMs)
        try container.encode(status, forKey: .status)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(costUSD, forKey: .costUSD)
        try container.encode(isStream, forKey: .isStream)
        try container.encode(ttftMs, forKey: .ttftMs)
    }
}

extension CallLogSummary {
    /// A row selected with `CallLogColumns.summary`.
    init(row: any SQLRow) throws {
        self.id = try row.decode(column: "id", as: String.self)
        self.traceID = try row.decode(column: "trace_id", as: String.self)
        self.parentCallID = try row.decode(column: "parent_call_id", as: String?.self)
        self.model = try row.decode(column: "model", as: String.self)
        self.provider = try row.decode(column: "provider", as: String.self)
        self.callerType = .init(column: try row.decode(column: "caller_type", as: String.self))
        self.callerName = try row.decode(column: "caller_name", as: String.self)
        self.userID = try row.decode(column: "user_id", as: String?.self)
        self.messagesCount = try row.decode(column: "messages_count", as: Int.self)
        self.finishReason = try row.decode(column: "finish_reason", as: String?.self)
        self.promptTokens = try row.decode(column: "prompt_tokens", as: Int.self)
        self.completionTokens = try row.decode(column: "completion_tokens", as: Int.self)
        self.totalTokens = try row.decode(column: "total_tokens", as: Int.self)
        self.latencyMs = try row.decode(column: "latency_ms", as: Int.self)
        self.status = .init(column: try row.decode(column: "status", as: String.self))
        self.errorMessage = try row.decode(column: "error_message", as: String?.self)
        self.createdAt = try row.decode(column: "created_at", as: DatabaseTimestamp.self).seconds
        self.costUSD = try row.decode(column: "cost_usd", as: Double?.self)
        self.isStream = try row.decode(column: "is_stream", as: Bool.self)
        self.ttftMs = try row.decode(column: "ttft_ms", as: Int?.self)
    }
}
