import ConcordCore
import Foundation

// The Anthropic Messages API's JSON, as Codable structs. One set of types serves both directions: callers'
// requests and upstream answers are decoded with them, upstream requests and callers' answers encoded.
// Fields the gateway has no use for are left out, so decoding ignores them.

/// The body of `POST /v1/messages`.
struct AnthropicRequestBody: Codable, Sendable {
    var model: String
    var messages: [AnthropicMessageParam]
    var system: AnthropicContent?
    var maxTokens: Int?
    var temperature: Double?
    var topP: Double?
    var stopSequences: [String]?
    var stream: Bool?
    var tools: [AnthropicTool]?
    var toolChoice: AnthropicToolChoice?

    enum CodingKeys: String, CodingKey {
        case model, messages, system, temperature, stream, tools
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case stopSequences = "stop_sequences"
        case toolChoice = "tool_choice"
    }
}

/// One turn of the conversation. `role` stays a string so an unknown role gets a message naming the field.
struct AnthropicMessageParam: Codable, Sendable {
    var role: String
    var content: AnthropicContent
}

/// Content as Anthropic allows it: a plain string, or an array of blocks.
enum AnthropicContent: Codable, Sendable {
    case text(String)
    case blocks([AnthropicBlock])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
            return
        }
        do {
            self = .blocks(try container.decode([AnthropicBlock].self))
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.count == decoder.codingPath.count {
            // The value itself is neither a string nor an array; errors inside a block keep their own path.
            let field = AnthropicFieldPath.string(decoder.codingPath)
            throw GatewayError.invalidField(field, "Field '\(field)' must be a string or an array of content blocks.")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .blocks(let blocks): try container.encode(blocks)
        }
    }

    /// The blocks, with a plain string read as one text block.
    var blocks: [AnthropicBlock] {
        switch self {
        case .text(let text): [.text(text)]
        case .blocks(let blocks): blocks
        }
    }
}

/// A content block of any type; which fields are set depends on `type`.
struct AnthropicBlock: Codable, Sendable {
    var type: String
    /// `text` blocks.
    var text: String?
    /// `image` blocks.
    var source: AnthropicImageSource?
    /// `tool_use` blocks.
    var id: String?
    var name: String?
    var input: JSONValue?
    /// `tool_result` blocks.
    var toolUseID: String?
    var content: AnthropicContent?
    var isError: Bool?

    enum CodingKeys: String, CodingKey {
        case type, text, source, id, name, input, content
        case toolUseID = "tool_use_id"
        case isError = "is_error"
    }

    static func text(_ text: String) -> AnthropicBlock {
        AnthropicBlock(type: "text", text: text)
    }

    static func toolUse(id: String, name: String, input: JSONValue) -> AnthropicBlock {
        AnthropicBlock(type: "tool_use", id: id, name: name, input: input)
    }

    static func image(_ source: AnthropicImageSource) -> AnthropicBlock {
        AnthropicBlock(type: "image", source: source)
    }
}

/// Where an image comes from: inline (`base64`) or by `url`.
struct AnthropicImageSource: Codable, Sendable {
    var type: String
    var mediaType: String?
    var data: String?
    var url: String?

    enum CodingKeys: String, CodingKey {
        case type, data, url
        case mediaType = "media_type"
    }
}

struct AnthropicTool: Codable, Sendable {
    var name: String
    var description: String?
    var inputSchema: JSONValue

    enum CodingKeys: String, CodingKey {
        case name, description
        case inputSchema = "input_schema"
    }
}

struct AnthropicToolChoice: Codable, Sendable {
    /// `auto`, `any`, `tool` or `none`.
    var type: String
    var name: String?
    var disableParallelToolUse: Bool?

    enum CodingKeys: String, CodingKey {
        case type, name
        case disableParallelToolUse = "disable_parallel_tool_use"
    }
}

/// A message object: the non-streamed answer, and the `message` of `message_start`.
struct AnthropicMessage: Codable, Sendable {
    var id: String?
    var type: String?
    var role: String?
    var model: String?
    var content: [AnthropicBlock]
    var stopReason: String?
    var stopSequence: String?
    var usage: AnthropicUsage?

    enum CodingKeys: String, CodingKey {
        case id, type, role, model, content, usage
        case stopReason = "stop_reason"
        case stopSequence = "stop_sequence"
    }

    /// Written by hand because the SDKs expect `stop_reason` and `stop_sequence` present, as `null` when unset.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encodeIfPresent(role, forKey: .role)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encode(content, forKey: .content)
        try container.encode(stopReason, forKey: .stopReason)
        try container.encode(stopSequence, forKey: .stopSequence)
        try container.encodeIfPresent(usage, forKey: .usage)
    }
}

/// Token counts. Cached prompt tokens are reported apart from `input_tokens`, so a total must add them.
struct AnthropicUsage: Codable, Sendable {
    var inputTokens: Int?
    var outputTokens: Int?
    var cacheCreationInputTokens: Int?
    var cacheReadInputTokens: Int?

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheCreationInputTokens = "cache_creation_input_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens"
    }

    /// All prompt tokens, cached or not, or `nil` when `input_tokens` is absent. Each count is brought into range
    /// before they are added (`Usage.tokens`), whatever the upstream sent.
    var promptTokens: Int? {
        inputTokens.map {
            Usage.tokens($0) + Usage.tokens(cacheCreationInputTokens ?? 0) + Usage.tokens(cacheReadInputTokens ?? 0)
        }
    }
}

/// One streamed event's data. Which fields are set depends on `type`.
struct AnthropicStreamEventBody: Codable, Sendable {
    var type: String
    var message: AnthropicMessage?
    var index: Int?
    var contentBlock: AnthropicBlock?
    var delta: AnthropicDelta?
    var usage: AnthropicUsage?
    var error: AnthropicErrorDetail?

    enum CodingKeys: String, CodingKey {
        case type, message, index, delta, usage, error
        case contentBlock = "content_block"
    }
}

/// The `delta` of `content_block_delta` (with a `type`) or of `message_delta` (without one).
struct AnthropicDelta: Codable, Sendable {
    var type: String?
    var text: String?
    var partialJSON: String?
    var stopReason: String?
    var stopSequence: String?

    enum CodingKeys: String, CodingKey {
        case type, text
        case partialJSON = "partial_json"
        case stopReason = "stop_reason"
        case stopSequence = "stop_sequence"
    }

    /// A `message_delta` always carries `stop_reason` and `stop_sequence`, `null` when unset.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let type {
            try container.encode(type, forKey: .type)
            try container.encodeIfPresent(text, forKey: .text)
            try container.encodeIfPresent(partialJSON, forKey: .partialJSON)
        } else {
            try container.encode(stopReason, forKey: .stopReason)
            try container.encode(stopSequence, forKey: .stopSequence)
        }
    }
}

/// `{"type": "error", "error": {"type", "message"}}`, in responses and as a stream event.
struct AnthropicErrorBody: Codable, Sendable {
    var type: String
    var error: AnthropicErrorDetail
}

struct AnthropicErrorDetail: Codable, Sendable {
    var type: String?
    var message: String?
}

/// Field paths in the caller's terms (`messages[2].content[0].text`), for errors raised outside `WireJSON`.
enum AnthropicFieldPath {
    static func string(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }
}

/// Compact JSON text with sorted keys, so the same arguments always read the same in logs and tests.
enum AnthropicJSON {
    static func compact(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses JSON text, or `nil` when it is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        try? JSONParser.parse(text)
    }
}
