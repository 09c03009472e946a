import ConcordCore
import ConcordStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle

/// Records per second from `LogWriter.record` until every row is committed (counters included), into a fresh
/// database. Prints one line per database; not a pass/fail test.
let arguments = CommandLine.arguments
let recordCount = arguments.firstIndex(of: "--records").flatMap { Int(arguments[$0 + 1]) } ?? 200_000
/// Distinct users the synthetic records spread over (`USERS`, default 50): each batch upserts one rollup row per
/// user and model, so fewer users is nearer a gateway serving one busy client.
let users = Int(ProcessInfo.processInfo.environment["USERS"] ?? "") ?? 50
let quiet = Logger(label: "benchmark") { _ in SwiftLogNoOpLogHandler() }

func makeRecords(_ count: Int) -> [CallRecord] {
    let models = [("mock/echo", "mock"), ("claude-sonnet-4", "anthropic"), ("openai/gpt-4o-mini", "openai")]
    let start = Date().timeIntervalSince1970
    return (0..<count).map { index in
        let (model, provider) = models[index % models.count]
        return CallRecord(
            id: CallContext.newCallID(),
            traceID: CallContext.newTraceID(),
            model: model,
            provider: provider,
            callerType: .api,
            callerName: "/v1/chat/completions",
            userID: "user-\(index % users)",
            systemPrompt: "You are a helpful assistant.",
            userMessage: "Summarise the following paragraph in one sentence, please: lorem ipsum dolor sit amet.",
            messagesCount: 2,
            responseContent: "A short summary of the paragraph, as asked, in one sentence.",
            finishReason: "stop",
            promptTokens: 40 + index % 100,
            completionTokens: 12,
            totalTokens: 52 + index % 100,
            latencyMs: 230,
            status: .success,
            createdAt: start + Double(index) / 1_000_000,
            costUSD: 0.000_12,
            isStream: index % 2 == 0,
            ttftMs: index % 2 == 0 ? 80 : nil
        )
    }
}

func measure(name: String, url: String, directory: URL) async throws {
    let store = try SQLStore(url: url, logger: quiet)
    try await store.migrate()
    let writer = try LogWriter(
        sink: store,
        configuration: LogWriter.Configuration(
            spoolPath: directory.appendingPathComponent("\(name).spool").path,
            hardCap: recordCount + 1
        ),
        logger: quiet
    )
    let records = makeRecords(recordCount)
    let group = ServiceGroup(services: [store, writer], logger: quiet)
    let clock = ContinuousClock()
    var elapsed = Duration.zero
    var cpuStart = 0.0
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let start = clock.now
        cpuStart = processCPUSeconds()
        for record in records { writer.record(record) }
        await writer.flush()
        elapsed = clock.now - start
        cpuStart = processCPUSeconds() - cpuStart
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Int(Double(recordCount) / seconds)
    // The models' counters afterwards, read through a second store: they grow only by rows inserted, so the rate
    // counts only if they add up to every record sent.
    let check = try SQLStore(url: url, logger: quiet)
    let models = try await check.models()
    try await check.shutdown()
    let counted = models.reduce(0) { $0 + $1.totalRequests }
    let tokens = models.reduce(0) { $0 + $1.totalTokens }
    let expectedTokens = records.reduce(0) { $0 + $1.totalTokens }
    let verdict =
        counted == recordCount && tokens == expectedTokens ? "all counted" : "COUNTERS WRONG: \(counted) calls"
    print(
        "\(name): \(recordCount) rows in \(String(format: "%.2f", seconds)) s = \(rate) rows/s "
            + "(this process used \(String(format: "%.2f", cpuStart)) CPU-s; \(verdict))"
    )
}

/// CPU time of the whole process (all threads): the cost of the work, whatever else the machine is doing.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-writer-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

if arguments.contains("--direct") {
    let store = try SQLStore(url: "sqlite://\(directory.path)/direct.sqlite", logger: quiet)
    try await store.migrate()
    let records = makeRecords(recordCount)
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = processCPUSeconds()
    let batch = Int(ProcessInfo.processInfo.environment["BATCH"] ?? "") ?? 500
    for index in stride(from: 0, to: records.count, by: batch) {
        try await store.write(Array(records[index..<min(index + batch, records.count)]))
    }
    let cpu = processCPUSeconds() - cpuStart
    print("direct sqlite: \(clock.now - start) wall, \(cpu) s CPU = \(Int(Double(recordCount) / cpu)) rows per CPU-second")
    try await store.shutdown()
    exit(0)
}
try await measure(name: "sqlite", url: "sqlite://\(directory.path)/bench.sqlite", directory: directory)
if let base = ProcessInfo.processInfo.environment["CONCORD_TEST_POSTGRES_URL"], !base.isEmpty {
    let schema = "bench_" + CallContext.newTraceID().prefix(12)
    try await measure(
        name: "postgres",
        url: base + (base.contains("?") ? "&" : "?") + "search_path=\(schema)",
        directory: directory
    )
} else {
    print("postgres: skipped (CONCORD_TEST_POSTGRES_URL is not set; run through scripts/with-postgres)")
}
