import ConcordCore
import ConcordStore
import Synchronization

struct SinkUnavailable: Error {}

/// A sink under the test's control: it can be down, fail a number of times, or hang until released, and keeps
/// what it accepted in order.
final class ScriptedSink: RecordSink {
    private struct State {
        var down = false
        var failuresLeft = 0
        var received: [CallRecord] = []
        var attempts = 0
        var largestBatch = 0
    }

    private let state = Mutex(State())
    private let gate = Gate()
    let parallelBatches: Int

    init(down: Bool = false, failures: Int = 0, hanging: Bool = false, parallelBatches: Int = 1) {
        self.parallelBatches = parallelBatches
        state.withLock {
            $0.down = down
            $0.failuresLeft = failures
        }
        if !hanging { gate.open() }
    }

    func setDown(_ down: Bool) { state.withLock { $0.down = down } }
    func releaseHang() { gate.open() }

    var received: [CallRecord] { state.withLock { $0.received } }
    var attempts: Int { state.withLock { $0.attempts } }
    /// The most records one accepted write held.
    var largestBatch: Int { state.withLock { $0.largestBatch } }

    func write(_ batch: [CallRecord]) async throws {
        state.withLock { $0.attempts += 1 }
        await gate.wait()
        try state.withLock { state in
            if state.down { throw SinkUnavailable() }
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw SinkUnavailable()
            }
            state.received.append(contentsOf: batch)
            state.largestBatch = max(state.largestBatch, batch.count)
        }
    }
}

/// Writes through to a real store, then reports failure for the first `failures` batches: the commit happened,
/// its acknowledgement was lost, and the writer will send the batch again.
final class LostAcknowledgementSink: RecordSink {
    private let inner: any RecordSink
    private let failuresLeft: Mutex<Int>

    init(_ inner: any RecordSink, failures: Int) {
        self.inner = inner
        self.failuresLeft = Mutex(failures)
    }

    func write(_ batch: [CallRecord]) async throws {
        try await inner.write(batch)
        let fail = failuresLeft.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail { throw SinkUnavailable() }
    }
}

/// Closed until opened once; then every wait returns at once.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let openNow = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if openNow { continuation.resume() }
        }
    }
}
