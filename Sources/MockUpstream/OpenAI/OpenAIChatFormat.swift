import Hummingbird

/// OpenAI Chat Completions (`POST /v1/chat/completions`), as the official SDKs send and parse it.
enum OpenAIChatFormat: ChatWireFormat {
    static func receivedKey(in headers: HTTPFields) -> String? {
        guard let value = headers[.authorization], value.hasPrefix("Bearer ") else { return nil }
        let key = value.dropFirst("Bearer ".count).drop { $0 == " " }
        return key.isEmpty ? nil : String(key)
    }

    static var missingKeyError: UpstreamError {
        .authentication(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        )
    }

    /// `{"error": {"message", "type", "param", "code"}}`
    static func errorBody(_ error: UpstreamError) -> ByteBuffer {
        let (type, code): (String, JSON) =
            switch error.kind {
            case .invalidRequest, .permission, .requestTooLarge: ("invalid_request_error", .null)
            case .authentication: ("invalid_request_error", "invalid_api_key")
            case .notFound: ("invalid_request_error", "model_not_found")
            case .rateLimit: ("requests", "rate_limit_exceeded")
            case .server, .overloaded: ("server_error", .null)
            }
        let body: JSON = [
            "error": ["message": .string(error.message), "type": .string(type), "param": .null, "code": code]
        ]
        var buffer = ByteBuffer()
        body.write(into: &buffer)
        return buffer
    }

    static func summarize(_ body: JSON) throws(UpstreamError) -> ChatRequestSummary {
        guard case .object = body else { throw .invalidRequest("The request body must be a JSON object.") }
        guard let model = body["model"]?.stringValue, !model.isEmpty else {
            throw .invalidRequest("you must provide a model parameter")
        }
        guard let messages = body["messages"]?.arrayValue, let last = messages.last else {
            throw .invalidRequest("'messages' must be a non-empty array.")
        }
        var summary = ChatRequestSummary(model: model)
        summary.stream = body["stream"]?.boolValue ?? false
        summary.includeUsage = body["stream_options"]?["include_usage"]?.boolValue ?? false
        summary.maxTokens = body["max_completion_tokens"]?.intValue ?? body["max_tokens"]?.intValue

        for (position, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue else {
                throw .invalidRequest("Missing required parameter: 'messages[\(position)].role'.")
            }
            let text = Self.text(of: message["content"])
            var characters = text.characterCount
            for call in message["tool_calls"]?.arrayValue ?? [] {
                characters += call["function"]?["arguments"]?.stringValue?.characterCount ?? 0
            }
            summary.prompt.addMessage(characters: characters)
            if role == "user" { summary.lastUserText = text }
        }
        switch last["role"]?.stringValue {
        case "user": summary.endsWithUserTurn = true
        case "tool", "function": summary.lastToolResult = Self.text(of: last["content"])
        default: break
        }

        summary.tools = (body["tools"]?.arrayValue ?? []).compactMap { tool in
            guard let function = tool["function"], let name = function["name"]?.stringValue else { return nil }
            return OfferedTool(name: name, schema: function["parameters"] ?? [:])
        }
        switch body["tool_choice"] {
        case .string("none"): summary.toolChoice = .none
        case .string("required"): summary.toolChoice = .required
        case .some(let choice):
            if let name = choice["function"]?["name"]?.stringValue { summary.toolChoice = .named(name) }
        case nil: break
        }

        switch body["response_format"]?["type"]?.stringValue {
        case "json_object": summary.replyFormat = .jsonObject
        case "json_schema": summary.replyFormat = .jsonSchema(body["response_format"]?["json_schema"]?["schema"] ?? [:])
        default: break
        }
        return summary
    }

    /// `content` is a string, null, or an array of parts of which only `text` parts carry text.
    private static func text(of content: JSON?) -> String {
        switch content {
        case .string(let text):
            return text
        case .array(let parts):
            return parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
        default:
            return ""
        }
    }
}
