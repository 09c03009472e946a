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
    private let handles: CallMetricHandles

    /// - Parameter maximumLabelSets: the most (model, provider, status) label sets counted apart; calls beyond them
    ///   are counted under the model `(other)`.
    init(next: any CallRecorder, maximumLabelSets: Int = 1_000) {
        self.next = next
        self.handles = CallMetricHandles(maximumLabelSets: maximumLabelSets)
    }

    func record(_ record: CallRecord) {
        let handles = self.handles.for(model: record.model, provider: record.provider, status: record.status)
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

    /// The writer's backlog, set when metrics are scraped.
    static func recordBacklog(pending: Int, spooled: Int) {
        Gauge(label: Name.pendingRecords).record(pending)
        Gauge(label: Name.spooledRecords).record(spooled)
    }
}
