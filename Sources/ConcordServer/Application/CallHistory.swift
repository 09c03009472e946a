public import ConcordCore
public import ConcordStore

/// Reading past calls: what the logs and trace endpoints need from the store.
public protocol CallHistory: Sendable {
    func listCalls(_ filter: CallLogFilter) async throws -> CallLogPage
    func call(id: String) async throws -> CallRecord?
    func calls(traceID: String) async throws -> [CallRecord]
}

extension SQLStore: CallHistory {}
