import ConcordCore
import Foundation
import Testing

@testable import ConcordStore

/// Rows per second through the writer into each database. Run by hand, never a timed assertion:
///
///     CONCORD_STORE_MEASURE=100000 scripts/with-postgres swift test -c release --filter WriterThroughput
@Suite("Writer throughput (measurement)", .enabled(if: ProcessInfo.processInfo.environment["CONCORD_STORE_MEASURE"] != nil,
    "set CONCORD_STORE_MEASURE=<records> to measure writer throughput"))
struct WriterThroughputMeasurement {
    static let count = Int(ProcessInfo.processInfo.environment["CONCORD_STORE_MEASURE"] ?? "") ?? 100_000

    @Test("rows/s through LogWriter", arguments: TestBackend.available)
    func measure(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = (0..<Self.count).map { index in
                var record = makeRecord(
                    model: ["mock/echo", "claude-sonnet-4", "openai/gpt-4o-mini"][index % 3],
                    provider: ["mock", "anthropic", "openai"][index % 3],
                    totalTokens: 40 + index % 100,
                    createdAt: baseTime + Double(index) / 10_000
                )
                record.systemPrompt = "You are a helpful assistant."
                record.userMessage = "Summarise the following paragraph in one sentence, please: lorem ipsum dolor sit amet."
                record.responseContent = "A short summary of the paragraph, as asked, in one sentence."
                return record
            }
            let writer = try LogWriter(
                sink: database.store,
                configuration: LogWriter.Configuration(spoolPath: database.spoolPath, hardCap: Self.count + 1),
                logger: quietLogger
            )
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            try await withRunningWriter(writer) {
                let start = clock.now
                for record in records { writer.record(record) }
                await writer.flush()
                elapsed = clock.now - start
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("writer throughput [\(backend)]: \(Self.count) rows in \(String(format: "%.2f", seconds)) s = \(Int(Double(Self.count) / seconds)) rows/s")
            #expect(try await database.store.rowCount() == Self.count)
            #expect(try await counterTotals(database.store) == expectedTotals(records))
        }
    }
}
