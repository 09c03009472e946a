import ConcordCore

// Anthropic stream events read from a parsed event (`JSONParser`) rather than through `JSONDecoder`: every event
// of every Anthropic stream passes here. Each initializer reads what the `Decodable` form reads and throws
// `FieldMismatch` wherever that form would throw, so the decoder can fall back to it for the error.

extension AnthropicStreamEventBody {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        self.init(type: try object.required(object.string("type")))
        message = try object.object("message").map { message throws(FieldMismatch) in
            try AnthropicMessage(parsed: message)
        }
        index = try object.int("index")
        contentBlock = try object.object("content_block").map { block throws(FieldMismatch) in
            try AnthropicBlock(parsed: block)
        }
        delta = try object.object("delta").map { delta throws(FieldMismatch) in
            AnthropicDelta(
                type: try delta.string("type"), text: try delta.string("text"),
                partialJSON: try delta.string("partial_json"), stopReason: try delta.string("stop_reason"),
                stopSequence: try delta.string("stop_sequence"))
        }
        usage = try object.object("usage").map { usage throws(FieldMismatch) in try AnthropicUsage(parsed: usage) }
        error = try object.object("error").map { error throws(FieldMismatch) in
            AnthropicErrorDetail(type: try error.string("type"), message: try error.string("message"))
        }
    }
}

extension AnthropicMessage {
    init(parsed object: ParsedObject) throws(FieldMismatch) {
        self.init(
            id: try object.string("id"),
            type: try object.string("type"),
            role: try object.string("role"),
            model: try object.string("model"),
            content: try object.required(object.array("content")).map { block throws(FieldMismatch) in
                try AnthropicBlock(parsed: block.object())
            },
            stopReason: try object.string("stop_reason"),
            stopSequence: try object.string("stop_sequence"),
            usage: try object.object("usage").map { usage throws(FieldMismatch) in try AnthropicUsage(parsed: usage) }
        )
    }
}

extension AnthropicBlock {
    init(parsed object: ParsedObject) throws(FieldMismatch) {
        self.init(type: try object.required(object.string("type")))
        text = try object.string("text")
        source = try object.object("source").map { source throws(FieldMismatch) in
            AnthropicImageSource(
                type: try source.required(source.string("type")), mediaType: try source.string("media_type"),
                data: try source.string("data"), url: try source.string("url"))
        }
        id = try object.string("id")
        name = try object.string("name")
        input = object.value("input")
        toolUseID = try object.string("tool_use_id")
        content = try object.value("content").map { content throws(FieldMismatch) in
            switch content {
            case .string(let text): return .text(text)
            case .array(let blocks):
                return .blocks(
                    try blocks.map { block throws(FieldMismatch) in try AnthropicBlock(parsed: block.object()) })
            default: throw FieldMismatch()
            }
        }
        isError = try object.bool("is_error")
    }
}

extension AnthropicUsage {
    init(parsed object: ParsedObject) throws(FieldMismatch) {
        self.init(
            inputTokens: try object.int("input_tokens"),
            outputTokens: try object.int("output_tokens"),
            cacheCreationInputTokens: try object.int("cache_creation_input_tokens"),
            cacheReadInputTokens: try object.int("cache_read_input_tokens")
        )
    }
}
