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
            for call in toolCalls {
                json.beginObject()
                if let index = call.index { json.member("index", index) }
                if let id = call.id { json.member("id", id) }
                if let type = call.type { json.member("type", type) }
                if let function = call.function {
                    json.key("function")
                    json.beginObject()
                    if let name = function.name { json.member("name", name) }
                    if let arguments = function.arguments { json.member("arguments", arguments) }
                    json.endObject()
                }
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }
}
