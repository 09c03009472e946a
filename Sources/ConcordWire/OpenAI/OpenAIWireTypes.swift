import ConcordCore

/// The OpenAI Chat Completions wire structures, as sent and received on both sides of the gateway.
/// Field names are the wire's; translation to canonical types lives in `OpenAIChatFormat`.
enum OpenAIWire {
    struct Message: Codable {
        var role: String
        var content: Content?
        var name: String?
        var toolCalls: [ToolCall]?
        var toolCallID: String?

        enum CodingKeys: String, CodingKey {
            case role, content, name
            case toolCalls = "tool_calls"
            case toolCallID = "tool_call_id"
        }
    }

    /// `content` is a string, an array of parts, or null.
    enum Content: Codable {
        case text(String)
        case parts([Part])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .parts(let parts): try container.encode(parts)
            }
        }
    }

    struct Part: Codable {
        struct ImageURL: Codable {
            var url: String
            var detail: String?
        }
        var type: String
        var text: String?
        var imageURL: ImageURL?

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }
    }

    struct ToolCall: Codable {
        struct Function: Codable {
            var name: String?
            var arguments: String?
        }
        var index: Int?
        var id: String?
        var type: String?
        var function: Function?
    }

    struct Tool: Codable {
        struct Function: Codable {
            var name: String
            var description: String?
            var parameters: JSONValue?
            var strict: Bool?
        }
        var type: String
        var function: Function
    }

    struct ResponseFormatBody: Codable {
        struct Schema: Codable {
            var name: String
            var schema: JSONValue?
            var strict: Bool?
            var description: String?
        }
        var type: String
        var jsonSchema: Schema?

        enum CodingKeys: String, CodingKey {
            case type
            case jsonSchema = "json_schema"
        }
    }

    struct StreamOptions: Codable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    struct Usage: Codable {
        var promptTokens: Int
        var completionTokens: Int
        var totalTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }
    }

    struct Completion: Codable {
        struct Choice: Codable {
            var index: Int
            var message: Message
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case index, message
                case finishReason = "finish_reason"
            }
        }
        var id: String
        var object: String = "chat.completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage?
    }

    /// What an upstream's completion must have; lenient about the rest, since compatible servers vary.
    struct UpstreamCompletion: Decodable {
        struct Choice: Decodable {
            var message: Message
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case message
                case finishReason = "finish_reason"
            }
        }
        var choices: [Choice]
        var usage: Usage?
    }

    struct Chunk: Codable {
        struct Delta: Codable {
            var role: String?
            var content: String?
            var toolCalls: [ToolCall]?
            enum CodingKeys: String, CodingKey {
                case role, content
                case toolCalls = "tool_calls"
            }
        }
        struct Choice: Codable {
            var index: Int
            var delta: Delta
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case index, delta
                case finishReason = "finish_reason"
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(index, forKey: .index)
                try container.encode(delta, forKey: .delta)
                // The SDKs expect the key on every chunk, null until the last.
                try container.encode(finishReason, forKey: .finishReason)
            }
        }
        var id: String
        var object: String = "chat.completion.chunk"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage?
    }

    /// An upstream chunk: lenient, every field optional.
    struct UpstreamChunk: Decodable {
        struct Choice: Decodable {
            var delta: Chunk.Delta?
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case delta
                case finishReason = "finish_reason"
            }
        }
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorBody.Detail?
    }

    struct ErrorBody: Codable {
        struct Detail: Codable {
            var message: String?
            var type: String?
            var code: String?
            var param: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }
        }
        var error: Detail
    }
}

extension OpenAIWire.Usage {
    init(_ usage: Usage) {
        self.init(
            promptTokens: usage.promptTokens,
            completionTokens: usage.completionTokens,
            totalTokens: usage.totalTokens
        )
    }

    var canonical: Usage {
        Usage(promptTokens: promptTokens, completionTokens: completionTokens, totalTokens: totalTokens)
    }
}
