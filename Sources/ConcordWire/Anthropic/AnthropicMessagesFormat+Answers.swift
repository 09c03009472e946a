import ConcordCore

/// Answers and errors both ways: upstream answers into canonical ones, canonical ones into callers' bodies, and
/// the stop-reason and error-type vocabularies between the two.
extension AnthropicMessagesFormat {
    static func chatResponse(from wire: AnthropicMessage) -> ChatResponse {
        var texts: [String] = []
        var toolCalls: [ToolCall] = []
        for block in wire.content {
            switch block.type {
            case "text":
                texts.append(block.text ?? "")
            case "tool_use":
                toolCalls.append(
                    ToolCall(
                        id: block.id ?? "",
                        name: block.name ?? "",
                        arguments: AnthropicJSON.compact(block.input ?? .object([:]))
                    )
                )
            default:
                continue  // thinking and server-tool blocks have no canonical place
            }
        }
        let usage = wire.usage.map { usage in
            Usage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.outputTokens ?? 0)
        }
        return ChatResponse(
            content: texts.isEmpty ? nil : texts.joined(),
            toolCalls: toolCalls,
            finishReason: finishReason(fromStopReason: wire.stopReason),
            usage: usage
        )
    }

    static func message(from response: ChatResponse, id: String, model: String) -> AnthropicMessage {
        var content: [AnthropicBlock] = []
        if let text = response.content, !text.isEmpty {
            content.append(.text(text))
        }
        for call in response.toolCalls {
            content.append(.toolUse(id: call.id, name: call.name, input: toolInputForCaller(call.arguments)))
        }
        let usage = response.usage ?? Usage(promptTokens: 0, completionTokens: 0)
        return AnthropicMessage(
            id: messageID(id),
            type: "message",
            role: "assistant",
            model: model,
            content: content,
            stopReason: stopReason(from: response.finishReason),
            stopSequence: nil,
            usage: AnthropicUsage(inputTokens: usage.promptTokens, outputTokens: usage.completionTokens)
        )
    }

    /// Arguments as the object Anthropic callers expect; a model's malformed JSON becomes `{}` rather than
    /// failing an answer that has already been paid for.
    static func toolInputForCaller(_ arguments: String) -> JSONValue {
        if let value = AnthropicJSON.parse(arguments), case .object = value { return value }
        return .object([:])
    }

    /// Anthropic SDKs and tools recognise message ids by their `msg_` prefix.
    static func messageID(_ id: String) -> String {
        id.hasPrefix("msg_") ? id : "msg_" + id
    }

    static func finishReason(fromStopReason stopReason: String?) -> FinishReason {
        switch stopReason {
        case nil, "end_turn", "stop_sequence": .stop
        case "max_tokens": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        case let other?: FinishReason(rawValue: other)
        }
    }

    /// Anthropic's own reasons (passed through from an Anthropic upstream) go back unchanged; anything else
    /// is a normal end.
    static func stopReason(from finishReason: FinishReason) -> String {
        switch finishReason {
        case .stop: "end_turn"
        case .length: "max_tokens"
        case .toolCalls: "tool_use"
        case .contentFilter: "refusal"
        default:
            switch finishReason.rawValue {
            case "end_turn", "max_tokens", "tool_use", "stop_sequence", "pause_turn", "refusal":
                finishReason.rawValue
            default: "end_turn"
            }
        }
    }

    static func errorBody(_ error: GatewayError) -> AnthropicErrorBody {
        AnthropicErrorBody(type: "error", error: AnthropicErrorDetail(type: errorType(error), message: error.message))
    }

    /// The `error.type` Anthropic SDKs map to their exception classes.
    static func errorType(_ error: GatewayError) -> String {
        if error.httpStatus >= 429, let status = error.upstreamStatus, status == 529 || status == 503 {
            return "overloaded_error"
        }
        switch error.kind {
        case .invalidRequest: return "invalid_request_error"
        case .unauthorized: return "authentication_error"
        case .forbidden: return "permission_error"
        case .notFound, .modelNotFound: return "not_found_error"
        case .payloadTooLarge: return "request_too_large"
        case .rateLimited: return "rate_limit_error"
        default: return "api_error"
        }
    }
}
