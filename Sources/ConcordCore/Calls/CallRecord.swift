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

/// Where finished records go. The request path calls `record` and never waits: an implementation queues the
/// record and returns at once.
public protocol CallRecorder: Sendable {
    func record(_ record: CallRecord)
}
