import ConcordCore

// The caller's request, an upstream's answer and its stream chunks read from parsed JSON (`JSONParser`) rather
// than through `JSONDecoder`: every call and every streamed event passes here. Each initializer reads what the `Decodable` form reads and
// throws `FieldMismatch` wherever that form would throw, so the decoder can fall back to it for the error.

extension OpenAIWire.UpstreamChunk {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        choices = try object.array("choices")?.map { choice throws(FieldMismatch) in try Choice(parsed: choice) }
        usage = try object.object("usage").map { usage throws(FieldMismatch) in try OpenAIWire.Usage(parsed: usage) }
        error = try object.object("error").map { detail throws(FieldMismatch) in
            OpenAIWire.ErrorBody.Detail(
                message: try detail.string("message"), type: try detail.string("type"),
                code: try detail.string("code"), param: try detail.string("param"))
        }
    }
}

extension OpenAIWire.UpstreamChunk.Choice {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        delta = try object.object("delta").map { delta throws(FieldMismatch) in
            OpenAIWire.Chunk.Delta(
                role: try delta.string("role"),
                content: try delta.string("content"),
                toolCalls: try delta.array("tool_calls")?.map { call throws(FieldMismatch) in
                    try OpenAIWire.ToolCall(parsed: call)
                }
            )
        }
        finishReason = try object.string("finish_reason")
    }
}

extension OpenAIWire.ToolCall {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        self.init(
            index: try object.int("index"),
            id: try object.string("id"),
            type: try object.string("type"),
            function: try object.object("function").map { function throws(FieldMismatch) in
                Function(name: try function.string("name"), arguments: try function.string("arguments"))
            }
        )
    }
}

extension OpenAIWire.Usage {
    init(parsed object: ParsedObject) throws(FieldMismatch) {
        self.init(
            promptTokens: try object.required(object.int("prompt_tokens")),
            completionTokens: try object.required(object.int("completion_tokens")),
            totalTokens: try object.int("total_tokens")
        )
    }
}

extension OpenAIWire.UpstreamCompletion {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        self.init(
            choices: try object.required(object.array("choices")).map { choice throws(FieldMismatch) in
                let choice = try choice.object()
                return Choice(
                    message: try OpenAIWire.Message(parsed: choice.required(choice.object("message"))),
                    finishReason: try choice.string("finish_reason"))
            },
            usage: try object.object("usage").map { usage throws(FieldMismatch) in try OpenAIWire.Usage(parsed: usage) }
        )
    }
}

extension OpenAIWire.Message {
    init(parsed object: ParsedObject) throws(FieldMismatch) {
        self.init(
            role: try object.required(object.string("role")),
            content: try object.value("content").map { content throws(FieldMismatch) in
                switch content {
                case .string(let text): return .text(text)
                case .array(let parts):
                    return .parts(try parts.map { part throws(FieldMismatch) in try OpenAIWire.Part(parsed: part) })
                default: throw FieldMismatch()
                }
            },
            name: try object.string("name"),
            toolCalls: try object.array("tool_calls")?.map { call throws(FieldMismatch) in
                try OpenAIWire.ToolCall(parsed: call)
            },
            toolCallID: try object.string("tool_call_id")
        )
    }
}

extension OpenAIWire.Part {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        self.init(
            type: try object.required(object.string("type")),
            text: try object.string("text"),
            imageURL: try object.object("image_url").map { image throws(FieldMismatch) in
                ImageURL(url: try image.required(image.string("url")), detail: try image.string("detail"))
            }
        )
    }
}

extension OpenAIWire.Request {
    init(parsed json: JSONValue) throws(FieldMismatch) {
        let object = try json.object()
        self.init(
            model: try object.required(object.string("model")),
            messages: try object.required(object.array("messages")).map { message throws(FieldMismatch) in
                try OpenAIWire.Message(parsed: message.object())
            }
        )
        tools = try object.array("tools")?.map { tool throws(FieldMismatch) in
            let tool = try tool.object()
            let function = try tool.required(tool.object("function"))
            return OpenAIWire.Tool(
                type: try tool.required(tool.string("type")),
                function: .init(
                    name: try function.required(function.string("name")),
                    description: try function.string("description"),
                    parameters: function.value("parameters"),
                    strict: try function.bool("strict")
                )
            )
        }
        toolChoice = object.value("tool_choice")
        parallelToolCalls = try object.bool("parallel_tool_calls")
        responseFormat = try object.object("response_format").map { format throws(FieldMismatch) in
            OpenAIWire.ResponseFormatBody(
                type: try format.required(format.string("type")),
                jsonSchema: try format.object("json_schema").map { schema throws(FieldMismatch) in
                    .init(
                        name: try schema.required(schema.string("name")), schema: schema.value("schema"),
                        strict: try schema.bool("strict"), description: try schema.string("description"))
                }
            )
        }
        temperature = try object.double("temperature")
        topP = try object.double("top_p")
        maxTokens = try object.int("max_tokens")
        maxCompletionTokens = try object.int("max_completion_tokens")
        stop = object.value("stop")
        stream = try object.bool("stream")
        streamOptions = try object.object("stream_options").map { options throws(FieldMismatch) in
            OpenAIWire.StreamOptions(includeUsage: try options.bool("include_usage"))
        }
        for (key, value) in object where !Self.knownKeys.contains(key) {
            extra[key] = value
        }
    }
}
