public import ConcordCore
public import Foundation

/// The OpenAI Chat Completions format: what the OpenAI SDKs speak, and what OpenAI-compatible servers
/// (OpenAI, vLLM, Ollama, llama.cpp, DeepSeek, OpenRouter, ...) accept.
public enum OpenAIChatFormat: ChatWireFormat {
    // MARK: Caller side

    public static func decodeRequest(_ body: Data) throws(GatewayError) -> ChatRequest {
        let wire = try WireJSON.decodeRequest(
            OpenAIWire.Request.self, from: body, reading: OpenAIWire.Request.init(parsed:))
        guard !wire.model.isEmpty else { throw .invalidField("model", "Field 'model' must not be empty.") }
        guard !wire.messages.isEmpty else {
            throw .invalidField("messages", "Field 'messages' must contain at least one message.")
        }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(wire.messages.count)
        for (index, message) in wire.messages.enumerated() {
            messages.append(try canonicalMessage(message, at: index))
        }
        if let temperature = wire.temperature, !(0...2).contains(temperature) {
            throw .invalidField("temperature", "Field 'temperature' must be between 0 and 2.")
        }
        if let topP = wire.topP, !(0...1).contains(topP) {
            throw .invalidField("top_p", "Field 'top_p' must be between 0 and 1.")
        }
        let maxTokens = wire.maxCompletionTokens ?? wire.maxTokens
        if let maxTokens, maxTokens < 1 {
            throw .invalidField("max_tokens", "Field 'max_tokens' must be at least 1.")
        }
        return ChatRequest(
            model: wire.model,
            messages: messages,
            tools: try (wire.tools ?? []).enumerated().map { index, tool throws(GatewayError) in
                guard tool.type == "function" else {
                    throw .invalidField("tools[\(index)].type", "Only tools of type 'function' are supported.")
                }
                return ToolDefinition(
                    name: tool.function.name,
                    description: tool.function.description,
                    parameters: tool.function.parameters ?? .object(["type": .string("object")])
                )
            },
            toolChoice: try wire.toolChoice.map(canonicalToolChoice),
            parallelToolCalls: wire.parallelToolCalls,
            responseFormat: try wire.responseFormat.map(canonicalResponseFormat),
            temperature: wire.temperature,
            topP: wire.topP,
            maxTokens: maxTokens,
            stop: try wire.stop.map(canonicalStop) ?? [],
            stream: wire.stream ?? false,
            includeStreamUsage: wire.streamOptions?.includeUsage ?? false,
            extraFields: wire.extra
        )
    }

    public static func encodeResponse(_ response: ChatResponse, id: String, model: String, created: Int) -> Data {
        let message = OpenAIWire.Message(
            role: "assistant",
            content: response.content.map { .text($0) },
            toolCalls: response.toolCalls.isEmpty ? nil : response.toolCalls.map(wireToolCall)
        )
        let completion = OpenAIWire.Completion(
            id: responseID(id),
            created: created,
            model: model,
            choices: [.init(index: 0, message: message, finishReason: response.finishReason.rawValue)],
            usage: response.usage.map(OpenAIWire.Usage.init)
        )
        return Data(completion.json())
    }

    public static func makeStreamEncoder(
        id: String,
        model: String,
        created: Int,
        includeUsage: Bool
    ) -> OpenAIStreamEncoder {
        OpenAIStreamEncoder(id: responseID(id), model: model, created: created, includeUsage: includeUsage)
    }

    /// OpenAI's ids read `chatcmpl-...`; the gateway's call id follows the prefix.
    private static func responseID(_ id: String) -> String {
        id.hasPrefix("chatcmpl-") ? id : "chatcmpl-" + id
    }

    public static func encodeError(_ error: GatewayError) -> Data {
        WireJSON.encode(errorBody(error))
    }

    // MARK: Upstream side

    public static func encodeRequest(
        _ request: ChatRequest,
        for model: ModelConfig,
        stream: Bool
    ) throws(GatewayError) -> Data {
        var wire = OpenAIWire.Request(model: model.upstreamModel, messages: request.messages.map(wireMessage))
        if !request.tools.isEmpty {
            wire.tools = request.tools.map {
                OpenAIWire.Tool(
                    type: "function",
                    function: .init(name: $0.name, description: $0.description, parameters: $0.parameters)
                )
            }
        }
        wire.toolChoice = request.toolChoice.map(wireToolChoice)
        wire.parallelToolCalls = request.parallelToolCalls
        wire.responseFormat = request.responseFormat.map(wireResponseFormat)
        wire.temperature = request.temperature
        wire.topP = request.topP
        wire.maxTokens = request.maxTokens
        if !request.stop.isEmpty { wire.stop = .array(request.stop.map { .string($0) }) }
        if stream {
            wire.stream = true
            // Always ask for usage: the log needs the provider's numbers whatever the caller asked for.
            wire.streamOptions = .init(includeUsage: true)
        }
        wire.extra = request.extraFields
        return Data(wire.json())
    }

    public static func decodeResponse(_ body: Data) throws(GatewayError) -> ChatResponse {
        let wire = try WireJSON.decodeUpstream(
            OpenAIWire.UpstreamCompletion.self, from: body, reading: OpenAIWire.UpstreamCompletion.init(parsed:))
        guard let choice = wire.choices.first else {
            throw GatewayError(.upstreamError, "The upstream answered with no choices.")
        }
        let toolCalls = (choice.message.toolCalls ?? []).map {
            ToolCall(id: $0.id ?? "", name: $0.function?.name ?? "", arguments: $0.function?.arguments ?? "")
        }
        let content: String? =
            switch choice.message.content {
            case .text(let text): text
            case .parts(let parts): parts.compactMap(\.text).joined()
            case nil: nil
            }
        let finishReason = choice.finishReason.map(FinishReason.init(rawValue:))
        return ChatResponse(
            content: content,
            toolCalls: toolCalls,
            finishReason: finishReason ?? (toolCalls.isEmpty ? .stop : .toolCalls),
            usage: wire.usage?.canonical
        )
    }

    public static func makeStreamDecoder() -> OpenAIStreamDecoder { OpenAIStreamDecoder() }

    public static func upstreamErrorMessage(_ body: Data) -> String? {
        guard let value = WireJSON.parse(body) else { return nil }
        if let message = value["error"]?["message"]?.stringValue { return message }
        return value["error"]?.stringValue ?? value["message"]?.stringValue ?? value["detail"]?.stringValue
    }

    // MARK: Translation

    private static func canonicalMessage(_ message: OpenAIWire.Message, at index: Int) throws(GatewayError)
        -> ChatMessage
    {
        let role: ChatMessage.Role
        switch message.role {
        case "system", "developer": role = .system
        case "user": role = .user
        case "assistant": role = .assistant
        case "tool": role = .tool
        default:
            throw .invalidField(
                "messages[\(index)].role",
                "Field 'messages[\(index)].role' must be one of system, developer, user, assistant, tool."
            )
        }
        var content: [ContentPart] = []
        switch message.content {
        case .text(let text): content = [.text(text)]
        case .parts(let parts):
            for (partIndex, part) in parts.enumerated() {
                switch part.type {
                case "text": content.append(.text(part.text ?? ""))
                case "image_url" where part.imageURL != nil: content.append(.image(url: part.imageURL!.url))
                default:
                    let field = "messages[\(index)].content[\(partIndex)].type"
                    throw .invalidField(field, "Content parts of type '\(part.type)' are not supported.")
                }
            }
        case nil: break
        }
        if role == .tool, message.toolCallID == nil {
            let field = "messages[\(index)].tool_call_id"
            throw .invalidField(field, "Tool messages need 'tool_call_id'.")
        }
        let toolCalls = try (message.toolCalls ?? []).enumerated().map { callIndex, call throws(GatewayError) in
            guard let id = call.id, let name = call.function?.name else {
                let field = "messages[\(index)].tool_calls[\(callIndex)]"
                throw .invalidField(field, "Tool calls need 'id' and 'function.name'.")
            }
            return ToolCall(id: id, name: name, arguments: call.function?.arguments ?? "{}")
        }
        return ChatMessage(
            role: role,
            content: content,
            toolCalls: toolCalls,
            toolCallID: message.toolCallID,
            name: message.name
        )
    }

    private static func canonicalToolChoice(_ value: JSONValue) throws(GatewayError) -> ToolChoice {
        switch value.stringValue {
        case "auto": return .auto
        case "none": return .none
        case "required": return .required
        default:
            if let name = value["function"]?["name"]?.stringValue { return .tool(name: name) }
            throw .invalidField(
                "tool_choice",
                "Field 'tool_choice' must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}."
            )
        }
    }

    private static func canonicalResponseFormat(_ format: OpenAIWire.ResponseFormatBody) throws(GatewayError)
        -> ResponseFormat
    {
        switch format.type {
        case "text": return .text
        case "json_object": return .jsonObject
        case "json_schema":
            guard let schema = format.jsonSchema else {
                throw .invalidField("response_format.json_schema", "Type 'json_schema' needs 'json_schema'.")
            }
            return .jsonSchema(name: schema.name, schema: schema.schema ?? .object([:]), strict: schema.strict)
        default:
            throw .invalidField(
                "response_format.type",
                "Field 'response_format.type' must be 'text', 'json_object' or 'json_schema'."
            )
        }
    }

    private static func canonicalStop(_ value: JSONValue) throws(GatewayError) -> [String] {
        switch value {
        case .string(let stop): return [stop]
        case .array(let items):
            let stops = items.compactMap(\.stringValue)
            if stops.count == items.count { return stops }
        case .null: return []
        default: break
        }
        throw .invalidField("stop", "Field 'stop' must be a string or an array of strings.")
    }

    private static func wireMessage(_ message: ChatMessage) -> OpenAIWire.Message {
        let content: OpenAIWire.Content?
        if message.content.count == 1, case .text(let text) = message.content[0] {
            content = .text(text)
        } else if message.content.isEmpty {
            content = message.toolCalls.isEmpty ? .text("") : nil
        } else {
            content = .parts(
                message.content.map {
                    switch $0 {
                    case .text(let text): OpenAIWire.Part(type: "text", text: text)
                    case .image(let url): OpenAIWire.Part(type: "image_url", imageURL: .init(url: url))
                    }
                }
            )
        }
        return OpenAIWire.Message(
            role: message.role.rawValue,
            content: content,
            name: message.name,
            toolCalls: message.toolCalls.isEmpty ? nil : message.toolCalls.map(wireToolCall),
            toolCallID: message.toolCallID
        )
    }

    static func wireToolCall(_ call: ToolCall) -> OpenAIWire.ToolCall {
        OpenAIWire.ToolCall(id: call.id, type: "function", function: .init(name: call.name, arguments: call.arguments))
    }

    private static func wireToolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: .string("auto")
        case .none: .string("none")
        case .required: .string("required")
        case .tool(let name): .object(["type": .string("function"), "function": .object(["name": .string(name)])])
        }
    }

    private static func wireResponseFormat(_ format: ResponseFormat) -> OpenAIWire.ResponseFormatBody {
        switch format {
        case .text: .init(type: "text")
        case .jsonObject: .init(type: "json_object")
        case .jsonSchema(let name, let schema, let strict):
            .init(type: "json_schema", jsonSchema: .init(name: name, schema: schema, strict: strict))
        }
    }

    static func errorBody(_ error: GatewayError) -> OpenAIWire.ErrorBody {
        let (type, code): (String, String?) =
            switch error.kind {
            case .invalidRequest: ("invalid_request_error", error.field == nil ? nil : "invalid_value")
            case .unauthorized: ("authentication_error", "invalid_api_key")
            case .forbidden: ("permission_error", "insufficient_permissions")
            case .modelNotFound: ("invalid_request_error", "model_not_found")
            case .notFound: ("not_found_error", "not_found")
            case .payloadTooLarge: ("invalid_request_error", "request_too_large")
            case .rateLimited: ("rate_limit_error", "rate_limit_exceeded")
            case .upstreamTimeout: ("timeout_error", "upstream_timeout")
            case .upstreamUnreachable: ("upstream_error", "upstream_unreachable")
            case .upstreamError: ("upstream_error", "upstream_error")
            default: ("server_error", nil)
            }
        return OpenAIWire.ErrorBody(error: .init(message: error.message, type: type, code: code, param: error.field))
    }
}
