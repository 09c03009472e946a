import ConcordCore

extension OpenAIWire.Chunk {
    /// The chunk as JSON, written directly rather than through `JSONEncoder`: a stream writes one per event. The
    /// same fields as the `Codable` form — absent optionals left out, except `finish_reason`, which the SDKs expect
    /// on every chunk (null until the last).
    func json() -> [UInt8] {
        var json = JSONWriter(capacity: 192)
        json.beginObject()
        json.member("id", id)
        json.member("object", object)
        json.member("created", created)
        json.member("model", model)
        json.key("choices")
        json.beginArray()
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
            json.beginObject()
            json.member("prompt_tokens", usage.promptTokens)
            json.member("completion_tokens", usage.completionTokens)
            if let total = usage.totalTokens { json.member("total_tokens", total) }
            json.endObject()
        }
        json.endObject()
        return json.bytes
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

extension JSONValue {
    /// Written as `JSONValue`'s `Encodable` form writes it: whole numbers below 10^15 as integers.
    func write(to json: inout JSONWriter) {
        switch self {
        case .null: json.null()
        case .bool(let value): json.bool(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { json.int(Int(value)) } else { json.double(value) }
        case .string(let value): json.string(value)
        case .array(let values):
            json.beginArray()
            for value in values { value.write(to: &json) }
            json.endArray()
        case .object(let members):
            json.beginObject()
            for (key, value) in members {
                json.key(key)
                value.write(to: &json)
            }
            json.endObject()
        }
    }
}

extension JSONWriter {
    /// `"name": value` when there is a value; nothing when it is absent.
    fileprivate mutating func optional(_ name: String, _ value: JSONValue?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    fileprivate mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }
}
