import Synchronization

/// Runs `body` in a task of its own and returns its value, or `nil` when it has not returned within `limit`.
///
/// The body is left to finish on its own rather than cancelled: this is for work that may ignore cancellation
/// (a connection-pool request, a statement on a connection that died) when the caller must answer in time anyway.
public func answer<Value: Sendable>(
    within limit: Duration,
    _ body: @escaping @Sendable () async -> Value
) async -> Value? {
    let first = FirstAnswer<Value?>()
    Task { first.give(await body()) }
    Task {
        try? await Task.sleep(for: limit)
        first.give(nil)
    }
    return await withCheckedContinuation { first.await($0) }
}

/// Runs `body` in a task of its own and returns its value — or throws `CancellationError` as soon as the calling
/// task is cancelled, leaving the body to finish on its own. For work that ignores cancellation (a statement on a
/// database connection that stopped answering) that a cancelled caller must not wait for.
public func abandoningOnCancel<Value: Sendable>(
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let first = FirstAnswer<Result<Value, any Error>>()
    Task {
        do {
            first.give(.success(try await body()))
        } catch {
            first.give(.failure(error))
        }
    }
    return try await withTaskCancellationHandler {
        await withCheckedContinuation { first.await($0) }
    } onCancel: {
        first.give(.failure(CancellationError()))
    }.get()
}

/// The first of several answers, for one waiter that may start waiting before or after it is given.
private final class FirstAnswer<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case given(Value)
        case delivered
    }

    private let state = Mutex(State.empty)

    func give(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, Never>? in
            switch state {
            case .empty:
                state = .given(value)
                return nil
            case .waiting(let continuation):
                state = .delivered
                return continuation
            case .given, .delivered:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }

    func await(_ continuation: CheckedContinuation<Value, Never>) {
        let ready = state.withLock { state -> Value? in
            switch state {
            case .empty:
                state = .waiting(continuation)
                return nil
            case .given(let value):
                state = .delivered
                return value
            case .waiting, .delivered:
                preconditionFailure("FirstAnswer has one waiter")
            }
        }
        if let ready { continuation.resume(returning: ready) }
    }
}
