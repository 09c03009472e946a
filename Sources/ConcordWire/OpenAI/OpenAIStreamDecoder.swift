public import ConcordCore
import Foundation

/// Reads an OpenAI-compatible upstream's `chat.completion.chunk` stream.
public struct OpenAIStreamDecoder: UpstreamStreamDecoder {
    public private(set) var isComplete = false
    /// Upstream tool-call index → canonical index, in the order calls started.
    private var toolIndexes: [Int: Int] = [:]

    public init() {}

    public mutating func decode(_ event: SSEEvent) throws(GatewayError) -> [StreamEvent] {
        if event.data == "[DONE]" {
            isComplete = true
            return []
        }
        let chunk = try WireJSON.decodeUpstream(
            OpenAIWire.UpstreamChunk.self, from: event.data, reading: OpenAIWire.UpstreamChunk.init(parsed:))
        if let error = chunk.error {
            throw GatewayError(.upstreamError, error.message ?? "The upstream reported an error mid-stream.")
        }
        var events: [StreamEvent] = []
        if let choice = chunk.choices?.first {
            if let content = choice.delta?.content, !content.isEmpty {
                events.append(.textDelta(content))
            }
            for call in choice.delta?.toolCalls ?? [] {
                let upstreamIndex = call.index ?? toolIndexes.count
                if let id = call.id, toolIndexes[upstreamIndex] == nil {
                    let index = toolIndexes.count
                    toolIndexes[upstreamIndex] = index
                    events.append(.toolCallStarted(index: index, id: id, name: call.function?.name ?? ""))
                }
                if let fragment = call.function?.arguments, !fragment.isEmpty,
                    let index = toolIndexes[upstreamIndex]
                {
                    events.append(.toolCallArgumentsDelta(index: index, fragment: fragment))
                }
            }
            if let reason = choice.finishReason {
                events.append(.finished(FinishReason(rawValue: reason)))
            }
        }
        if let usage = chunk.usage {
            events.append(.usage(usage.canonical))
        }
        return events
    }
}
