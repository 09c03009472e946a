import ConcordCore

extension OpenAIWire.Chunk {
    /// The chunk as JSON, written directly rather than through `JSONEncoder`: a stream writes one per event. The
    /// same fields as the `Codable` form — absent optionals left out, except `finish_reason`, which the SDKs expect
    /// on every chunk (null until the last).
    func json() -> [UInt8] {
        var json = JSONWriter(capacity: 192)
        json.beginAnswer(id: id, object: object, created: created, model: model)
        for choice in choices {
            json.beginObject()
            json.member("index", choice.index)
            json.key("delta")
            choice.delta.write(to: &json)
            json.member("finish_reason", choice.finishReason)
            json.endObject()
        }
        json.endArray()
        if let usage {
            json.key("usage")
            usage.write(to: &json)
        }
        json.endObject()
        return json.bytes
    }
}

extension OpenAIWire.Completion {
    /// The completion as JSON, written directly rather than through `JSONEncoder` (once per non-streamed call).
    /// The same fields as the `Codable` form, absent optionals left out.
    func json() -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        json.beginAnswer(id: id, object: object, created: created, model: model)
        for choice in choices {
            json.beginObject()
            json.member("index", choice.index)
            json.key("message")
            choice.message.write(to: &json)
            if let finishReason = choice.finishReason { json.member("finish_reason", finishReason) }
            json.endObject()
        }
        json.endArray()
        if let usage {
            json.key("usage")
            usage.write(to: &json)
        }
        json.endObject()
        return json.bytes
    }
}

extension OpenAIWire.Usage {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("prompt_tokens", promptTokens)
        json.member("completion_tokens", completionTokens)
        if let totalTokens { json.member("total_tokens", totalTokens) }
        json.endObject()
    }
}

extension OpenAIWire.Chunk.Delta {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        if let role { json.member("role", role) }
        if let content { json.member("content", content) }
        if let toolCalls {
            json.key("tool_calls")
            json.beginArray()
            for call in toolCalls { call.write(to: &json) }
            json.endArray()
        }
        json.endObject()
    }
}

extension OpenAIWire.Request {
    /// The upstream request body, written directly rather than through `JSONEncoder` (once per call, the largest
    /// body the gateway writes). The same JSON as the `Codable` form: absent optionals left out, `extra` fields
    /// after the known ones.
    func json() -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.member("model", model)
        json.key("messages")
        json.beginArray()
        for message in messages { message.write(to: &json) }
        json.endArray()
        if let tools {
            json.key("tools")
            json.beginArray()
            for tool in tools { tool.write(to: &json) }
            json.endArray()
        }
        json.optional("tool_choice", toolChoice)
        if let parallelToolCalls { json.member("parallel_tool_calls", parallelToolCalls) }
        if let responseFormat {
            json.key("response_format")
            responseFormat.write(to: &json)
        }
        if let temperature { json.member("temperature", temperature) }
        if let topP { json.member("top_p", topP) }
        if let maxTokens { json.member("max_tokens", maxTokens) }
        if let maxCompletionTokens { json.member("max_completion_tokens", maxCompletionTokens) }
        json.optional("stop", stop)
        if let stream { json.member("stream", stream) }
        if let streamOptions {
            json.key("stream_options")
            json.beginObject()
            if let includeUsage = streamOptions.includeUsage { json.member("include_usage", includeUsage) }
            json.endObject()
        }
        for (key, value) in extra {
            json.key(key)
            value.write(to: &json)
        }
        json.endObject()
        return json.bytes
    }
}

extension OpenAIWire.Message {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("role", role)
        switch content {
        case .text(let text):
            json.member("content", text)
        case .parts(let parts):
            json.key("content")
            json.beginArray()
            for part in parts {
                json.beginObject()
                json.member("type", part.type)
                if let text = part.text { json.member("text", text) }
                if let image = part.imageURL {
                    json.key("image_url")
                    json.beginObject()
                    json.member("url", image.url)
                    if let detail = image.detail { json.member("detail", detail) }
                    json.endObject()
                }
                json.endObject()
            }
            json.endArray()
        case nil:
            break
        }
        if let name { json.member("name", name) }
        if let toolCalls {
            json.key("tool_calls")
            json.beginArray()
            for call in toolCalls { call.write(to: &json) }
            json.endArray()
        }
        if let toolCallID { json.member("tool_call_id", toolCallID) }
        json.endObject()
    }
}

extension OpenAIWire.ToolCall {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        if let index { json.member("index", index) }
        if let id { json.member("id", id) }
        if let type { json.member("type", type) }
        if let function {
            json.key("function")
            json.beginObject()
            if let name = function.name { json.member("name", name) }
            if let arguments = function.arguments { json.member("arguments", arguments) }
            json.endObject()
        }
        json.endObject()
    }
}

extension OpenAIWire.Tool {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("type", type)
        json.key("function")
        json.beginObject()
        json.member("name", function.name)
        if let description = function.description { json.member("description", description) }
        json.optional("parameters", function.parameters)
        if let strict = function.strict { json.member("strict", strict) }
        json.endObject()
        json.endObject()
    }
}

extension OpenAIWire.ResponseFormatBody {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("type", type)
        if let schema = jsonSchema {
            json.key("json_schema")
            json.beginObject()
            json.member("name", schema.name)
            json.optional("schema", schema.schema)
            if let strict = schema.strict { json.member("strict", strict) }
            if let description = schema.description { json.member("description", description) }
            json.endObject()
        }
        json.endObject()
    }
}

extension JSONWriter {
    /// Opens an answer or a chunk: `{"id", "object", "created", "model", "choices": [` — the caller writes the
    /// choices and closes both.
    fileprivate mutating func beginAnswer(id: String, object: String, created: Int, model: String) {
        beginObject()
        member("id", id)
        member("object", object)
        member("created", created)
        member("model", model)
        key("choices")
        beginArray()
    }
}
