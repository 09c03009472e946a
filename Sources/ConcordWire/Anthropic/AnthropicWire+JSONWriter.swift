import ConcordCore

// The Anthropic bodies the gateway writes — the upstream request, the caller's answer, every streamed event —
// written directly rather than through `JSONEncoder`. The same JSON as the `Codable` forms: absent optionals
// left out, except where those forms write `null` on purpose (`stop_reason`, `stop_sequence`).

extension AnthropicRequestBody {
    func json() -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.member("model", model)
        json.key("messages")
        json.beginArray()
        for message in messages {
            json.beginObject()
            json.member("role", message.role)
            json.key("content")
            message.content.write(to: &json)
            json.endObject()
        }
        json.endArray()
        if let system {
            json.key("system")
            system.write(to: &json)
        }
        if let maxTokens { json.member("max_tokens", maxTokens) }
        if let temperature { json.member("temperature", temperature) }
        if let topP { json.member("top_p", topP) }
        if let stopSequences {
            json.key("stop_sequences")
            json.beginArray()
            for stop in stopSequences { json.string(stop) }
            json.endArray()
        }
        if let stream { json.member("stream", stream) }
        if let tools {
            json.key("tools")
            json.beginArray()
            for tool in tools {
                json.beginObject()
                json.member("name", tool.name)
                if let description = tool.description { json.member("description", description) }
                json.key("input_schema")
                tool.inputSchema.write(to: &json)
                json.endObject()
            }
            json.endArray()
        }
        if let toolChoice {
            json.key("tool_choice")
            json.beginObject()
            json.member("type", toolChoice.type)
            if let name = toolChoice.name { json.member("name", name) }
            if let disable = toolChoice.disableParallelToolUse { json.member("disable_parallel_tool_use", disable) }
            json.endObject()
        }
        json.endObject()
        return json.bytes
    }
}

extension AnthropicMessage {
    func json() -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        write(to: &json)
        return json.bytes
    }

    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        if let id { json.member("id", id) }
        if let type { json.member("type", type) }
        if let role { json.member("role", role) }
        if let model { json.member("model", model) }
        json.key("content")
        json.beginArray()
        for block in content { block.write(to: &json) }
        json.endArray()
        json.member("stop_reason", stopReason)
        json.member("stop_sequence", stopSequence)
        if let usage {
            json.key("usage")
            usage.write(to: &json)
        }
        json.endObject()
    }
}

extension AnthropicStreamEventBody {
    func json() -> [UInt8] {
        var json = JSONWriter(capacity: 192)
        json.beginObject()
        json.member("type", type)
        if let message {
            json.key("message")
            message.write(to: &json)
        }
        if let index { json.member("index", index) }
        if let contentBlock {
            json.key("content_block")
            contentBlock.write(to: &json)
        }
        if let delta {
            json.key("delta")
            delta.write(to: &json)
        }
        if let usage {
            json.key("usage")
            usage.write(to: &json)
        }
        if let error {
            json.key("error")
            json.beginObject()
            if let type = error.type { json.member("type", type) }
            if let message = error.message { json.member("message", message) }
            json.endObject()
        }
        json.endObject()
        return json.bytes
    }
}

extension AnthropicContent {
    fileprivate func write(to json: inout JSONWriter) {
        switch self {
        case .text(let text):
            json.string(text)
        case .blocks(let blocks):
            json.beginArray()
            for block in blocks { block.write(to: &json) }
            json.endArray()
        }
    }
}

extension AnthropicBlock {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("type", type)
        if let text { json.member("text", text) }
        if let source {
            json.key("source")
            json.beginObject()
            json.member("type", source.type)
            if let data = source.data { json.member("data", data) }
            if let url = source.url { json.member("url", url) }
            if let mediaType = source.mediaType { json.member("media_type", mediaType) }
            json.endObject()
        }
        if let id { json.member("id", id) }
        if let name { json.member("name", name) }
        json.optional("input", input)
        if let content {
            json.key("content")
            content.write(to: &json)
        }
        if let toolUseID { json.member("tool_use_id", toolUseID) }
        if let isError { json.member("is_error", isError) }
        json.endObject()
    }
}

extension AnthropicUsage {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        if let inputTokens { json.member("input_tokens", inputTokens) }
        if let outputTokens { json.member("output_tokens", outputTokens) }
        if let cacheCreationInputTokens { json.member("cache_creation_input_tokens", cacheCreationInputTokens) }
        if let cacheReadInputTokens { json.member("cache_read_input_tokens", cacheReadInputTokens) }
        json.endObject()
    }
}

extension AnthropicDelta {
    /// A `content_block_delta`'s delta has a `type`; a `message_delta`'s always carries `stop_reason` and
    /// `stop_sequence`, `null` when unset.
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        if let type {
            json.member("type", type)
            if let text { json.member("text", text) }
            if let partialJSON { json.member("partial_json", partialJSON) }
        } else {
            json.member("stop_reason", stopReason)
            json.member("stop_sequence", stopSequence)
        }
        json.endObject()
    }
}
