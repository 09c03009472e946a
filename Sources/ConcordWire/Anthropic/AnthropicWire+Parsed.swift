import ConcordCore

// Anthropic callers' requests, upstream answers and stream events read from parsed JSON (`JSONParser`) rather
// than through `JSONDecoder`: every call and every streamed event passes here. Each initializer reads what the
// `Decodable` form reads and throws `FieldMismatch` wherever that form would throw, so the decoder can fall back
// to it for the error.

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
            try AnthropicContent(parsed: content)
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

extension AnthropicRequestBody {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        self.init(
            model: try object.required(object.string("model")),
            messages: try object.required(object.array("messages")).map { message throws(FieldMismatch) in
                let message = try message.object()
                return AnthropicMessageParam(
                    role: try message.required(message.string("role")),
                    content: try AnthropicContent(parsed: message.required(message.value("content"))))
            }
        )
        system = try object.value("system").map { system throws(FieldMismatch) in try AnthropicContent(parsed: system) }
        maxTokens = try object.int("max_tokens")
        temperature = try object.double("temperature")
        topP = try object.double("top_p")
        stopSequences = try object.array("stop_sequences")?.map { stop throws(FieldMismatch) in
            guard case .string(let text) = stop else { throw FieldMismatch() }
            return text
        }
        stream = try object.bool("stream")
        tools = try object.array("tools")?.map { tool throws(FieldMismatch) in
            let tool = try tool.object()
            // A present `input_schema` of `null` reads as `.null` in the `Decodable` form; an absent one fails.
            guard let schema = tool["input_schema"] else { throw FieldMismatch() }
            return AnthropicTool(
                name: try tool.required(tool.string("name")), description: try tool.string("description"),
                inputSchema: schema)
        }
        toolChoice = try object.object("tool_choice").map { choice throws(FieldMismatch) in
            AnthropicToolChoice(
                type: try choice.required(choice.string("type")), name: try choice.string("name"),
                disableParallelToolUse: try choice.bool("disable_parallel_tool_use"))
        }
    }
}

extension AnthropicContent {
    /// A string, or an array of content blocks.
    init(parsed json: JSONValue) throws(FieldMismatch) {
        switch json {
        case .string(let text): self = .text(text)
        case .array(let blocks):
            self = .blocks(try blocks.map { block throws(FieldMismatch) in try AnthropicBlock(parsed: block.object()) })
        default: throw FieldMismatch()
        }
    }
}
