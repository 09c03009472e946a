public import ConcordCore

/// The built-in `mock/*` models: deterministic answers with realistic usage and no network, so a first run
/// works with no keys, and tests and demos need nothing else.
///
/// The answer depends only on the request: the last user message echoed back, a call to the first offered
/// tool when the last message is the user's, a JSON object in JSON mode. Streams split the same answer into
/// word deltas and report the same usage.
public struct MockProvider: Provider {
    public init() {}

    public func complete(_ request: ChatRequest, route: ModelRoute) async throws -> ChatResponse {
        answer(to: request)
    }

    public func stream(_ request: ChatRequest, route: ModelRoute) async throws -> ChatEventStream {
        ChatEventStream(events: events(for: answer(to: request)))
    }

    func answer(to request: ChatRequest) -> ChatResponse {
        let promptTokens = request.messages.reduce(0) { $0 + 3 + max(1, $1.text.utf8.count / 4) }
        let lastMessage = request.messages.last
        if let tool = toolToCall(request), lastMessage?.role == .user {
            let arguments = #"{"input":"\#(escaped(lastMessage?.text ?? ""))"}"#
            let call = ToolCall(id: "call_mock_\(request.messages.count)", name: tool.name, arguments: arguments)
            return ChatResponse(
                content: nil,
                toolCalls: [call],
                finishReason: .toolCalls,
                usage: Usage(promptTokens: promptTokens, completionTokens: 5 + arguments.utf8.count / 4)
            )
        }
        let subject = lastMessage?.role == .tool ? "the tool result \(lastMessage!.text)" : (lastMessage?.text ?? "")
        var text = "This is a mock reply to: \(subject.prefix(200))"
        switch request.responseFormat {
        case .jsonObject, .jsonSchema:
            text = #"{"reply":"\#(escaped(text))"}"#
        default:
            break
        }
        var completionTokens = max(1, text.utf8.count / 4)
        var finishReason = FinishReason.stop
        if let maxTokens = request.maxTokens, maxTokens < completionTokens {
            text = String(text.prefix(maxTokens * 4))
            completionTokens = maxTokens
            finishReason = .length
        }
        return ChatResponse(
            content: text,
            finishReason: finishReason,
            usage: Usage(promptTokens: promptTokens, completionTokens: completionTokens)
        )
    }

    private func events(for response: ChatResponse) -> [StreamEvent] {
        var events: [StreamEvent] = []
        if let content = response.content {
            var word = ""
            for character in content {
                word.append(character)
                if character == " " {
                    events.append(.textDelta(word))
                    word = ""
                }
            }
            if !word.isEmpty { events.append(.textDelta(word)) }
        }
        for (index, call) in response.toolCalls.enumerated() {
            events.append(.toolCallStarted(index: index, id: call.id, name: call.name))
            let middle = call.arguments.index(call.arguments.startIndex, offsetBy: call.arguments.count / 2)
            events.append(.toolCallArgumentsDelta(index: index, fragment: String(call.arguments[..<middle])))
            events.append(.toolCallArgumentsDelta(index: index, fragment: String(call.arguments[middle...])))
        }
        events.append(.finished(response.finishReason))
        if let usage = response.usage { events.append(.usage(usage)) }
        return events
    }

    private func toolToCall(_ request: ChatRequest) -> ToolDefinition? {
        switch request.toolChoice {
        case .none?: return nil
        case .tool(let name)?: return request.tools.first { $0.name == name }
        default: return request.tools.first
        }
    }

    private func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let digits = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
