import Hummingbird

/// One provider's wire format: how the mock reads a chat request and writes answers and errors in it.
///
/// `ChatEndpoint` holds everything the two routes share (authentication, faults, streaming); a format only
/// translates, which keeps the OpenAI and Anthropic routes behaving alike by construction.
protocol ChatWireFormat: Sendable {
    /// The credential the client sent, or nil when the header this provider requires is missing.
    static func receivedKey(in headers: HTTPFields) -> String?
    static var missingKeyError: UpstreamError { get }

    static func summarize(_ body: JSON) throws(UpstreamError) -> ChatRequestSummary

    static func errorBody(_ error: UpstreamError) -> ByteBuffer
    static func answerBody(_ answer: MockAnswer, to request: ChatRequestSummary) -> ByteBuffer
    static func answerEvents(_ answer: MockAnswer, to request: ChatRequestSummary) -> EventScript
    /// A stream whose second event is not JSON.
    static func malformedEvents(to request: ChatRequestSummary) -> [ByteBuffer]
}

/// A stream's events, and where its content starts (so `stream-cut` can stop "a few deltas in").
struct EventScript: Sendable {
    var events: [ByteBuffer]
    /// Index of the first content delta; events before it are the stream's preamble.
    var firstContentIndex: Int
}
