import ConcordCore
import CoreMetrics

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
        let call = [("model", record.model), ("provider", record.provider)]
        Counter(label: Name.requests, dimensions: call + [("status", record.status.rawValue)]).increment()
        Counter(label: Name.tokens, dimensions: call + [("kind", "prompt")]).increment(by: record.promptTokens)
        Counter(label: Name.tokens, dimensions: call + [("kind", "completion")]).increment(by: record.completionTokens)
        if let cost = record.costUSD {
            FloatingPointCounter(label: Name.cost, dimensions: call).increment(by: cost)
        } else {
            Counter(label: Name.unpriced, dimensions: call).increment()
        }
        if record.status == .error {
            Counter(label: Name.upstreamErrors, dimensions: call).increment()
        }
        Timer(label: Name.duration, dimensions: call).recordMilliseconds(record.latencyMs)
        if let ttft = record.ttftMs {
            Timer(label: Name.timeToFirstToken, dimensions: call).recordMilliseconds(ttft)
        }
        next.record(record)
    }

    /// The writer's backlog, set when metrics are scraped.
    static func recordBacklog(pending: Int, spooled: Int) {
        Gauge(label: Name.pendingRecords).record(pending)
        Gauge(label: Name.spooledRecords).record(spooled)
    }
}
