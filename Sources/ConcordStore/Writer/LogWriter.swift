public import ConcordCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Takes every finished call record from the request path and gets it into the database, exactly once, without
/// ever making a caller wait and without losing a record.
///
/// - `record(_:)` appends to an in-memory queue under a lock: no await, no I/O. The queue is bounded in records and
///   in bytes (`CallRecord.approximateBytes`: long prompts count for what they hold).
/// - `run()` (a `Service`) writes batches through a `RecordSink` — by count (`batchSize`) and by time
///   (`flushInterval`) — each in one transaction that counts only what it inserted, so retries never double-count.
/// - When a write fails the batch goes to an fsync'd spool file; the writer retries with backoff and, once the
///   database answers, replays the spool in the order it was appended and empties it. A spool left by a crash is
///   replayed at startup. Every batch, from memory or the spool, holds at most `largestBatch` records and about
///   `memoryThresholdBytes` of them.
/// - While writes fail, or a write hangs (no progress for `spillAfter`), a spill task beside the writer moves the
///   queue to the spool whenever it reaches `memoryThreshold` records or `memoryThresholdBytes`, so a database that
///   is down or stuck costs neither memory nor any caller's time. (If a hung write then fails, its records are
///   appended after those newer ones: order in the spool is not guaranteed, and nothing depends on it — inserts are
///   idempotent, counters sums.)
/// - Graceful shutdown writes out memory and spool; if the database is down then, everything goes to the spool.
///   Cancellation (the group's shutdown deadline passed) spools everything at once, and the writer returns
///   without waiting for a write the database never answers (it is left to finish or fail on its own; a late
///   commit is harmless, since writes are idempotent).
///
/// Records handed over after `run()` returned go straight to the spool, for the next start to replay.
public final class LogWriter: Sendable {
    private struct State {
        var queue: [CallRecord] = []
        /// `approximateBytes` of the records in `queue`.
        var queueBytes = 0
        /// Taken from the queue by the writer and not yet written or spooled.
        var inFlight: ArraySlice<CallRecord> = []
        /// A cancellation already copied `inFlight` to the spool.
        var inFlightSpooled = false
        /// When the write under way last made progress (began, or finished a batch); `nil` between writes.
        var writeProgress: ContinuousClock.Instant?
        /// The last write failed: the writer is backing off and retrying.
        var failing = false
        /// Records taken from the queue by the spill task or the request path and being appended to the spool.
        var spilling = 0
        var flushRequested = false
        var stopping = false
        var cancelled = false
        var stopped = false

        /// Empties the queue, returning what it held.
        mutating func takeQueue() -> [CallRecord] {
            defer {
                queue = []
                queueBytes = 0
            }
            return queue
        }

        /// Puts records back at the front of the queue (the spool failed them).
        mutating func requeue(_ records: ArraySlice<CallRecord>) {
            queue.insert(contentsOf: records, at: 0)
            queueBytes += records.reduce(0) { $0 + $1.approximateBytes }
        }

        /// The queue holds `memoryThreshold` records or `memoryThresholdBytes` of them.
        func isOverMemoryThreshold(_ configuration: Configuration) -> Bool {
            queue.count >= configuration.memoryThreshold || queueBytes >= configuration.memoryThresholdBytes
        }
    }

    private let sink: any RecordSink
    /// The bounds it works with (as given, brought into range).
    public let configuration: Configuration
    private let logger: Logger
    private let spool: Spool
    private let state = Mutex(State())
    private let wakeup = Wakeup()
    /// Signals the spill task that the queue reached `memoryThreshold`.
    private let spillWakeup = Wakeup()

    /// Opens (and locks) the spool file; a spool left by an earlier run is counted now and replayed by `run()`.
    ///
    /// - Throws: `StoreError` with code `.spoolUnavailable` when the spool cannot be opened or another process
    ///   holds it.
    public init(sink: any RecordSink, configuration: Configuration, logger: Logger = Logger(label: "concord.writer"))
        throws
    {
        self.sink = sink
        self.configuration = configuration.normalized()
        self.logger = logger
        self.spool = try Spool(path: configuration.spoolPath, logger: logger)
    }

    /// Records in memory, not yet written (for `/health`).
    public var pendingCount: Int {
        state.withLock { $0.queue.count + ($0.inFlightSpooled ? 0 : $0.inFlight.count) + $0.spilling }
    }

    /// Records in the spool file, not yet written (for `/health`).
    public var spooledCount: Int { spool.pendingCount }

    /// Waits until every record handed over so far is written to the sink (memory and spool empty). Skips the
    /// `flushInterval` wait. Needs `run()` to be running; waits as long as the sink keeps failing.
    public func flush() async {
        while !Task.isCancelled {
            let idle = state.withLock { state -> Bool in
                guard state.queue.isEmpty, state.inFlight.isEmpty, state.spilling == 0 else {
                    state.flushRequested = true
                    return false
                }
                return true
            }
            if idle, spool.pendingCount == 0 { return }
            wakeup.signal()
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

extension LogWriter: CallRecorder {
    /// Queues the record and returns. Only when the queue is at its hard cap (the writer cannot keep up at all)
    /// or the writer has stopped does this write to the spool itself — outside the queue's lock, so only this
    /// caller waits for the disk; it never drops a record. A record longer than `hardCapBytes` by itself still
    /// joins an empty queue (the caller holds it in memory anyway): one long call is not a backlog.
    public func record(_ record: CallRecord) {
        let configuration = self.configuration
        let size = record.approximateBytes
        let (shouldWake, shouldSpill, overflow) = state.withLock { state -> (Bool, Bool, [CallRecord]) in
            if state.stopped || state.queue.count + 1 >= configuration.hardCap
                || (!state.queue.isEmpty && state.queueBytes + size >= configuration.hardCapBytes)
            {
                var records = state.takeQueue()
                records.append(record)
                state.spilling += records.count
                return (false, false, records)
            }
            let wasOver = state.isOverMemoryThreshold(configuration)
            state.queue.append(record)
            state.queueBytes += size
            let count = state.queue.count
            let spill = !wasOver && state.isOverMemoryThreshold(configuration)
            return (count == 1 || count == configuration.batchSize || spill, spill, [])
        }
        if shouldWake { wakeup.signal() }
        if shouldSpill { spillWakeup.signal() }
        if !overflow.isEmpty, spoolOrRequeue(overflow[...], release: { $0.spilling -= overflow.count }) {
            logger.warning("call records spooled from the request path", metadata: ["records": "\(overflow.count)"])
            // The writer may be idle: it replays the spool now, not when the next call arrives.
            wakeup.signal()
        }
    }
}

extension LogWriter: Service {
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await self.spillWhileWritesLag() }
                    await writeUntilStopped()
                    group.cancelAll()
                }
                // The spill task has stopped: the drain sees every record, in memory or in the spool.
                await drainForShutdown()
            } onGracefulShutdown: {
                self.requestStop()
            }
        } onCancel: {
            self.spoolEverythingForCancellation()
        }
    }
}

extension LogWriter {
    private var isStopping: Bool { state.withLock { $0.stopping } }

    /// After a cancellation everything is in the spool already: stop talking to the sink.
    private var isCancelled: Bool { state.withLock { $0.cancelled } }

    private func writeUntilStopped() async {
        logger.info("call log writer started", metadata: ["spool.records": "\(spool.pendingCount)"])
        var retryDelay = configuration.initialRetryDelay
        while !isStopping {
            let healthy = !state.withLock { $0.failing }
            if !healthy {
                await waitBeforeRetry(retryDelay)
                retryDelay = min(retryDelay * 2, configuration.maximumRetryDelay)
                if isStopping { break }
            }
            var failure = await replaySpool()
            if failure == nil {
                if healthy { await waitForWork() }
                if isStopping { break }
                // Records the request path spooled meanwhile are older than the queue: replay them first.
                if healthy, spool.pendingCount > 0 { continue }
                failure = await writeQueued()
            }
            if let failure {
                if isCancelled {
                    break
                } else if healthy {
                    logger.warning(
                        "writing call records failed; spooling them until the database answers",
                        metadata: ["error": "\(failure)", "spool.records": "\(spool.pendingCount)"]
                    )
                } else {
                    logger.debug("retrying call record writes failed", metadata: ["error": "\(failure)"])
                }
                state.withLock { $0.failing = true }
            } else if !healthy {
                logger.info("call record writes recovered; spool replayed")
                state.withLock { $0.failing = false }
                retryDelay = configuration.initialRetryDelay
            }
        }
    }

    /// Sleeps until the queue fills a batch (`batchSize` records or `memoryThresholdBytes`), or `flushInterval`
    /// after the writer first saw a record, or the request path spooled records, or stop/flush.
    ///
    /// A signal only ends the wait early for one of those: the request path also signals for the first record of an
    /// empty queue, and a signal left over from while the writer was busy must not cut the interval short — at a
    /// steady trickle that would write one tiny transaction per record.
    private func waitForWork() async {
        let configuration = self.configuration
        var deadline: ContinuousClock.Instant?
        while true {
            let (count, wakeNow) = state.withLock { state in
                (
                    state.queue.count,
                    state.stopping || state.flushRequested || state.queueBytes >= configuration.memoryThresholdBytes
                )
            }
            if wakeNow || count >= configuration.batchSize || spool.pendingCount > 0 { return }
            if count == 0 {
                deadline = nil
                await wakeup.wait()
                continue
            }
            let due = deadline ?? ContinuousClock.now + configuration.flushInterval
            deadline = due
            let remaining = due - ContinuousClock.now
            if remaining <= .zero { return }
            await wakeup.wait(timeout: remaining)
        }
    }

    /// Backoff between retries (the spill task keeps memory bounded meanwhile).
    private func waitBeforeRetry(_ delay: Duration) async {
        let deadline = ContinuousClock.now + delay
        while !isStopping {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { break }
            await wakeup.wait(timeout: remaining)
        }
    }

    /// Writes the spool's records, oldest first, committing each batch after the sink took it.
    /// - Returns: the error that stopped the replay, or `nil` when the spool is empty.
    private func replaySpool() async -> (any Error)? {
        defer { noteWriteProgress(ended: true) }
        while !isCancelled {
            do {
                guard
                    let batch = try spool.nextBatch(
                        maximum: configuration.largestBatch, maximumBytes: configuration.memoryThresholdBytes)
                else { return nil }
                if !batch.records.isEmpty {
                    let records = batch.records
                    noteWriteProgress()
                    try await abandoningOnCancel { try await self.sink.write(records) }
                }
                try spool.commit(batch)
            } catch {
                return error
            }
        }
        return nil
    }

    /// Takes the whole queue and writes it in batches, up to `sink.parallelBatches` at once. Every batch not known
    /// to be written — failed, or not started because of a failure or a cancellation — goes to the spool, in order.
    /// - Returns: the error of a failed batch (`CancellationError` when cancelled), or `nil` when all were written.
    private func writeQueued() async -> (any Error)? {
        let records = state.withLock { state -> [CallRecord] in
            state.flushRequested = false
            let records = state.takeQueue()
            state.inFlight = records[...]
            state.inFlightSpooled = false
            return records
        }
        let batches = Self.batches(
            of: records, largest: configuration.largestBatch, bytes: configuration.memoryThresholdBytes)
        let unwritten = await writeBatches(batches, of: records)
        noteWriteProgress(ended: true)
        guard unwritten.batches.isEmpty else {
            // Failed, or never started because a cancellation came first: either way they go to the spool (unless
            // the cancellation handler already put them there).
            spoolInFlight(ArraySlice(unwritten.batches.flatMap { records[$0] }))
            return unwritten.failure ?? CancellationError()
        }
        state.withLock { $0.inFlight = [] }
        return nil
    }

    /// Consecutive runs of `records` of at most `largest` records and about `bytes` (at least one record each):
    /// long prompts make smaller transactions.
    static func batches(of records: [CallRecord], largest: Int, bytes: Int) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var start = records.startIndex
        var size = 0
        for index in records.indices {
            let recordBytes = records[index].approximateBytes
            if index > start, index - start >= largest || size + recordBytes > bytes {
                batches.append(start..<index)
                start = index
                size = 0
            }
            size += recordBytes
        }
        if start < records.endIndex { batches.append(start..<records.endIndex) }
        return batches
    }

    /// Writes `batches` of `records`, keeping up to `sink.parallelBatches` in flight; stops starting new ones at
    /// the first failure or a cancellation (whose handler has spooled everything in flight already).
    /// - Returns: the batches not written (failed or never started), in order, and the first error.
    private func writeBatches(
        _ batches: [Range<Int>],
        of records: [CallRecord]
    ) async -> (batches: [Range<Int>], failure: (any Error)?) {
        let sink = self.sink
        var failed: [Range<Int>] = []
        var failure: (any Error)?
        var next = 0
        await withTaskGroup(of: (Range<Int>, (any Error)?).self) { group in
            func startNext() {
                guard next < batches.count, failure == nil, !isCancelled else { return }
                let batch = batches[next]
                next += 1
                noteWriteProgress()
                group.addTask {
                    do {
                        try await abandoningOnCancel { try await sink.write(Array(records[batch])) }
                        return (batch, nil)
                    } catch {
                        return (batch, error)
                    }
                }
            }
            for _ in 0..<max(1, sink.parallelBatches) { startNext() }
            for await (batch, error) in group {
                noteWriteProgress()
                if let error {
                    failed.append(batch)
                    failure = failure ?? error
                }
                startNext()
            }
        }
        let notStarted = batches[next...]
        return ((failed + notStarted).sorted { $0.lowerBound < $1.lowerBound }, failure)
    }

    /// Marks the write under way as moving (or, with `ended`, that no write is under way).
    private func noteWriteProgress(ended: Bool = false) {
        let now = ended ? nil : ContinuousClock.now
        state.withLock { $0.writeProgress = now }
    }

    /// Runs beside the writer until cancelled: whenever the queue has reached the memory threshold (in records or
    /// bytes) while writes fail or a write has made no progress for `spillAfter`, moves the whole queue to the
    /// spool. Looks a few times per `spillAfter` while a write is under way or the queue is long, and otherwise
    /// sleeps until the queue reaches the threshold.
    private func spillWhileWritesLag() async {
        let configuration = self.configuration
        while !Task.isCancelled {
            if state.withLock({ $0.isOverMemoryThreshold(configuration) || $0.writeProgress != nil }) {
                await spillWakeup.wait(timeout: configuration.spillAfter / 4)
            } else {
                await spillWakeup.wait()
            }
            spillIfWritesLag()
        }
    }

    private func spillIfWritesLag() {
        let configuration = self.configuration
        let spillAfter = configuration.spillAfter
        let (records, failing) = state.withLock { state -> ([CallRecord], Bool) in
            let stuck = state.writeProgress.map { ContinuousClock.now - $0 >= spillAfter } ?? false
            guard state.isOverMemoryThreshold(configuration), state.failing || stuck else { return ([], false) }
            let records = state.takeQueue()
            state.spilling += records.count
            return (records, state.failing)
        }
        guard !records.isEmpty, spoolOrRequeue(records[...], release: { $0.spilling -= records.count }) else { return }
        // A failing database was reported when writes began to fail; a stuck one is reported here.
        if !failing {
            logger.warning(
                "a database write has made no progress for \(spillAfter); call records go to the spool meanwhile",
                metadata: ["records": "\(records.count)", "spool.records": "\(spool.pendingCount)"]
            )
        }
    }

    /// Moves records the writer holds to the spool (unless a cancellation already did).
    private func spoolInFlight(_ records: ArraySlice<CallRecord>) {
        if state.withLock({ $0.inFlightSpooled }) {
            state.withLock { $0.inFlight = [] }
        } else {
            spoolOrRequeue(records, release: { $0.inFlight = [] })
        }
    }

    /// Appends records to the spool; if even the spool fails, puts them back at the front of the queue: memory is
    /// the last place left, and dropping is not allowed. `release` clears, under the lock, where they were held.
    /// - Returns: whether they are in the spool.
    @discardableResult
    private func spoolOrRequeue(_ records: ArraySlice<CallRecord>, release: (inout State) -> Void) -> Bool {
        do {
            try spool.append(records)
            state.withLock { release(&$0) }
            return true
        } catch {
            logger.error(
                "cannot spool call records; holding them in memory",
                metadata: ["records": "\(records.count)", "error": "\(error)"]
            )
            state.withLock { state in
                state.requeue(records)
                release(&state)
            }
            return false
        }
    }

    /// After a graceful stop: write out the spool and the queue; whatever cannot be written goes to the spool.
    private func drainForShutdown() async {
        if !isCancelled {
            var failure = await replaySpool()
            while failure == nil, state.withLock({ !$0.queue.isEmpty }) {
                failure = await writeQueued()
            }
            if let failure {
                logger.warning(
                    "database unavailable at shutdown; call records stay in the spool for the next start",
                    metadata: ["error": "\(failure)"]
                )
            }
        }
        let leftovers = state.withLock { state -> [CallRecord] in
            state.stopped = true
            return state.takeQueue()
        }
        do {
            try spool.append(leftovers)
        } catch {
            logger.critical(
                "cannot spool call records at shutdown; they are lost",
                metadata: ["records": "\(leftovers.count)", "error": "\(error)"]
            )
        }
        logger.info("call log writer stopped", metadata: ["spool.records": "\(spool.pendingCount)"])
    }

    private func requestStop() {
        state.withLock { $0.stopping = true }
        wakeup.signal()
    }

    /// Out of time: put everything in memory on disk now, without waiting for the database.
    private func spoolEverythingForCancellation() {
        let records = state.withLock { state -> [CallRecord] in
            state.stopping = true
            state.cancelled = true
            var records = state.inFlightSpooled ? [] : Array(state.inFlight)
            state.inFlightSpooled = true
            records.append(contentsOf: state.takeQueue())
            return records
        }
        do {
            try spool.append(records)
            logger.warning(
                "out of time to write call records (shutdown deadline passed); they wait in the spool for the next start",
                metadata: ["records": "\(records.count)", "spool.records": "\(spool.pendingCount)"]
            )
        } catch {
            logger.critical(
                "cannot spool call records at cancellation; they are lost",
                metadata: ["records": "\(records.count)", "error": "\(error)"]
            )
        }
        wakeup.signal()
    }
}
