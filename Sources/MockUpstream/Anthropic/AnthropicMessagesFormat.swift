import Hummingbird

/// Anthropic Messages (`POST /v1/messages`), as the official SDKs send and parse it.
enum AnthropicMessagesFormat: ChatWireFormat {
    /// `x-api-key`, or `Authorization: Bearer`, which current Anthropic SDKs send instead; any
    /// `anthropic-version` (or none) is accepted.
    static func receivedKey(in headers: HTTPFields) -> String? {
        if let key = headers[.anthropicAPIKey], !key.isEmpty { return key }
        return OpenAIChatFormat.receivedKey(in: headers)
    }

    static var missingKeyError: UpstreamError {
        .authentication("x-api-key header is required")
    }

    /// `{"type": "error", "error": {"type", "message"}}`
    static func errorBody(_ error: UpstreamError) -> ByteBuffer {
        let type: String =
            switch error.kind {
            case .invalidRequest: "invalid_request_error"
            case .authentication: "authentication_error"
            case .permission: "permission_error"
            case .notFound: "not_found_error"
            case .requestTooLarge: "request_too_large"
            case .rateLimit: "rate_limit_error"
            case .server: "api_error"
            case .overloaded: "overloaded_error"
            }
        let body: JSON = ["type": "error", "error": ["type": .string(type), "message": .string(error.message)]]
        var buffer = ByteBuffer()
        body.write(into: &buffer)
        return buffer
    }

    static func summarize(_ body: JSON) throws(UpstreamError) -> ChatRequestSummary {
        guard case .object = body else { throw .invalidRequest("The request body must be a JSON object.") }
        guard let model = body["model"]?.stringValue, !model.isEmpty else {
            throw .invalidRequest("model: Field required")
        }
        guard let messages = body["messages"]?.arrayValue, let last = messages.last else {
            throw .invalidRequest("messages: at least one message is required")
        }
        // The real API rejects requests without it; a gateway that forgets it should fail here too.
        guard let maxTokens = body["max_tokens"]?.intValue else {
            throw .invalidRequest("max_tokens: Field required")
        }
        var summary = ChatRequestSummary(model: model)
        summary.stream = body["stream"]?.boolValue ?? false
        summary.maxTokens = maxTokens

        let system = Self.text(of: body["system"])
        if !system.isEmpty {
            summary.prompt.addMessage(characters: system.characterCount)
        }
        // Anthropic has no JSON mode; asking for JSON in the system prompt is how clients get it.
        if system.lowercased().contains("json") {
            summary.replyFormat = .jsonObject
        }

        for (position, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue else {
                throw .invalidRequest("messages.\(position).role: Field required")
            }
            summary.prompt.addMessage(characters: Self.promptCharacters(of: message["content"]))
            if role == "user" {
                let text = Self.text(of: message["content"])
                if !text.isEmpty || Self.toolResults(in: message["content"]) == nil { summary.lastUserText = text }
            }
        }
        if last["role"]?.stringValue == "user" {
            if let results = Self.toolResults(in: last["content"]) {
                summary.lastToolResult = results
            } else {
                summary.endsWithUserTurn = true
            }
        }

        summary.tools = (body["tools"]?.arrayValue ?? []).compactMap { tool in
            guard let name = tool["name"]?.stringValue else { return nil }
            return OfferedTool(name: name, schema: tool["input_schema"] ?? [:])
        }
        switch body["tool_choice"]?["type"]?.stringValue {
        case "none": summary.toolChoice = .none
        case "any": summary.toolChoice = .required
        case "tool": summary.toolChoice = body["tool_choice"]?["name"]?.stringValue.map(ToolChoice.named) ?? .required
        default: break
        }
        return summary
    }

    /// The text blocks of a string-or-blocks `content` (or `system`).
    private static func text(of content: JSON?) -> String {
        switch content {
        case .string(let text):
            return text
        case .array(let blocks):
            return blocks.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
        default:
            return ""
        }
    }

    /// The joined content of a message's `tool_result` blocks, or nil when it has none.
    private static func toolResults(in content: JSON?) -> String? {
        guard case .array(let blocks) = content else { return nil }
        let results = blocks.filter { $0["type"]?.stringValue == "tool_result" }
        guard !results.isEmpty else { return nil }
        return results.map { text(of: $0["content"]) }.joined(separator: "\n")
    }

    /// Everything in a message that a real tokenizer would count: text, tool inputs and tool results.
    private static func promptCharacters(of content: JSON?) -> Int {
        guard case .array(let blocks) = content else { return text(of: content).characterCount }
        return blocks.reduce(0) { total, block in
            switch block["type"]?.stringValue {
            case "text": total + (block["text"]?.stringValue?.characterCount ?? 0)
            case "tool_use": total + (block["input"]?.serialized.characterCount ?? 0)
            case "tool_result": total + text(of: block["content"]).characterCount
            default: total
            }
        }
    }
}
