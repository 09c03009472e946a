public import ConcordCore
public import Foundation

/// A chat wire format (OpenAI Chat Completions, Anthropic Messages), both ways round.
///
/// The same type serves the server (decode a caller's request, encode the answer in the caller's format) and
/// the providers (encode the upstream request, decode the upstream's answer), so each format's translation is
/// written once. Any format in can go to any provider out: everything meets in the canonical types.
public protocol ChatWireFormat: Sendable {
    associatedtype UpstreamDecoder: UpstreamStreamDecoder
    associatedtype CallerEncoder: CallerStreamEncoder

    // MARK: Caller side

    /// Decodes a caller's request body; a `GatewayError` of kind `invalidRequest` names the bad field.
    static func decodeRequest(_ body: Data) throws(GatewayError) -> ChatRequest

    /// Encodes a finished answer in this format. `id` is the response id, `model` the name the caller used.
    static func encodeResponse(_ response: ChatResponse, id: String, model: String, created: Int) -> Data

    /// A stream encoder for one streamed answer.
    static func makeStreamEncoder(id: String, model: String, created: Int, includeUsage: Bool) -> CallerEncoder

    /// The error body this format's clients expect.
    static func encodeError(_ error: GatewayError) -> Data

    // MARK: Upstream side

    /// Encodes the upstream request body for `model.upstreamModel`.
    static func encodeRequest(_ request: ChatRequest, for model: ModelConfig, stream: Bool) throws(GatewayError) -> Data

    /// Decodes an upstream's successful answer; throws `upstreamError` for a body it cannot read.
    static func decodeResponse(_ body: Data) throws(GatewayError) -> ChatResponse

    static func makeStreamDecoder() -> UpstreamDecoder

    /// The human-readable message in an upstream's error body, if it has one.
    static func upstreamErrorMessage(_ body: Data) -> String?
}

/// Turns one upstream stream's SSE events into canonical events.
public protocol UpstreamStreamDecoder: Sendable {
    /// The canonical events this SSE event carries (often none, sometimes several).
    /// Throws `upstreamError` for an event it cannot read or an error event.
    mutating func decode(_ event: SSEEvent) throws(GatewayError) -> [StreamEvent]

    /// Whether the upstream has said the stream is complete (`[DONE]`, `message_stop`).
    var isComplete: Bool { get }
}

/// Turns canonical events into the caller's SSE bytes.
public protocol CallerStreamEncoder: Sendable {
    /// Appends the SSE text for `event` (possibly nothing) to `output`.
    mutating func encode(_ event: StreamEvent, into output: inout String)

    /// Appends what closes the stream (`[DONE]`, `message_delta` + `message_stop`).
    mutating func finish(into output: inout String)

    /// Appends an in-stream error, for failures after the response has started.
    mutating func fail(_ error: GatewayError, into output: inout String)
}
