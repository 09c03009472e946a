/// What the mock needs to know about a chat request, whichever wire format it arrived in.
///
/// Both routes reduce their request to this, so the answer (and its usage numbers) is decided
/// by one piece of code and is the same for the same conversation in either format.
struct ChatRequestSummary: Sendable {
    var model: String
    var stream = false
    /// OpenAI's `stream_options.include_usage`: only then does a stream end with a usage chunk.
    var includeUsage = false
    var prompt = PromptSize()
    /// Text of the most recent user message; the reply quotes it.
    var lastUserText = ""
    /// Set when the conversation ends with a tool result: the reply then reports it instead of calling a tool again.
    var lastToolResult: String?
    /// True when the last message is the user's own turn (not a tool result, not an assistant prefill).
    var endsWithUserTurn = false
    var tools: [OfferedTool] = []
    var toolChoice = ToolChoice.auto
    var replyFormat = ReplyFormat.text
    var maxTokens: Int?

    init(model: String) {
        self.model = model
    }

    /// The tool the mock calls, if any: tools are offered, not disabled, and the user has just spoken.
    var toolToCall: OfferedTool? {
        guard endsWithUserTurn, let first = tools.first else { return nil }
        switch toolChoice {
        case .none: return nil
        case .auto, .required: return first
        case .named(let name): return tools.first { $0.name == name } ?? OfferedTool(name: name, schema: [:])
        }
    }
}

struct OfferedTool: Sendable {
    var name: String
    /// The tool's JSON schema for its arguments (OpenAI `parameters`, Anthropic `input_schema`).
    var schema: JSON
}

enum ToolChoice: Sendable, Equatable {
    case auto
    case none
    /// OpenAI `required`, Anthropic `any`: some tool must be called.
    case required
    case named(String)
}

enum ReplyFormat: Sendable {
    case text
    case jsonObject
    /// The JSON schema the reply must satisfy.
    case jsonSchema(JSON)
}

/// Accumulates the prompt's size the way the mock estimates tokens: characters / 4, plus 3 per message.
struct PromptSize: Sendable, Equatable {
    private(set) var characters = 0
    private(set) var messages = 0

    mutating func addMessage(characters: Int) {
        self.characters += characters
        messages += 1
    }

    var tokens: Int { max(1, characters / 4) + 3 * messages }
}

extension String {
    /// Characters as the token estimate counts them: Unicode scalars, cheap and stable across platforms.
    var characterCount: Int { unicodeScalars.count }
}
