public import ConcordCore
public import ConcordStore

/// Reading past calls: what the logs and trace endpoints need from the store.
public protocol CallHistory: Sendable {
    func listCalls(_ filter: CallLogFilter) async throws -> CallLogPage
    func call(id: String) async throws -> CallRecord?
    /// The trace's first `limit` calls by time (all of them when `nil`).
    func calls(traceID: String, limit: Int?) async throws -> [CallRecord]
}

extension SQLStore: CallHistory {}
