import Synchronization

/// Runs `body` in a task of its own and returns its value, or `nil` when it has not returned within `limit`.
///
/// The body is left to finish on its own rather than cancelled: this is for work that may ignore cancellation
/// (a connection-pool request, a statement on a connection that died) when the caller must answer in time anyway.
public func answer<Value: Sendable>(
    within limit: Duration,
    _ body: @escaping @Sendable () async -> Value
) async -> Value? {
    await withCheckedContinuation { continuation in
        let first = FirstAnswer(continuation)
        Task { first.give(await body()) }
        Task {
            try? await Task.sleep(for: limit)
            first.give(nil)
        }
    }
}

/// Resumes a continuation with the first answer given; later answers are dropped.
private final class FirstAnswer<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value?, Never>?>

    init(_ continuation: CheckedContinuation<Value?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ value: Value?) {
        continuation.withLock { pending in
            pending?.resume(returning: value)
            pending = nil
        }
    }
}
