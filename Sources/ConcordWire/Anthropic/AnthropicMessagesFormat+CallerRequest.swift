import ConcordCore
import Foundation

/// A caller's Anthropic request into the canonical one.
extension AnthropicMessagesFormat {
    static func chatRequest(from wire: AnthropicRequestBody) throws(GatewayError) -> ChatRequest {
        guard !wire.model.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField("model", "Field 'model' must be a non-empty string.")
        }
        guard !wire.messages.isEmpty else {
            throw .invalidField("messages", "Field 'messages' must contain at least one message.")
        }
        if let maxTokens = wire.maxTokens, maxTokens < 1 {
            throw .invalidField("max_tokens", "Field 'max_tokens' must be at least 1.")
        }

        var messages: [ChatMessage] = []
        if let system = wire.system, let prompt = try systemPrompt(from: system), !prompt.isEmpty {
            messages.append(ChatMessage(role: .system, text: prompt))
        }
        for (index, message) in wire.messages.enumerated() {
            messages += try chatMessages(from: message, at: index)
        }

        var tools: [ToolDefinition] = []
        for tool in wire.tools ?? [] {
            tools.append(ToolDefinition(name: tool.name, description: tool.description, parameters: tool.inputSchema))
        }

        var toolChoice: ToolChoice?
        var parallelToolCalls: Bool?
        if let choice = wire.toolChoice {
            toolChoice = try self.toolChoice(from: choice)
            parallelToolCalls = choice.disableParallelToolUse.map { !$0 }
        }

        let stream = wire.stream ?? false
        return ChatRequest(
            model: wire.model,
            messages: messages,
            tools: tools,
            toolChoice: toolChoice,
            parallelToolCalls: parallelToolCalls,
            temperature: wire.temperature,
            topP: wire.topP,
            maxTokens: wire.maxTokens,
            stop: wire.stopSequences ?? [],
            stream: stream,
            // Anthropic streams always end with usage, so its callers always get it.
            includeStreamUsage: stream
        )
    }

    /// `system` as a string, or text blocks joined by blank lines (the way `ChatRequest.systemPrompt` joins).
    private static func systemPrompt(from system: AnthropicContent) throws(GatewayError) -> String? {
        switch system {
        case .text(let text):
            return text
        case .blocks(let blocks):
            var texts: [String] = []
            for (index, block) in blocks.enumerated() {
                guard block.type == "text" else {
                    throw .invalidField("system[\(index)].type", "Blocks in 'system' must be of type 'text'.")
                }
                texts.append(try required(block.text, "system[\(index)].text"))
            }
            return texts.joined(separator: "\n\n")
        }
    }

    /// One Anthropic message as canonical messages: a user message's `tool_result` blocks become `.tool`
    /// messages, placed before the rest of that message, which is how the conversation read.
    private static func chatMessages(from message: AnthropicMessageParam, at index: Int) throws(GatewayError)
        -> [ChatMessage]
    {
        let role: ChatMessage.Role
        switch message.role {
        case "user": role = .user
        case "assistant": role = .assistant
        default:
            throw .invalidField("messages[\(index)].role", "messages[\(index)].role must be 'user' or 'assistant'.")
        }

        let blocks: [AnthropicBlock]
        switch message.content {
        case .text(let text): return [ChatMessage(role: role, text: text)]
        case .blocks(let content): blocks = content
        }
        var toolResults: [ChatMessage] = []
        var parts: [ContentPart] = []
        var toolCalls: [ToolCall] = []
        for (blockIndex, block) in blocks.enumerated() {
            let field = "messages[\(index)].content[\(blockIndex)]"
            switch (block.type, role) {
            case ("text", _):
                parts.append(.text(try required(block.text, "\(field).text")))
            case ("image", _):
                parts.append(.image(url: try imageURL(from: block.source, field: "\(field).source")))
            case ("tool_use", .assistant):
                toolCalls.append(
                    ToolCall(
                        id: try required(block.id, "\(field).id"),
                        name: try required(block.name, "\(field).name"),
                        arguments: AnthropicJSON.compact(block.input ?? .object([:]))
                    )
                )
            case ("tool_result", .user):
                toolResults.append(try toolResult(from: block, field: field))
            case ("thinking", _), ("redacted_thinking", _):
                // Replayed reasoning the gateway cannot forward to every provider; the model does not need it.
                continue
            case ("tool_use", _), ("tool_result", _):
                let expected = block.type == "tool_use" ? "assistant" : "user"
                throw .invalidField(
                    "\(field).type",
                    "'\(block.type)' blocks are only allowed in \(expected) messages (\(field).type)."
                )
            default:
                throw .invalidField("\(field).type", "Unsupported content block type '\(block.type)' (\(field).type).")
            }
        }

        var result = toolResults
        if !parts.isEmpty || !toolCalls.isEmpty || toolResults.isEmpty {
            result.append(ChatMessage(role: role, content: parts, toolCalls: toolCalls))
        }
        return result
    }

    private static func toolResult(from block: AnthropicBlock, field: String) throws(GatewayError) -> ChatMessage {
        let id = try required(block.toolUseID, "\(field).tool_use_id")
        var parts: [ContentPart] = []
        switch block.content {
        case nil:
            break
        case .text(let text):
            parts.append(.text(text))
        case .blocks(let blocks):
            for (index, inner) in blocks.enumerated() {
                let innerField = "\(field).content[\(index)]"
                switch inner.type {
                case "text": parts.append(.text(try required(inner.text, "\(innerField).text")))
                case "image": parts.append(.image(url: try imageURL(from: inner.source, field: "\(innerField).source")))
                default:
                    throw .invalidField(
                        "\(innerField).type",
                        "Unsupported tool result block type '\(inner.type)' (\(innerField).type)."
                    )
                }
            }
        }
        return ChatMessage(role: .tool, content: parts, toolCallID: id, isError: block.isError ?? false)
    }

    /// An image source as the canonical URL: inline data becomes a `data:` URL.
    private static func imageURL(from source: AnthropicImageSource?, field: String) throws(GatewayError) -> String {
        let source = try required(source, field)
        switch source.type {
        case "base64":
            let mediaType = try required(source.mediaType, "\(field).media_type")
            let data = try required(source.data, "\(field).data")
            return "data:\(mediaType);base64,\(data)"
        case "url":
            return try required(source.url, "\(field).url")
        default:
            throw .invalidField("\(field).type", "\(field).type must be 'base64' or 'url'.")
        }
    }

    private static func toolChoice(from wire: AnthropicToolChoice) throws(GatewayError) -> ToolChoice {
        switch wire.type {
        case "auto": return .auto
        case "any": return .required
        case "none": return .none
        case "tool": return .tool(name: try required(wire.name, "tool_choice.name"))
        default:
            throw .invalidField("tool_choice.type", "tool_choice.type must be 'auto', 'any', 'tool' or 'none'.")
        }
    }

    static func required<T>(_ value: T?, _ field: String) throws(GatewayError) -> T {
        guard let value else { throw .invalidField(field, "Missing required field '\(field)'.") }
        return value
    }
}
