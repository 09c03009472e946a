/// One message of a conversation, in the gateway's canonical form.
///
/// Both wire formats translate into this: OpenAI's `tool` role and Anthropic's `tool_result` blocks both
/// become `.tool` messages; Anthropic's `tool_use` blocks become `toolCalls` on an assistant message.
public struct ChatMessage: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant, tool
    }

    public var role: Role
    public var content: [ContentPart]
    /// Calls the assistant asked for (assistant messages only).
    public var toolCalls: [ToolCall]
    /// The call this message answers (tool messages only).
    public var toolCallID: String?
    /// Set on a tool result the tool reported as failed (Anthropic's `is_error`).
    public var isError: Bool
    public var name: String?

    public init(
        role: Role,
        content: [ContentPart],
        toolCalls: [ToolCall] = [],
        toolCallID: String? = nil,
        isError: Bool = false,
        name: String? = nil
    ) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.isError = isError
        self.name = name
    }

    public init(role: Role, text: String) {
        self.init(role: role, content: [.text(text)])
    }

    /// All text parts joined; images are left out.
    public var text: String {
        var result = ""
        for part in content {
            if case .text(let text) = part { result += text }
        }
        return result
    }
}

/// A piece of message content.
public enum ContentPart: Sendable, Hashable {
    case text(String)
    /// An image by URL, or inline as a `data:` URL (`data:image/png;base64,...`).
    case image(url: String)
}
