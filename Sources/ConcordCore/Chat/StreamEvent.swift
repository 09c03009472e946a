/// One step of a streamed answer, in canonical form. Providers turn upstream events into these; the server
/// turns these into the caller's wire format. Tool calls are numbered by `index` in the order they start.
public enum StreamEvent: Sendable, Hashable {
    case textDelta(String)
    case toolCallStarted(index: Int, id: String, name: String)
    case toolCallArgumentsDelta(index: Int, fragment: String)
    case finished(FinishReason)
    /// The provider's usage, sent once, normally last.
    case usage(Usage)
}
