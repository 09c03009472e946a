/// The faults a request asks for through its model name (see the list in `MockUpstream.swift`).
///
/// The name is read as words split on `-`, `_`, `.`, `:` and `/`, so a fault word can follow any prefix
/// (`gpt-4o-error-429`, `openai/mock-latency-250`) without ordinary names such as `changelog` matching `hang`.
struct FaultPlan: Sendable, Equatable {
    enum Failure: Sendable, Equatable {
        /// Answer with this HTTP status and an error body in the route's format.
        case status(Int)
        /// Streams stop after a few deltas and drop the connection; plain answers send half their JSON.
        case streamCut
        /// A 200 whose body (or one stream event) is not JSON.
        case malformed
        /// Never answer.
        case hang
    }

    /// `latency-<ms>`: wait before answering (for streams, before the first event).
    var latency: Duration?
    /// `slow-stream-<ms>`: wait between stream events.
    var eventInterval: Duration?
    var failure: Failure?

    /// Longest wait a model name can ask for, so a typo cannot park a request for days.
    static let maximumDelayMilliseconds = 600_000

    init(model: String) {
        let words = model.lowercased().split { "-_.:/".contains($0) }
        var index = words.startIndex
        func word(_ offset: Int) -> Substring? {
            words.indices.contains(index + offset) ? words[index + offset] : nil
        }
        func milliseconds(_ offset: Int) -> Duration? {
            guard let text = word(offset), let value = Int(text), value >= 0 else { return nil }
            return .milliseconds(min(value, Self.maximumDelayMilliseconds))
        }
        while index < words.endIndex {
            switch words[index] {
            case "latency":
                if let delay = milliseconds(1) { latency = delay }
            case "slow" where word(1) == "stream":
                if let delay = milliseconds(2) { eventInterval = delay }
            case "error":
                if let text = word(1), let code = Int(text), (400...599).contains(code) { failure = .status(code) }
            case "stream" where word(1) == "cut":
                failure = .streamCut
            case "malformed":
                failure = .malformed
            case "hang":
                failure = .hang
            default:
                break
            }
            index += 1
        }
    }

    /// Injected HTTP errors are sent before any body, so their latency is spent before the headers.
    var failsWithStatus: Bool {
        if case .status = failure { return true }
        return false
    }
}
