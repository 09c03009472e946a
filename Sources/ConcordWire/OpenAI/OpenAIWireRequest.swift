import ConcordCore

extension OpenAIWire {
    /// A chat completions request. Fields the gateway does not interpret are kept in `extra`, so an
    /// OpenAI-compatible upstream receives them as the caller sent them.
    struct Request: Codable {
        var model: String
        var messages: [Message]
        var tools: [Tool]?
        var toolChoice: JSONValue?
        var parallelToolCalls: Bool?
        var responseFormat: ResponseFormatBody?
        var temperature: Double?
        var topP: Double?
        var maxTokens: Int?
        var maxCompletionTokens: Int?
        var stop: JSONValue?
        var stream: Bool?
        var streamOptions: StreamOptions?
        var extra: [String: JSONValue] = [:]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case model, messages, tools, temperature, stop, stream
            case toolChoice = "tool_choice"
            case parallelToolCalls = "parallel_tool_calls"
            case responseFormat = "response_format"
            case topP = "top_p"
            case maxTokens = "max_tokens"
            case maxCompletionTokens = "max_completion_tokens"
            case streamOptions = "stream_options"
        }

        static let knownKeys = Set(CodingKeys.allCases.map(\.stringValue))

        init(model: String, messages: [Message]) {
            self.model = model
            self.messages = messages
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decode(String.self, forKey: .model)
            messages = try container.decode([Message].self, forKey: .messages)
            tools = try container.decodeIfPresent([Tool].self, forKey: .tools)
            toolChoice = try container.decodeIfPresent(JSONValue.self, forKey: .toolChoice)
            parallelToolCalls = try container.decodeIfPresent(Bool.self, forKey: .parallelToolCalls)
            responseFormat = try container.decodeIfPresent(ResponseFormatBody.self, forKey: .responseFormat)
            temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
            topP = try container.decodeIfPresent(Double.self, forKey: .topP)
            maxTokens = try container.decodeIfPresent(Int.self, forKey: .maxTokens)
            maxCompletionTokens = try container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
            stop = try container.decodeIfPresent(JSONValue.self, forKey: .stop)
            stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
            streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
            let all = try decoder.container(keyedBy: AnyCodingKey.self)
            for key in all.allKeys where !Self.knownKeys.contains(key.stringValue) {
                extra[key.stringValue] = try all.decode(JSONValue.self, forKey: key)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(model, forKey: .model)
            try container.encode(messages, forKey: .messages)
            try container.encodeIfPresent(tools, forKey: .tools)
            try container.encodeIfPresent(toolChoice, forKey: .toolChoice)
            try container.encodeIfPresent(parallelToolCalls, forKey: .parallelToolCalls)
            try container.encodeIfPresent(responseFormat, forKey: .responseFormat)
            try container.encodeIfPresent(temperature, forKey: .temperature)
            try container.encodeIfPresent(topP, forKey: .topP)
            try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
            try container.encodeIfPresent(maxCompletionTokens, forKey: .maxCompletionTokens)
            try container.encodeIfPresent(stop, forKey: .stop)
            try container.encodeIfPresent(stream, forKey: .stream)
            try container.encodeIfPresent(streamOptions, forKey: .streamOptions)
            var all = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in extra {
                try all.encode(value, forKey: AnyCodingKey(key))
            }
        }
    }
}
