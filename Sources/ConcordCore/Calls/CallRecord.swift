/// The record of one call, success or failure: one row of `llm_call_logs`.
///
/// Made in exactly one place, the gateway's interception point, and handed to a `CallRecorder`.
public struct CallRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case success, error
    }

    public var id: String
    public var traceID: String
    public var parentCallID: String?
    public var model: String
    public var provider: String
    public var callerType: CallContext.CallerType
    public var callerName: String
    public var userID: String?
    public var systemPrompt: String?
    public var userMessage: String?
    public var messagesCount: Int
    public var responseContent: String?
    /// The tool calls of the answer as a JSON array of `{id, name, arguments}`, or `nil` when there were none.
    public var toolCalls: String?
    public var finishReason: String?
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var latencyMs: Int
    public var status: Status
    public var errorMessage: String?
    /// Seconds since 1970, UTC.
    public var createdAt: Double
    /// `nil` when the model is unpriced, never 0 for unknown.
    public var costUSD: Double?
    public var isStream: Bool
    /// Time to first token, streams only.
    public var ttftMs: Int?

    /// JSON names are the `llm_call_logs` column names, so the API, the spool and the table read alike.
    enum CodingKeys: String, CodingKey {
        case id, model, provider, status
        case traceID = "trace_id"
        case parentCallID = "parent_call_id"
        case callerType = "caller_type"
        case callerName = "caller_name"
        case userID = "user_id"
        case systemPrompt = "system_prompt"
        case userMessage = "user_message"
        case messagesCount = "messages_count"
        case responseContent = "response_content"
        case toolCalls = "tool_calls"
        case finishReason = "finish_reason"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case latencyMs = "latency_ms"
        case errorMessage = "error_message"
        case createdAt = "created_at"
        case costUSD = "cost_usd"
        case isStream = "is_stream"
        case ttftMs = "ttft_ms"
    }

    public init(
        id: String,
        traceID: String,
        parentCallID: String? = nil,
        model: String,
        provider: String,
        callerType: CallContext.CallerType = .api,
        callerName: String = "",
        userID: String? = nil,
        systemPrompt: String? = nil,
        userMessage: String? = nil,
        messagesCount: Int = 0,
        responseContent: String? = nil,
        toolCalls: String? = nil,
        finishReason: String? = nil,
        promptTokens: Int = 0,
        completionTokens: Int = 0,
        totalTokens: Int = 0,
        latencyMs: Int = 0,
        status: Status,
        errorMessage: String? = nil,
        createdAt: Double,
        costUSD: Double? = nil,
        isStream: Bool = false,
        ttftMs: Int? = nil
    ) {
        self.id = id
        self.traceID = traceID
        self.parentCallID = parentCallID
        self.model = model
        self.provider = provider
        self.callerType = callerType
        self.callerName = callerName
        self.userID = userID
        self.systemPrompt = systemPrompt
        self.userMessage = userMessage
        self.messagesCount = messagesCount
        self.responseContent = responseContent
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.latencyMs = latencyMs
        self.status = status
        self.errorMessage = errorMessage
        self.createdAt = createdAt
        self.costUSD = costUSD
        self.isStream = isStream
        self.ttftMs = ttftMs
    }
}

extension CallRecord {
    /// Every column, absent values as `null`, so readers see the whole row.
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
        try container.encode(systemPrompt, forKey: .systemPrompt)
        try container.encode(userMessage, forKey: .userMessage)
        try container.encode(messagesCount, forKey: .messagesCount)
        try container.encode(responseContent, forKey: .responseContent)
        try container.encode(toolCalls, forKey: .toolCalls)
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

/// Where finished records go. The request path calls `record` and never waits: an implementation queues the
/// record and returns at once.
public protocol CallRecorder: Sendable {
    func record(_ record: CallRecord)
}
