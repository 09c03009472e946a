public import ConcordCore

/// Writes canonical stream events as `chat.completion.chunk` SSE, the way OpenAI's SDKs read them.
public struct OpenAIStreamEncoder: CallerStreamEncoder {
    private let id: String
    private let model: String
    private let created: Int
    private let includeUsage: Bool
    private var sentRole = false

    init(id: String, model: String, created: Int, includeUsage: Bool) {
        self.id = id
        self.model = model
        self.created = created
        self.includeUsage = includeUsage
    }

    public mutating func encode(_ event: StreamEvent, into output: inout String) {
        var delta = OpenAIWire.Chunk.Delta()
        var finishReason: String?
        switch event {
        case .textDelta(let text):
            delta.content = text
        case .toolCallStarted(let index, let id, let name):
            delta.toolCalls = [
                .init(index: index, id: id, type: "function", function: .init(name: name, arguments: ""))
            ]
        case .toolCallArgumentsDelta(let index, let fragment):
            delta.toolCalls = [.init(index: index, function: .init(arguments: fragment))]
        case .finished(let reason):
            finishReason = reason.rawValue
        case .usage(let usage):
            guard includeUsage else { return }
            let chunk = OpenAIWire.Chunk(id: id, created: created, model: model, choices: [], usage: .init(usage))
            append(chunk, to: &output)
            return
        }
        if !sentRole {
            delta.role = "assistant"
            if delta.content == nil, delta.toolCalls == nil { delta.content = "" }
            sentRole = true
        }
        let choice = OpenAIWire.Chunk.Choice(index: 0, delta: delta, finishReason: finishReason)
        append(OpenAIWire.Chunk(id: id, created: created, model: model, choices: [choice]), to: &output)
    }

    public mutating func finish(into output: inout String) {
        output += "data: [DONE]\n\n"
    }

    public mutating func fail(_ error: GatewayError, into output: inout String) {
        output += "data: \(WireJSON.encodeString(OpenAIChatFormat.errorBody(error)))\n\n"
    }

    private func append(_ chunk: OpenAIWire.Chunk, to output: inout String) {
        output += "data: "
        output += String(decoding: chunk.json(), as: UTF8.self)
        output += "\n\n"
    }
}
