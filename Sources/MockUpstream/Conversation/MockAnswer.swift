/// The deterministic answer to a chat request, before it is written in either wire format.
///
/// Deciding it once, apart from the wire formats, is what makes streamed and non-streamed answers
/// (and OpenAI and Anthropic answers) carry the same text and the same usage numbers.
struct MockAnswer: Sendable {
    enum Content: Sendable {
        case text(String)
        case toolCall(name: String, arguments: JSON)
    }

    enum Finish: Sendable {
        /// OpenAI `stop`, Anthropic `end_turn`.
        case stop
        /// OpenAI `length`, Anthropic `max_tokens`.
        case length
        /// OpenAI `tool_calls`, Anthropic `tool_use`.
        case toolCall
    }

    var content: Content
    var finish: Finish
    var promptTokens: Int
    var completionTokens: Int

    var totalTokens: Int { promptTokens + completionTokens }

    /// Replies quote at most this much of the user's message.
    static let quotedCharacters = 40
    /// Tool results are echoed up to this length, enough for any test to find its marker in the reply.
    static let echoedToolResultCharacters = 2_000

    init(answering request: ChatRequestSummary) {
        promptTokens = request.prompt.tokens
        if let tool = request.toolToCall {
            let arguments = JSON.sampleArguments(forSchema: tool.schema)
            content = .toolCall(name: tool.name, arguments: arguments)
            completionTokens = Self.tokens(
                forCharacters: tool.name.characterCount + arguments.serialized.characterCount)
            finish = .toolCall
            return
        }
        var text = Self.replyText(for: request)
        completionTokens = Self.tokens(forCharacters: text.characterCount)
        finish = .stop
        if let maxTokens = request.maxTokens, maxTokens < completionTokens {
            let limit = max(1, maxTokens)
            text = String(text.unicodeScalars.prefix(limit * 4))
            completionTokens = limit
            finish = .length
        }
        content = .text(text)
    }

    private static func replyText(for request: ChatRequestSummary) -> String {
        let sentence: String
        if let result = request.lastToolResult {
            sentence = "Mock reply using the tool result: \(result.prefix(echoedToolResultCharacters))"
        } else {
            let quoted = request.lastUserText.prefix(quotedCharacters).map { $0.isNewline ? " " : $0 }
            sentence = "Mock reply to: \(String(quoted)) - a deterministic answer from the Concord mock upstream."
        }
        switch request.replyFormat {
        case .text:
            return sentence
        case .jsonObject:
            return JSON(dictionaryLiteral: ("reply", .string(sentence))).serialized
        case .jsonSchema(let schema):
            return JSON.sampleObject(forSchema: schema).serialized
        }
    }

    private static func tokens(forCharacters characters: Int) -> Int {
        max(1, characters / 4)
    }
}

extension MockAnswer {
    /// The reply text cut into deltas of a few words each, so streams carry several content events.
    /// Joined back together the pieces are exactly the text.
    static func streamPieces(of text: String, wordsPerPiece: Int = 3) -> [String] {
        var pieces: [String] = []
        var current = ""
        var spaces = 0
        for character in text {
            current.append(character)
            if character == " " {
                spaces += 1
                if spaces == wordsPerPiece {
                    pieces.append(current)
                    current = ""
                    spaces = 0
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Tool-call arguments cut into short fragments, as real providers stream partial JSON.
    static func argumentFragments(of json: String, length: Int = 8) -> [String] {
        var fragments: [String] = []
        var remaining = Substring(json)
        while !remaining.isEmpty {
            fragments.append(String(remaining.prefix(length)))
            remaining = remaining.dropFirst(length)
        }
        return fragments
    }
}
