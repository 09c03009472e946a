import ConcordCore
import Foundation
import Testing

@testable import ConcordStore

/// The writer against fake sinks: batching, spooling and replay, without a database.
@Suite("Log writer", .timeLimit(.minutes(2)))
struct LogWriterTests {
    @Test("a sink that fails a few times loses nothing and receives every record once, in order")
    func flakySinkLosesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let sink = ScriptedSink(failures: 3)
            let writer = try LogWriter(
                sink: sink,
                configuration: fastWriterConfiguration(spoolPath: directory.appendingPathComponent("spool").path),
                logger: quietLogger
            )
            let records = makeRecords(300)
            try await withRunningWriter(writer) {
                for record in records { writer.record(record) }
                await writer.flush()
            }
            #expect(sink.received.map(\.id) == records.map(\.id))
            #expect(writer.pendingCount == 0)
            #expect(writer.spooledCount == 0)
        }
    }

    @Test("a backlog goes to a sink that takes parallel batches two at a time; a failed one is retried, none lost")
    func parallelBatchesLoseNothing() async throws {
        try await withTemporaryDirectory { directory in
            let sink = ScriptedSink(failures: 1, hanging: true, parallelBatches: 2)
            let writer = try LogWriter(
                sink: sink,
                configuration: fastWriterConfiguration(
                    spoolPath: directory.appendingPathComponent("spool").path, batchSize: 10),
                logger: quietLogger
            )
            let records = makeRecords(30)
            for record in records { writer.record(record) }  // a backlog of three batches before the writer starts
            try await withRunningWriter(writer) {
                try await eventually("two batches are being written at once") { sink.attempts == 2 }
                sink.releaseHang()
                await writer.flush()
            }
            #expect(sink.received.count == records.count)
            #expect(Set(sink.received.map(\.id)) == Set(records.map(\.id)))
            #expect(writer.pendingCount == 0)
            #expect(writer.spooledCount == 0)
        }
    }

    @Test("records that arrive while a batch is being written wait for the flush interval, not one write each")
    func trickleWaitsForTheInterval() async throws {
        try await withTemporaryDirectory { directory in
            let sink = ScriptedSink(hanging: true)
            var configuration = fastWriterConfiguration(
                spoolPath: directory.appendingPathComponent("spool").path, batchSize: 2)
            configuration.flushInterval = .seconds(30)
            let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
            let records = makeRecords(3)
            try await withRunningWriter(writer) {
                writer.record(records[0])
                writer.record(records[1])  // a full batch: written at once, and the sink hangs
                while sink.attempts < 1 { try await Task.sleep(for: .milliseconds(1)) }
                writer.record(records[2])  // arrives while that batch is being written
                sink.releaseHang()
                try await Task.sleep(for: .milliseconds(300))
                #expect(sink.attempts == 1, "record 2 was written alone, before the flush interval")
                await writer.flush()
            }
            #expect(sink.received.map(\.id) == records.map(\.id))
            #expect(sink.attempts == 2)
        }
    }

    @Test("while a write hangs without failing, records beyond the memory threshold go to the spool; none is lost")
    func hungWriteSpillsToTheSpool() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = fastWriterConfiguration(spoolPath: "", batchSize: 10)
            configuration.hardCap = 10_000  // far away: the request path never spools here
            try await recordAroundAHungWrite(
                makeRecords(250), configuration: configuration, in: directory,
                until: "the waiting records are moved to the spool; memory holds only the hung batch"
            ) { writer in writer.spooledCount >= 200 && writer.pendingCount <= 10 }
        }
    }

    @Test("while a write hangs, long records go to the spool at the byte threshold, long before the record count")
    func hungWriteSpillsBySize() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = fastWriterConfiguration(spoolPath: "", batchSize: 10)
            configuration.memoryThreshold = 1_000  // never reached by count here
            configuration.memoryThresholdBytes = 200_000  // about ten of these records
            configuration.hardCap = 10_000
            let records = makeLongRecords(110)
            try await recordAroundAHungWrite(
                records, configuration: configuration, in: directory,
                until: "memory holds the hung batch and at most the byte threshold's worth"
            ) { writer in writer.spooledCount >= 90 && writer.pendingCount <= 20 }
        }
    }

    /// Hands over the first ten records, waits until the (hanging) sink is stuck writing them, hands over the
    /// rest, waits for `condition` — what the spill task must have done meanwhile — then lets the write finish and
    /// checks every record was written exactly once and nothing is left behind.
    private func recordAroundAHungWrite(
        _ records: [CallRecord],
        configuration: LogWriter.Configuration,
        in directory: URL,
        until description: String,
        _ condition: @escaping @Sendable (LogWriter) -> Bool
    ) async throws {
        var configuration = configuration
        configuration.spoolPath = directory.appendingPathComponent("spool").path
        configuration.spillAfter = .milliseconds(200)
        let sink = ScriptedSink(hanging: true)
        let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
        try await withRunningWriter(writer) {
            for record in records[..<10] { writer.record(record) }
            try await eventually("the writer is stuck in a write") { sink.attempts > 0 }
            for record in records[10...] { writer.record(record) }
            try await eventually(description) { condition(writer) }
            sink.releaseHang()
            await writer.flush()
        }
        #expect(sink.received.count == records.count, "each record written once")
        #expect(Set(sink.received.map(\.id)) == Set(records.map(\.id)))
        #expect(writer.pendingCount == 0)
        #expect(writer.spooledCount == 0)
    }

    @Test("during an outage records go to the spool, then are replayed in order when the sink returns")
    func outageSpoolsThenReplaysInOrder() async throws {
        try await withTemporaryDirectory { directory in
            let spoolPath = directory.appendingPathComponent("spool").path
            let sink = ScriptedSink(down: true)
            let writer = try LogWriter(
                sink: sink,
                configuration: fastWriterConfiguration(spoolPath: spoolPath),
                logger: quietLogger
            )
            let records = makeRecords(500)
            try await withRunningWriter(writer) {
                for record in records[..<100] { writer.record(record) }
                try await eventually("the failed batch is spooled") { writer.spooledCount > 0 }
                for record in records[100...] { writer.record(record) }
                // Beyond the memory threshold (40) the writer moves what arrives to the spool as well.
                try await eventually("memory stays under the threshold") {
                    writer.pendingCount < 40 && writer.spooledCount >= 460
                }
                #expect(try recordsInSpool(at: spoolPath).count == writer.spooledCount)
                sink.setDown(false)
                await writer.flush()
            }
            #expect(sink.received.map(\.id) == records.map(\.id))
            #expect(writer.spooledCount == 0)
            #expect(try recordsInSpool(at: spoolPath).isEmpty)
        }
    }

    /// Which of the hard caps a test reaches: the record count, or the bytes of long records.
    enum HardCap: CaseIterable, Sendable {
        case records, bytes
    }

    @Test(
        "at the hard cap — in records, or in bytes of long records — record() spools itself and never drops, even with no writer running",
        arguments: HardCap.allCases
    )
    func hardCapNeverDrops(cap: HardCap) async throws {
        try await withTemporaryDirectory { directory in
            let spoolPath = directory.appendingPathComponent("spool").path
            var configuration = fastWriterConfiguration(spoolPath: spoolPath)
            var records = makeRecords(25)
            let mostInMemory: Int
            switch cap {
            case .records:
                configuration.memoryThreshold = 5
                configuration.hardCap = 10
                mostInMemory = 9
            case .bytes:
                configuration.memoryThresholdBytes = 50_000
                configuration.hardCapBytes = 100_000
                records = makeLongRecords(25)
                mostInMemory = 4
            }
            let sink = ScriptedSink()
            let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
            for record in records { writer.record(record) }
            #expect(writer.pendingCount <= mostInMemory)
            #expect(writer.pendingCount + writer.spooledCount == 25)
            #expect(try recordsInSpool(at: spoolPath).map(\.id) == records[..<writer.spooledCount].map(\.id))

            try await withRunningWriter(writer) { await writer.flush() }
            #expect(sink.received.map(\.id) == records.map(\.id))
        }
    }

    /// Where a backlog of long records waits before it is written.
    enum Backlog: CaseIterable, Sendable {
        case memory, spool
    }

    @Test(
        "a backlog of long records — in memory or in the spool — is written in batches that fit the byte threshold, in order",
        arguments: Backlog.allCases
    )
    func longRecordsAreWrittenInSmallBatches(backlog: Backlog) async throws {
        try await withTemporaryDirectory { directory in
            var configuration = fastWriterConfiguration(spoolPath: directory.appendingPathComponent("spool").path)
            configuration.memoryThresholdBytes = 100_000  // four or five of these records
            let sink = ScriptedSink(down: backlog == .spool)
            let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
            let records = makeLongRecords(30)
            // All handed over before the writer starts: its first batch then finds the whole backlog in memory (and,
            // with the sink down, spools all of it).
            for record in records { writer.record(record) }
            try await withRunningWriter(writer) {
                if backlog == .spool {
                    try await eventually("all are in the spool") { writer.spooledCount == records.count }
                    sink.setDown(false)
                }
                await writer.flush()
            }
            #expect(sink.received.map(\.id) == records.map(\.id))
            #expect(sink.largestBatch <= 5, "a batch held \(sink.largestBatch) records of 21 kB")
        }
    }

    @Test("records the request path spools while the writer is idle are written at once, before newer ones")
    func requestPathSpoolIsReplayedAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = fastWriterConfiguration(spoolPath: directory.appendingPathComponent("spool").path)
            configuration.flushInterval = .seconds(300)  // nothing is written by the interval in this test
            configuration.memoryThresholdBytes = 50_000
            configuration.hardCapBytes = 50_000  // the third of these 21 kB records spools the queue
            let sink = ScriptedSink()
            let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
            let records = makeRecords(1) + makeLongRecords(3) + makeRecords(1)
            try await withRunningWriter(writer) {
                writer.record(records[0])
                await writer.flush()  // the writer is now idle, waiting for a record
                for record in records[1...3] { writer.record(record) }
                try await eventually("the spooled records are written without waiting for another call") {
                    sink.received.count == 4 && writer.spooledCount == 0
                }
                writer.record(records[4])
                await writer.flush()
            }
            #expect(sink.received.map(\.id) == records.map(\.id))
        }
    }

    @Test("a queue that reaches the byte threshold is written at once, not after the flush interval")
    func byteFullBatchIsWrittenAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = fastWriterConfiguration(spoolPath: directory.appendingPathComponent("spool").path)
            configuration.flushInterval = .seconds(300)
            configuration.memoryThresholdBytes = 60_000  // three of these records
            let sink = ScriptedSink()
            let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
            let records = makeLongRecords(3)
            try await withRunningWriter(writer) {
                for record in records { writer.record(record) }
                try await eventually("a batch's worth of bytes is written") { sink.received.count == 3 }
            }
            #expect(sink.received.map(\.id) == records.map(\.id))
            #expect(writer.spooledCount == 0)
        }
    }

    @Test("one record longer than the hard cap waits in an empty queue; its caller does not spool it")
    func loneLongRecordIsQueued() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = fastWriterConfiguration(spoolPath: directory.appendingPathComponent("spool").path)
            configuration.memoryThresholdBytes = 10_000
            configuration.hardCapBytes = 10_000
            let sink = ScriptedSink()
            let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
            let records = makeLongRecords(2)
            writer.record(records[0])
            #expect(writer.spooledCount == 0)
            #expect(writer.pendingCount == 1)
            writer.record(records[1])  // now the queue is over the cap: both go to the spool
            #expect(writer.spooledCount == 2)
            try await withRunningWriter(writer) { await writer.flush() }
            #expect(sink.received.map(\.id) == records.map(\.id))
        }
    }

    @Test("bounds set out of range are brought into range: a spool still replays with a byte threshold of 0")
    func outOfRangeBoundsStillReplay() async throws {
        try await withTemporaryDirectory { directory in
            let spoolPath = directory.appendingPathComponent("spool").path
            let records = makeRecords(3)
            try spoolContents(of: records).write(to: URL(fileURLWithPath: spoolPath))
            var configuration = fastWriterConfiguration(spoolPath: spoolPath)
            configuration.memoryThresholdBytes = 0
            configuration.largestBatch = 0
            let sink = ScriptedSink()
            let writer = try LogWriter(sink: sink, configuration: configuration, logger: quietLogger)
            try await withRunningWriter(writer) {
                try await eventually("the spool is replayed") { sink.received.count == 3 }
            }
            #expect(sink.received.map(\.id) == records.map(\.id))
            #expect(writer.spooledCount == 0)
        }
    }

    @Test("graceful shutdown with the sink down leaves every record in the spool")
    func shutdownWithSinkDown() async throws {
        try await withTemporaryDirectory { directory in
            let spoolPath = directory.appendingPathComponent("spool").path
            let sink = ScriptedSink(down: true)
            let writer = try LogWriter(
                sink: sink,
                configuration: fastWriterConfiguration(spoolPath: spoolPath),
                logger: quietLogger
            )
            let records = makeRecords(120)
            try await withRunningWriter(writer) {
                for record in records { writer.record(record) }
            }
            #expect(sink.received.isEmpty)
            #expect(writer.pendingCount == 0)
            #expect(Set(try recordsInSpool(at: spoolPath).map(\.id)) == Set(records.map(\.id)))
            #expect(try recordsInSpool(at: spoolPath).count == 120)

            // A straggler after shutdown still is not lost.
            let late = makeRecord()
            writer.record(late)
            #expect(try recordsInSpool(at: spoolPath).last?.id == late.id)
        }
    }

    @Test("cancellation while the database hangs puts everything in the spool at once and stops the writer")
    func cancellationWhileHung() async throws {
        try await withTemporaryDirectory { directory in
            let spoolPath = directory.appendingPathComponent("spool").path
            let sink = ScriptedSink(hanging: true)
            let writer = try LogWriter(
                sink: sink,
                configuration: fastWriterConfiguration(spoolPath: spoolPath),
                logger: quietLogger
            )
            let records = makeRecords(80)
            let running = Task { try await writer.run() }
            for record in records { writer.record(record) }
            try await eventually("the writer is stuck in a write") { sink.attempts > 0 }
            running.cancel()
            // The cancellation handler spooled synchronously: nothing depends on the hung write any more.
            #expect(Set(try recordsInSpool(at: spoolPath).map(\.id)) == Set(records.map(\.id)))
            // The writer stops without waiting for the write the database never answers.
            let stopped = await answer(within: .seconds(30)) { (try? await running.value) != nil }
            #expect(stopped == true)
            #expect(writer.pendingCount == 0)
            sink.releaseHang()
        }
    }

    @Test("a spool cannot be shared by two writers")
    func spoolIsExclusive() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = fastWriterConfiguration(spoolPath: directory.appendingPathComponent("spool").path)
            let first = try LogWriter(sink: ScriptedSink(), configuration: configuration, logger: quietLogger)
            let error = try #require(throws: StoreError.self) {
                try LogWriter(sink: ScriptedSink(), configuration: configuration, logger: quietLogger)
            }
            #expect(error.code == .spoolUnavailable)
            withExtendedLifetime(first) {}
        }
    }

    @Test("a torn last line from a crash mid-append is cut off; the complete records survive")
    func tornSpoolLine() async throws {
        try await withTemporaryDirectory { directory in
            let spoolPath = directory.appendingPathComponent("spool").path
            let records = makeRecords(3)
            var contents = try spoolContents(of: records)
            contents.append(Data(#"{"id":"torn"#.utf8))
            try contents.write(to: URL(fileURLWithPath: spoolPath))

            let sink = ScriptedSink()
            let writer = try LogWriter(
                sink: sink,
                configuration: fastWriterConfiguration(spoolPath: spoolPath),
                logger: quietLogger
            )
            #expect(writer.spooledCount == 3)
            try await withRunningWriter(writer) { await writer.flush() }
            #expect(sink.received.map(\.id) == records.map(\.id))
        }
    }
}
