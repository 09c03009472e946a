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

/// Token usage as the provider reported it — each count brought into `0...maximumTokens`, so a provider's nonsense
/// (negative, or near `Int.max`) can never overflow the sums it feeds: totals, costs, counters, rollups, limits.
public struct Usage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int

    /// The most one count may say: far above any model's context window.
    public static let maximumTokens = 1_000_000_000

    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil) {
        self.promptTokens = Self.tokens(promptTokens)
        self.completionTokens = Self.tokens(completionTokens)
        self.totalTokens = totalTokens.map(Self.tokens) ?? self.promptTokens + self.completionTokens
    }

    /// `count` brought into `0...maximumTokens`.
    public static func tokens(_ count: Int) -> Int {
        min(max(count, 0), maximumTokens)
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
