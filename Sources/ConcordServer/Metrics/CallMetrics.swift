import ConcordCore
import CoreMetrics
import Synchronization

/// Counts every finished call into swift-metrics on its way to the log writer. Records are made at the gateway's
/// one interception point, so every call is counted exactly once, streamed or not, whatever its outcome, and the
/// gateway itself stays free of any metrics backend.
struct CallMetrics: CallRecorder {
    enum Name {
        static let requests = "concord_requests_total"
        static let tokens = "concord_tokens_total"
        static let cost = "concord_cost_usd_total"
        static let unpriced = "concord_unpriced_requests_total"
        static let upstreamErrors = "concord_upstream_errors_total"
        static let duration = "concord_request_duration_seconds"
        static let timeToFirstToken = "concord_time_to_first_token_seconds"
        static let pendingRecords = "concord_writer_pending_records"
        static let spooledRecords = "concord_writer_spooled_records"
    }

    let next: any CallRecorder

    func record(_ record: CallRecord) {
        let handles = Handles.for(model: record.model, provider: record.provider, status: record.status)
        handles.requests.increment()
        handles.promptTokens.increment(by: record.promptTokens)
        handles.completionTokens.increment(by: record.completionTokens)
        if let cost = record.costUSD {
            handles.cost.increment(by: cost)
        } else {
            handles.unpriced.increment()
        }
        if record.status == .error {
            handles.upstreamErrors.increment()
        }
        handles.duration.recordMilliseconds(record.latencyMs)
        if let ttft = record.ttftMs {
            handles.timeToFirstToken.recordMilliseconds(ttft)
        }
        next.record(record)
    }

    /// Every metric one call touches, made once per model, provider and status and then reused: making a handle
    /// looks it up in the registry under a lock, seven times per call.
    private struct Handles: Sendable {
        let requests: Counter
        let promptTokens: Counter
        let completionTokens: Counter
        let cost: FloatingPointCounter
        let unpriced: Counter
        let upstreamErrors: Counter
        let duration: Timer
        let timeToFirstToken: Timer

        private struct Key: Hashable {
            var model: String
            var provider: String
            var status: CallRecord.Status
        }

        private static let made = Mutex<[Key: Handles]>([:])

        static func `for`(model: String, provider: String, status: CallRecord.Status) -> Handles {
            let key = Key(model: model, provider: provider, status: status)
            if let handles = made.withLock({ $0[key] }) { return handles }
            let call = [("model", model), ("provider", provider)]
            let handles = Handles(
                requests: Counter(label: Name.requests, dimensions: call + [("status", status.rawValue)]),
                promptTokens: Counter(label: Name.tokens, dimensions: call + [("kind", "prompt")]),
                completionTokens: Counter(label: Name.tokens, dimensions: call + [("kind", "completion")]),
                cost: FloatingPointCounter(label: Name.cost, dimensions: call),
                unpriced: Counter(label: Name.unpriced, dimensions: call),
                upstreamErrors: Counter(label: Name.upstreamErrors, dimensions: call),
                duration: Timer(label: Name.duration, dimensions: call),
                timeToFirstToken: Timer(label: Name.timeToFirstToken, dimensions: call)
            )
            // Bounded: a caller inventing model names must not grow this without end.
            made.withLock { if $0.count < 10_000 { $0[key] = handles } }
            return handles
        }
    }

    /// The writer's backlog, set when metrics are scraped.
    static func recordBacklog(pending: Int, spooled: Int) {
        Gauge(label: Name.pendingRecords).record(pending)
        Gauge(label: Name.spooledRecords).record(spooled)
    }
}
