/// A chat request in the gateway's canonical form: what every wire format decodes into and every
/// provider encodes from.
public struct ChatRequest: Sendable, Hashable {
    /// The model name the caller sent: a configured id, or `provider/model`.
    public var model: String
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice?
    public var parallelToolCalls: Bool?
    public var responseFormat: ResponseFormat?
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var stop: [String]
    public var stream: Bool
    /// Whether the caller wants the usage event on a stream (OpenAI's `stream_options.include_usage`).
    /// The gateway always asks upstreams for usage; this only decides what the caller is shown.
    public var includeStreamUsage: Bool
    /// OpenAI-format fields the gateway does not interpret (`seed`, `presence_penalty`, `user`, ...),
    /// forwarded as they came to OpenAI-compatible upstreams.
    public var extraFields: [String: JSONValue]

    public init(
        model: String,
        messages: [ChatMessage],
        tools: [ToolDefinition] = [],
        toolChoice: ToolChoice? = nil,
        parallelToolCalls: Bool? = nil,
        responseFormat: ResponseFormat? = nil,
        temperature: Double? = nil,
        topP: Double? = nil,
        maxTokens: Int? = nil,
        stop: [String] = [],
        stream: Bool = false,
        includeStreamUsage: Bool = false,
        extraFields: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.parallelToolCalls = parallelToolCalls
        self.responseFormat = responseFormat
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.stop = stop
        self.stream = stream
        self.includeStreamUsage = includeStreamUsage
        self.extraFields = extraFields
    }

    /// The system prompt: all system messages' text, joined by blank lines.
    public var systemPrompt: String? {
        let parts = messages.filter { $0.role == .system }.map(\.text)
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }

    /// The text of the last user message, what the call log shows as the question.
    public var lastUserMessage: String? {
        messages.last { $0.role == .user }?.text
    }
}
