public import ConcordCore
import Foundation

/// Reads an Anthropic upstream's stream into canonical events.
///
/// Anthropic numbers content blocks (text and tool calls together); the canonical stream numbers tool calls
/// only, so the decoder keeps the map between the two. Prompt tokens arrive in `message_start` and the final
/// output count in `message_delta`, so usage is emitted once, with both, when the latter arrives.
public struct AnthropicStreamDecoder: UpstreamStreamDecoder {
    public private(set) var isComplete = false
    private var toolIndexByBlock: [Int: Int] = [:]
    /// The latest counts seen; every Anthropic count is cumulative, so a later one replaces an earlier one.
    private var usage = AnthropicUsage(inputTokens: 0, outputTokens: 0)

    public init() {}

    public mutating func decode(_ event: SSEEvent) throws(GatewayError) -> [StreamEvent] {
        let body = try WireJSON.decodeUpstream(
            AnthropicStreamEventBody.self, from: event.data, reading: AnthropicStreamEventBody.init(parsed:))
        switch body.type {
        case "message_start":
            if let usage = body.message?.usage { remember(usage) }
            return []

        case "content_block_start":
            guard let block = body.contentBlock, let index = body.index else { return [] }
            switch block.type {
            case "tool_use":
                let toolIndex = toolIndexByBlock.count
                toolIndexByBlock[index] = toolIndex
                return [.toolCallStarted(index: toolIndex, id: block.id ?? "", name: block.name ?? "")]
            case "text":
                if let text = block.text, !text.isEmpty { return [.textDelta(text)] }
                return []
            default:
                return []
            }

        case "content_block_delta":
            guard let delta = body.delta, let index = body.index else { return [] }
            switch delta.type {
            case "text_delta":
                if let text = delta.text, !text.isEmpty { return [.textDelta(text)] }
            case "input_json_delta":
                if let toolIndex = toolIndexByBlock[index], let fragment = delta.partialJSON, !fragment.isEmpty {
                    return [.toolCallArgumentsDelta(index: toolIndex, fragment: fragment)]
                }
            default:
                break  // thinking and signature deltas have no canonical place
            }
            return []

        case "message_delta":
            var events: [StreamEvent] = []
            if let stopReason = body.delta?.stopReason {
                events.append(.finished(AnthropicMessagesFormat.finishReason(fromStopReason: stopReason)))
            }
            if let usage = body.usage {
                remember(usage)
                let total = Usage(
                    promptTokens: self.usage.promptTokens ?? 0, completionTokens: self.usage.outputTokens ?? 0)
                events.append(.usage(total))
            }
            return events

        case "message_stop":
            isComplete = true
            return []

        case "error":
            throw Self.error(from: body.error)

        default:
            return []  // ping, content_block_stop, and events added to the API later
        }
    }

    /// Input counts come in `message_start`, and again in `message_delta` only on newer API versions.
    private mutating func remember(_ update: AnthropicUsage) {
        usage.inputTokens = update.inputTokens ?? usage.inputTokens
        usage.outputTokens = update.outputTokens ?? usage.outputTokens
        usage.cacheCreationInputTokens = update.cacheCreationInputTokens ?? usage.cacheCreationInputTokens
        usage.cacheReadInputTokens = update.cacheReadInputTokens ?? usage.cacheReadInputTokens
    }

    /// An in-stream error. Overload and rate limits are worth a retry, so they are told apart from failures.
    private static func error(from detail: AnthropicErrorDetail?) -> GatewayError {
        let message = detail?.message ?? "The upstream reported an error in the stream."
        switch detail?.type {
        case "overloaded_error": return GatewayError(.rateLimited, message, upstreamStatus: 529)
        case "rate_limit_error": return GatewayError(.rateLimited, message, upstreamStatus: 429)
        default: return GatewayError(.upstreamError, message)
        }
    }
}
