/// A finished, non-streamed answer in canonical form.
public struct ChatResponse: Sendable, Hashable {
    public var content: String?
    public var toolCalls: [ToolCall]
    public var finishReason: FinishReason
    /// What the provider reported; `nil` only when it reported nothing.
    public var usage: Usage?

    public init(content: String?, toolCalls: [ToolCall] = [], finishReason: FinishReason, usage: Usage?) {
        self.content = content
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// Token usage as the provider reported it.
public struct Usage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int

    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
    }
}

/// Why the model stopped, in OpenAI's vocabulary (the canonical one). Unknown reasons pass through.
public struct FinishReason: RawRepresentable, Sendable, Hashable, Codable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let stop = FinishReason(rawValue: "stop")
    public static let length = FinishReason(rawValue: "length")
    public static let toolCalls = FinishReason(rawValue: "tool_calls")
    public static let contentFilter = FinishReason(rawValue: "content_filter")
}
