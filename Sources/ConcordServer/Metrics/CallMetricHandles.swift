import ConcordCore
import CoreMetrics
import Synchronization

/// The metrics of each (model, provider, status) label set, made once and then reused: making a handle looks it
/// up in the registry under a lock, eight times per call.
///
/// Bounded, because model names come from callers: a call that reached no model (a name that does not exist, or a
/// disabled model) is counted under the model `(unknown)`, and once `maximumLabelSets` label sets exist, new ones
/// are counted under `(other)` — so nobody can grow the registry, the process's memory or `/metrics` without end
/// by inventing names.
final class CallMetricHandles: Sendable {
    static let unknownModel = "(unknown)"
    static let otherModel = "(other)"

    struct Handles: Sendable {
        let requests: Counter
        let promptTokens: Counter
        let completionTokens: Counter
        let cost: FloatingPointCounter
        let unpriced: Counter
        let upstreamErrors: Counter
        let duration: Timer
        let timeToFirstToken: Timer
    }

    private struct Key: Hashable {
        var model: String
        var provider: String
        var status: CallRecord.Status
    }

    private let made = Mutex<[Key: Handles]>([:])
    private let maximumLabelSets: Int

    init(maximumLabelSets: Int) {
        self.maximumLabelSets = max(1, maximumLabelSets)
    }

    func `for`(model: String, provider: String, status: CallRecord.Status) -> Handles {
        // The gateway names the provider of every call it routed; no provider means no model was reached.
        var key = Key(model: provider.isEmpty ? Self.unknownModel : model, provider: provider, status: status)
        return made.withLock { made in
            if let handles = made[key] { return handles }
            if made.count >= maximumLabelSets {
                key.model = Self.otherModel
                if let handles = made[key] { return handles }
            }
            let handles = Self.make(key)
            made[key] = handles
            return handles
        }
    }

    private static func make(_ key: Key) -> Handles {
        typealias Name = CallMetrics.Name
        let call = [("model", key.model), ("provider", key.provider)]
        return Handles(
            requests: Counter(label: Name.requests, dimensions: call + [("status", key.status.rawValue)]),
            promptTokens: Counter(label: Name.tokens, dimensions: call + [("kind", "prompt")]),
            completionTokens: Counter(label: Name.tokens, dimensions: call + [("kind", "completion")]),
            cost: FloatingPointCounter(label: Name.cost, dimensions: call),
            unpriced: Counter(label: Name.unpriced, dimensions: call),
            upstreamErrors: Counter(label: Name.upstreamErrors, dimensions: call),
            duration: Timer(label: Name.duration, dimensions: call),
            timeToFirstToken: Timer(label: Name.timeToFirstToken, dimensions: call)
        )
    }
}
