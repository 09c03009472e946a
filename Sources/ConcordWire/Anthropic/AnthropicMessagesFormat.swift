public import ConcordCore
public import Foundation

/// The Anthropic Messages wire format (`POST /v1/messages`): what Anthropic SDK callers send the gateway, and
/// what the gateway sends an Anthropic upstream.
///
/// The translation to and from the canonical (OpenAI-vocabulary) types lives in the extensions:
/// `+CallerRequest` (caller's request in), `+UpstreamRequest` (upstream request out), `+Answers` (answers and
/// errors both ways), and the two stream types.
public enum AnthropicMessagesFormat: ChatWireFormat {
    public typealias UpstreamDecoder = AnthropicStreamDecoder
    public typealias CallerEncoder = AnthropicStreamEncoder

    public static func decodeRequest(_ body: Data) throws(GatewayError) -> ChatRequest {
        let wire = try WireJSON.decodeRequest(
            AnthropicRequestBody.self, from: body, reading: AnthropicRequestBody.init(parsed:))
        return try chatRequest(from: wire)
    }

    public static func encodeResponse(_ response: ChatResponse, id: String, model: String, created: Int) -> Data {
        Data(message(from: response, id: id, model: model).json())
    }

    /// `includeUsage` is ignored: Anthropic streams always carry usage, and its SDKs expect it.
    public static func makeStreamEncoder(id: String, model: String, created: Int, includeUsage: Bool)
        -> AnthropicStreamEncoder
    {
        AnthropicStreamEncoder(id: messageID(id), model: model)
    }

    public static func encodeError(_ error: GatewayError) -> Data {
        WireJSON.encode(errorBody(error))
    }

    public static func encodeRequest(_ request: ChatRequest, for model: ModelConfig, stream: Bool) throws(GatewayError)
        -> Data
    {
        Data(try upstreamBody(from: request, for: model, stream: stream).json())
    }

    public static func decodeResponse(_ body: Data) throws(GatewayError) -> ChatResponse {
        chatResponse(
            from: try WireJSON.decodeUpstream(AnthropicMessage.self, from: body) { json throws(FieldMismatch) in
                try AnthropicMessage(parsed: json.object())
            })
    }

    public static func makeStreamDecoder() -> AnthropicStreamDecoder {
        AnthropicStreamDecoder()
    }

    public static func upstreamErrorMessage(_ body: Data) -> String? {
        guard let wire = try? JSONDecoder().decode(AnthropicErrorBody.self, from: body),
            let message = wire.error.message, !message.isEmpty
        else { return nil }
        return message
    }
}
