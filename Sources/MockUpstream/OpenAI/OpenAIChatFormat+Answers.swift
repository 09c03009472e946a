import Hummingbird

extension OpenAIChatFormat {
    /// Not a real fingerprint; present because SDKs and gateways read the field.
    static let systemFingerprint: JSON = "fp_concord_mock"

    /// A `chat.completion` object.
    static func answerBody(_ answer: MockAnswer, to request: ChatRequestSummary) -> ByteBuffer {
        let message: JSON =
            switch answer.content {
            case .text(let text):
                ["role": "assistant", "content": .string(text), "refusal": .null]
            case .toolCall(let name, let arguments):
                [
                    "role": "assistant", "content": .null, "refusal": .null,
                    "tool_calls": [
                        [
                            "id": .string(ResponseIdentity.make("call_")), "type": "function",
                            "function": ["name": .string(name), "arguments": .string(arguments.serialized)],
                        ]
                    ],
                ]
            }
        let completion: JSON = [
            "id": .string(ResponseIdentity.make("chatcmpl-")),
            "object": "chat.completion",
            "created": .int(ResponseIdentity.now),
            "model": .string(request.model),
            "choices": [
                ["index": 0, "message": message, "logprobs": .null, "finish_reason": finishReason(answer.finish)]
            ],
            "usage": usage(answer),
            "service_tier": "default",
            "system_fingerprint": systemFingerprint,
        ]
        var buffer = ByteBuffer()
        completion.write(into: &buffer)
        return buffer
    }

    /// `chat.completion.chunk` events: role, content (or tool-call) deltas, the finish reason,
    /// the usage chunk when `stream_options.include_usage` asked for it, and `[DONE]`.
    static func answerEvents(_ answer: MockAnswer, to request: ChatRequestSummary) -> EventScript {
        let chunks = ChunkFactory(request: request)
        var events: [ByteBuffer] = []
        switch answer.content {
        case .text(let text):
            events.append(chunks.delta(["role": "assistant", "content": "", "refusal": .null]))
            for piece in MockAnswer.streamPieces(of: text) {
                events.append(chunks.delta(["content": .string(piece)]))
            }
        case .toolCall(let name, let arguments):
            let call: JSON = [
                "index": 0, "id": .string(ResponseIdentity.make("call_")), "type": "function",
                "function": ["name": .string(name), "arguments": ""],
            ]
            events.append(
                chunks.delta(["role": "assistant", "content": .null, "tool_calls": [call], "refusal": .null]))
            for fragment in MockAnswer.argumentFragments(of: arguments.serialized) {
                events.append(
                    chunks.delta(["tool_calls": [["index": 0, "function": ["arguments": .string(fragment)]]]]))
            }
        }
        events.append(chunks.delta([:], finishReason: finishReason(answer.finish)))
        if request.includeUsage {
            events.append(chunks.usageChunk(usage(answer)))
        }
        events.append(ServerSentEvents.raw("data: [DONE]\n\n"))
        return EventScript(events: events, firstContentIndex: 1)
    }

    static func malformedEvents(to request: ChatRequestSummary) -> [ByteBuffer] {
        let chunks = ChunkFactory(request: request)
        return [
            chunks.delta(["role": "assistant", "content": "", "refusal": .null]),
            ServerSentEvents.raw("data: {\"choices\": [{\"delta\": mock upstream: this event is not JSON\n\n"),
            ServerSentEvents.raw("data: [DONE]\n\n"),
        ]
    }

    private static func finishReason(_ finish: MockAnswer.Finish) -> JSON {
        switch finish {
        case .stop: "stop"
        case .length: "length"
        case .toolCall: "tool_calls"
        }
    }

    private static func usage(_ answer: MockAnswer) -> JSON {
        [
            "prompt_tokens": .int(answer.promptTokens),
            "completion_tokens": .int(answer.completionTokens),
            "total_tokens": .int(answer.totalTokens),
            "prompt_tokens_details": ["cached_tokens": 0, "audio_tokens": 0],
            "completion_tokens_details": ["reasoning_tokens": 0, "audio_tokens": 0],
        ]
    }

    /// Chunks of one stream share its id, timestamp and model.
    private struct ChunkFactory {
        let id: JSON = .string(ResponseIdentity.make("chatcmpl-"))
        let created: JSON = .int(ResponseIdentity.now)
        let model: JSON
        /// With `include_usage`, every chunk carries `"usage": null` until the final usage chunk.
        let includeUsage: Bool

        init(request: ChatRequestSummary) {
            model = .string(request.model)
            includeUsage = request.includeUsage
        }

        func delta(_ delta: JSON, finishReason: JSON = .null) -> ByteBuffer {
            let choice: JSON = ["index": 0, "delta": delta, "logprobs": .null, "finish_reason": finishReason]
            return chunk(choices: [choice], usage: includeUsage ? .null : nil)
        }

        func usageChunk(_ usage: JSON) -> ByteBuffer {
            chunk(choices: [], usage: usage)
        }

        private func chunk(choices: JSON, usage: JSON?) -> ByteBuffer {
            var members: [(key: String, value: JSON)] = [
                ("id", id), ("object", "chat.completion.chunk"), ("created", created), ("model", model),
                ("service_tier", "default"), ("system_fingerprint", OpenAIChatFormat.systemFingerprint),
                ("choices", choices),
            ]
            if let usage { members.append(("usage", usage)) }
            return ServerSentEvents.data(.object(members))
        }
    }
}
