public import ConcordCore

/// Where the `LogWriter` delivers batches. `SQLStore` is the real one; tests use fakes that fail on purpose.
///
/// An implementation must be idempotent per record id: the writer retries a batch whose outcome it did not learn
/// (a lost commit acknowledgement), so writing a record twice must leave one row and count it once.
public protocol RecordSink: Sendable {
    func write(_ batch: [CallRecord]) async throws
}
