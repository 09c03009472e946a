public import ConcordCore

/// Writes a canonical stream as Anthropic's event sequence: `message_start`, content blocks opened, filled and
/// closed one at a time, then `message_delta` and `message_stop`.
///
/// Upstreams in OpenAI's format report the finish reason and usage only at the end, so both are held until
/// `finish`; `message_start` therefore carries zero usage and the real counts come in `message_delta`, which is
/// where Anthropic SDKs read the final usage from.
public struct AnthropicStreamEncoder: CallerStreamEncoder {
    private enum OpenBlock {
        case text(block: Int)
        case toolUse(block: Int)

        var index: Int {
            switch self {
            case .text(let block), .toolUse(let block): block
            }
        }
    }

    private let id: String
    private let model: String
    private var started = false
    private var ended = false
    private var openBlock: OpenBlock?
    private var nextBlockIndex = 0
    private var blockByTool: [Int: Int] = [:]
    private var finishReason: FinishReason?
    private var usage: Usage?

    init(id: String, model: String) {
        self.id = id
        self.model = model
    }

    public mutating func encode(_ event: StreamEvent, into output: inout String) {
        guard !ended else { return }
        start(into: &output)
        switch event {
        case .textDelta(let text):
            guard !text.isEmpty else { return }
            if case .text(let block) = openBlock {
                emitDelta(block: block, AnthropicDelta(type: "text_delta", text: text), into: &output)
            } else {
                let block = open(.text(block: nextBlockIndex), content: .text(""), into: &output)
                emitDelta(block: block, AnthropicDelta(type: "text_delta", text: text), into: &output)
            }

        case .toolCallStarted(let index, let id, let name):
            let block = open(
                .toolUse(block: nextBlockIndex),
                content: .toolUse(id: id, name: name, input: .object([:])),
                into: &output
            )
            blockByTool[index] = block

        case .toolCallArgumentsDelta(let index, let fragment):
            // A fragment for a call that never started has no block to go in.
            guard !fragment.isEmpty, let block = blockByTool[index] else { return }
            emitDelta(block: block, AnthropicDelta(type: "input_json_delta", partialJSON: fragment), into: &output)

        case .finished(let reason):
            finishReason = reason

        case .usage(let usage):
            self.usage = usage
        }
    }

    public mutating func finish(into output: inout String) {
        guard !ended else { return }
        start(into: &output)
        close(into: &output)
        ended = true

        let reason = finishReason ?? (blockByTool.isEmpty ? .stop : .toolCalls)
        let usage = self.usage ?? Usage(promptTokens: 0, completionTokens: 0)
        var delta = AnthropicStreamEventBody(type: "message_delta")
        delta.delta = AnthropicDelta(stopReason: AnthropicMessagesFormat.stopReason(from: reason))
        delta.usage = AnthropicUsage(inputTokens: usage.promptTokens, outputTokens: usage.completionTokens)
        emit(delta, into: &output)
        emit(AnthropicStreamEventBody(type: "message_stop"), into: &output)
    }

    public mutating func fail(_ error: GatewayError, into output: inout String) {
        guard !ended else { return }
        ended = true
        let body = AnthropicMessagesFormat.errorBody(error)
        output += SSEEvent(event: "error", data: WireJSON.encodeString(body)).framed
    }

    // MARK: Events

    private mutating func start(into output: inout String) {
        guard !started else { return }
        started = true
        var event = AnthropicStreamEventBody(type: "message_start")
        event.message = AnthropicMessage(
            id: id,
            type: "message",
            role: "assistant",
            model: model,
            content: [],
            usage: AnthropicUsage(inputTokens: 0, outputTokens: 0)
        )
        emit(event, into: &output)
    }

    /// Closes the open block, if any, and opens a new one; returns its index.
    private mutating func open(_ block: OpenBlock, content: AnthropicBlock, into output: inout String) -> Int {
        close(into: &output)
        var event = AnthropicStreamEventBody(type: "content_block_start")
        event.index = block.index
        event.contentBlock = content
        emit(event, into: &output)
        openBlock = block
        nextBlockIndex = block.index + 1
        return block.index
    }

    private mutating func close(into output: inout String) {
        guard let block = openBlock else { return }
        var event = AnthropicStreamEventBody(type: "content_block_stop")
        event.index = block.index
        emit(event, into: &output)
        openBlock = nil
    }

    private func emitDelta(block: Int, _ delta: AnthropicDelta, into output: inout String) {
        var event = AnthropicStreamEventBody(type: "content_block_delta")
        event.index = block
        event.delta = delta
        emit(event, into: &output)
    }

    private func emit(_ event: AnthropicStreamEventBody, into output: inout String) {
        output += SSEEvent(event: event.type, data: String(decoding: event.json(), as: UTF8.self)).framed
    }
}
