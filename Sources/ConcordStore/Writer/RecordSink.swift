public import ConcordCore

/// Where the `LogWriter` delivers batches. `SQLStore` is the real one; tests use fakes that fail on purpose.
///
/// An implementation must be idempotent per record id: the writer retries a batch whose outcome it did not learn
/// (a lost commit acknowledgement), so writing a record twice must leave one row and count it once.
public protocol RecordSink: Sendable {
    func write(_ batch: [CallRecord]) async throws

    /// How many batches the writer may have in `write` at once while a backlog waits: more than one only where
    /// separate transactions really run in parallel (PostgreSQL, one connection each; SQLite has one writer).
    var parallelBatches: Int { get }
}

extension RecordSink {
    public var parallelBatches: Int { 1 }
}
