import Hummingbird

extension AnthropicMessagesFormat {
    /// A `message` object.
    static func answerBody(_ answer: MockAnswer, to request: ChatRequestSummary) -> ByteBuffer {
        let block: JSON =
            switch answer.content {
            case .text(let text): ["type": "text", "text": .string(text)]
            case .toolCall(let name, let arguments):
                [
                    "type": "tool_use", "id": .string(ResponseIdentity.make("toolu_01", length: 22)),
                    "name": .string(name), "input": arguments,
                ]
            }
        let message: JSON = [
            "id": .string(ResponseIdentity.make("msg_01", length: 22)),
            "type": "message",
            "role": "assistant",
            "model": .string(request.model),
            "content": [block],
            "stop_reason": stopReason(answer.finish),
            "stop_sequence": .null,
            "usage": usage(inputTokens: answer.promptTokens, outputTokens: answer.completionTokens),
        ]
        var buffer = ByteBuffer()
        message.write(into: &buffer)
        return buffer
    }

    /// message_start, content_block_start, ping, content_block_delta…, content_block_stop, message_delta, message_stop —
    /// the order the API documents.
    static func answerEvents(_ answer: MockAnswer, to request: ChatRequestSummary) -> EventScript {
        var events = [messageStart(request, inputTokens: answer.promptTokens)]
        switch answer.content {
        case .text(let text):
            events.append(event("content_block_start", ["index": 0, "content_block": ["type": "text", "text": ""]]))
            events.append(ping)
            for piece in MockAnswer.streamPieces(of: text) {
                events.append(
                    event(
                        "content_block_delta", ["index": 0, "delta": ["type": "text_delta", "text": .string(piece)]]))
            }
        case .toolCall(let name, let arguments):
            let block: JSON = [
                "type": "tool_use", "id": .string(ResponseIdentity.make("toolu_01", length: 22)), "name": .string(name),
                "input": [:],
            ]
            events.append(event("content_block_start", ["index": 0, "content_block": block]))
            events.append(ping)
            for fragment in [""] + MockAnswer.argumentFragments(of: arguments.serialized) {
                events.append(
                    event(
                        "content_block_delta",
                        ["index": 0, "delta": ["type": "input_json_delta", "partial_json": .string(fragment)]])
                )
            }
        }
        events.append(event("content_block_stop", ["index": 0]))
        events.append(
            event(
                "message_delta",
                [
                    "delta": ["stop_reason": stopReason(answer.finish), "stop_sequence": .null],
                    "usage": ["output_tokens": .int(answer.completionTokens)],
                ]
            )
        )
        events.append(event("message_stop", [:]))
        return EventScript(events: events, firstContentIndex: 3)
    }

    static func malformedEvents(to request: ChatRequestSummary) -> [ByteBuffer] {
        [
            messageStart(request, inputTokens: request.prompt.tokens),
            ServerSentEvents.raw(
                "event: content_block_start\ndata: {\"type\": mock upstream: this event is not JSON\n\n"),
        ]
    }

    private static var ping: ByteBuffer { event("ping", [:]) }

    /// An event whose `data` carries its own name as `type`, first, as the API writes it.
    private static func event(_ type: String, _ fields: JSON) -> ByteBuffer {
        let payload: JSON = .object([("type", .string(type))] + (fields.objectValue ?? []))
        return ServerSentEvents.event(type, payload)
    }

    private static func messageStart(_ request: ChatRequestSummary, inputTokens: Int) -> ByteBuffer {
        let message: JSON = [
            "id": .string(ResponseIdentity.make("msg_01", length: 22)),
            "type": "message",
            "role": "assistant",
            "model": .string(request.model),
            "content": [],
            "stop_reason": .null,
            "stop_sequence": .null,
            "usage": usage(inputTokens: inputTokens, outputTokens: 1),
        ]
        return event("message_start", ["message": message])
    }

    private static func stopReason(_ finish: MockAnswer.Finish) -> JSON {
        switch finish {
        case .stop: "end_turn"
        case .length: "max_tokens"
        case .toolCall: "tool_use"
        }
    }

    private static func usage(inputTokens: Int, outputTokens: Int) -> JSON {
        [
            "input_tokens": .int(inputTokens),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": .int(outputTokens),
        ]
    }
}
