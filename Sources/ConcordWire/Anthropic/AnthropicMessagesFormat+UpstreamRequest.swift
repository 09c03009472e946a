import ConcordCore

/// The canonical request into the body sent to an Anthropic upstream.
///
/// Field names in errors are the canonical (OpenAI) ones, since that is the vocabulary the request arrived in
/// whenever a translation can fail.
extension AnthropicMessagesFormat {
    /// What Anthropic is told in place of a JSON mode it does not have.
    static let jsonInstruction = "Respond with a single JSON object only, no prose."

    static func upstreamBody(from request: ChatRequest, for model: ModelConfig, stream: Bool) throws(GatewayError)
        -> AnthropicRequestBody
    {
        var body = AnthropicRequestBody(
            model: model.upstreamModel,
            messages: try upstreamMessages(from: request.messages),
            maxTokens: request.maxTokens ?? model.defaultMaxTokens,
            temperature: request.temperature,
            topP: request.topP,
            stopSequences: request.stop.isEmpty ? nil : request.stop,
            stream: stream ? true : nil
        )
        if let system = upstreamSystem(from: request) {
            body.system = .text(system)
        }
        if !request.tools.isEmpty {
            body.tools = request.tools.map { tool in
                AnthropicTool(name: tool.name, description: tool.description, inputSchema: tool.parameters)
            }
            body.toolChoice = upstreamToolChoice(request.toolChoice, parallel: request.parallelToolCalls)
        }
        return body
    }

    /// All system messages in one top-level `system`, with the JSON-mode instruction appended when asked for.
    private static func upstreamSystem(from request: ChatRequest) -> String? {
        var parts: [String] = []
        if let prompt = request.systemPrompt, !prompt.isEmpty { parts.append(prompt) }
        switch request.responseFormat {
        case .jsonObject:
            parts.append(jsonInstruction)
        case .jsonSchema(let name, let schema, _):
            parts.append(
                "\(jsonInstruction) It must match the JSON schema '\(name)':\n\(AnthropicJSON.compact(schema))")
        case .text, nil:
            break
        }
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }

    /// `nil` leaves the choice to Anthropic's default (`auto`) unless parallel calls must be turned off,
    /// which Anthropic only accepts on a tool choice.
    private static func upstreamToolChoice(_ choice: ToolChoice?, parallel: Bool?) -> AnthropicToolChoice? {
        var wire: AnthropicToolChoice?
        switch choice {
        case .auto: wire = AnthropicToolChoice(type: "auto")
        case .required: wire = AnthropicToolChoice(type: "any")
        case .tool(let name): wire = AnthropicToolChoice(type: "tool", name: name)
        case .some(.none): wire = AnthropicToolChoice(type: "none")
        case nil: wire = nil
        }
        if parallel == false {
            var chosen = wire ?? AnthropicToolChoice(type: "auto")
            if chosen.type != "none" { chosen.disableParallelToolUse = true }
            wire = chosen
        }
        return wire
    }

    /// The conversation as Anthropic requires it: user and assistant turns alternating, tool results as
    /// `tool_result` blocks at the start of a user turn, tool calls as `tool_use` blocks.
    private static func upstreamMessages(from messages: [ChatMessage]) throws(GatewayError) -> [AnthropicMessageParam] {
        var turns: [(role: String, blocks: [AnthropicBlock])] = []
        for (index, message) in messages.enumerated() {
            let role: String
            var blocks: [AnthropicBlock] = []
            switch message.role {
            case .system:
                continue
            case .user:
                role = "user"
                blocks = try upstreamBlocks(from: message.content, field: "messages[\(index)]")
            case .assistant:
                role = "assistant"
                blocks = try upstreamBlocks(from: message.content, field: "messages[\(index)]")
                for (callIndex, call) in message.toolCalls.enumerated() {
                    let input = try toolInput(call.arguments, field: "messages[\(index)].tool_calls[\(callIndex)]")
                    blocks.append(.toolUse(id: call.id, name: call.name, input: input))
                }
            case .tool:
                role = "user"
                blocks = [try toolResult(from: message, at: index)]
            }
            // Anthropic rejects empty turns; merging below keeps the others alternating.
            guard !blocks.isEmpty else { continue }
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((role, blocks))
            }
        }
        return turns.map { turn in
            // Tool results must open a user turn; a stable partition keeps everything else in order.
            let results = turn.blocks.filter { $0.type == "tool_result" }
            let others = turn.blocks.filter { $0.type != "tool_result" }
            return AnthropicMessageParam(role: turn.role, content: .blocks(results + others))
        }
    }

    private static func upstreamBlocks(from parts: [ContentPart], field: String) throws(GatewayError)
        -> [AnthropicBlock]
    {
        var blocks: [AnthropicBlock] = []
        for (index, part) in parts.enumerated() {
            switch part {
            case .text(let text):
                // Anthropic rejects empty text blocks.
                if !text.isEmpty { blocks.append(.text(text)) }
            case .image(let url):
                blocks.append(.image(try imageSource(url, field: "\(field).content[\(index)].image_url.url")))
            }
        }
        return blocks
    }

    private static func toolResult(from message: ChatMessage, at index: Int) throws(GatewayError) -> AnthropicBlock {
        let field = "messages[\(index)]"
        let id = try required(message.toolCallID, "\(field).tool_call_id")
        let blocks = try upstreamBlocks(from: message.content, field: field)
        var result = AnthropicBlock(type: "tool_result", toolUseID: id)
        if blocks.contains(where: { $0.type != "text" }) {
            result.content = .blocks(blocks)
        } else if !message.text.isEmpty {
            result.content = .text(message.text)
        }
        if message.isError { result.isError = true }
        return result
    }

    /// Arguments JSON text as the object Anthropic wants. Empty text means no arguments: some OpenAI-compatible
    /// servers send `""` for a call without parameters.
    private static func toolInput(_ arguments: String, field: String) throws(GatewayError) -> JSONValue {
        if arguments.allSatisfy(\.isWhitespace) { return .object([:]) }
        guard let value = AnthropicJSON.parse(arguments), case .object = value else {
            throw .invalidField(
                "\(field).function.arguments",
                "Field '\(field).function.arguments' must be a JSON object in text form."
            )
        }
        return value
    }

    /// `data:` URLs become inline images, `http(s)` URLs are passed by reference.
    private static func imageSource(_ url: String, field: String) throws(GatewayError) -> AnthropicImageSource {
        if url.hasPrefix("http://") || url.hasPrefix("https://") {
            return AnthropicImageSource(type: "url", url: url)
        }
        if url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") {
            let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
            if header.hasSuffix(";base64") {
                let mediaType = String(header.dropLast(";base64".count))
                return AnthropicImageSource(
                    type: "base64", mediaType: mediaType, data: String(url[url.index(after: comma)...]))
            }
        }
        throw .invalidField(field, "Field '\(field)' must be an http(s) URL or a base64 data: URL.")
    }
}
