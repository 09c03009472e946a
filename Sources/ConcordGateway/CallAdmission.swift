public import ConcordCore

/// A check the gateway makes before each call reaches its provider: budgets and rate limits.
///
/// It is part of the single interception point, so a refused call is recorded like any other failure (one error
/// row), and no call path can go around it. The gateway knows nothing of users or keys; the implementation does.
public protocol CallAdmission: Sendable {
    /// Lets the call go on, or throws (usually `GatewayError(.rateLimited, …)`) to refuse it.
    ///
    /// - Returns: what to tell about the call's record once it is made (to count the tokens it used), or `nil`
    ///   when nothing needs to know.
    func admit(callID: String, model: String, context: CallContext) async throws -> AdmissionTicket?
}

/// Handed back by an admitted call: told the call's record when it is made, exactly once.
public struct AdmissionTicket: Sendable {
    public let onRecord: @Sendable (CallRecord) -> Void

    public init(onRecord: @escaping @Sendable (CallRecord) -> Void) {
        self.onRecord = onRecord
    }
}

/// Passes records on and tells the admission ticket about them.
struct TicketedRecorder: CallRecorder {
    let base: any CallRecorder
    let ticket: AdmissionTicket

    func record(_ record: CallRecord) {
        base.record(record)
        ticket.onRecord(record)
    }
}
