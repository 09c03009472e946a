import Benchmark
import ConcordCore
import ConcordStore
import ConcordWire
import Foundation
import Logging

// The gateway's hot spots, one benchmark each. Throughput is per iteration: for the fast ones an iteration is
// 1,000 operations (`scalingFactor: .kilo`, so "K" in the output means thousands of operations per second); for
// the store it is one 500-row batch (rows/s = throughput × 500); for the writer one 1,000-record hand-over.

// MARK: - Fixtures

// The wire-format fixtures are in WireFixtures.swift (a symlink to Benchmarks/Shared, shared with Benchmarks/Micro).

func makeRecords(_ count: Int) -> [CallRecord] {
    let start = Date().timeIntervalSince1970
    return (0..<count).map { index -> CallRecord in
        // Typed one by one: a single expression with these ternaries is too much for the type checker.
        let even = index % 2 == 0
        let model: String = even ? "bench" : "claude-sonnet-4"
        let provider: String = even ? "openai" : "anthropic"
        let createdAt: Double = start + Double(index) / 1_000_000
        let ttft: Int? = even ? 80 : nil
        return CallRecord(
            id: CallContext.newCallID(),
            traceID: CallContext.newTraceID(),
            model: model,
            provider: provider,
            callerType: .api,
            callerName: "/v1/chat/completions",
            userID: "user-\(index % 50)",
            systemPrompt: "You are a helpful assistant for an online shop. Answer briefly and politely.",
            userMessage: "Great, thanks. Can you also tell me whether I can still change the delivery address?",
            messagesCount: 6,
            responseContent: chatResponse.content,
            finishReason: "stop",
            promptTokens: 312,
            completionTokens: 54,
            totalTokens: 366,
            latencyMs: 230,
            status: .success,
            createdAt: createdAt,
            costUSD: 0.000_079,
            isStream: even,
            ttftMs: ttft
        )
    }
}

struct NoOpSink: RecordSink {
    func write(_ batch: [CallRecord]) async throws {}
}

/// State the store and writer benchmarks set up once and tear down after their runs.
final class StoreFixture: @unchecked Sendable {
    var directory: URL?
    var store: SQLStore?
    var writer: LogWriter?
    var writerTask: Task<Void, any Error>?
    var batches: [[CallRecord]] = []
    var next = 0
}
let fixture = StoreFixture()
let quiet = Logger(label: "benchmark") { _ in SwiftLogNoOpLogHandler() }

func makeDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

func setUpStore(url: (URL) -> String) async throws {
    let directory = try makeDirectory()
    fixture.directory = directory
    let store = try SQLStore(url: url(directory), logger: quiet)
    try await store.migrate()
    fixture.store = store
    // enough fresh 500-row batches for the run: every insert is a new row, as in production
    fixture.batches = (0..<400).map { _ in makeRecords(500) }
    fixture.next = 0
}

func tearDownStore() async throws {
    try await fixture.store?.shutdown()
    fixture.store = nil
    fixture.batches = []
    if let directory = fixture.directory { try? FileManager.default.removeItem(at: directory) }
}

func nextBatch() -> [CallRecord] {
    if fixture.next == fixture.batches.count {
        // ran out: reuse with new ids so that they are inserted, not skipped as conflicts
        fixture.batches = fixture.batches.map { batch in
            batch.map { record in
                var record = record
                record.id = CallContext.newCallID()
                return record
            }
        }
        fixture.next = 0
    }
    defer { fixture.next += 1 }
    return fixture.batches[fixture.next]
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let fast = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    Benchmark("OpenAIChatFormat.decodeRequest (6 messages, 1 tool)", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try OpenAIChatFormat.decodeRequest(openAIRequestBody))
        }
    }

    Benchmark("OpenAIChatFormat.encodeResponse", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(OpenAIChatFormat.encodeResponse(chatResponse, id: "0193f1e2-call", model: "bench", created: 1_764_201_600))
        }
    }

    Benchmark("OpenAIChatFormat.encodeRequest (upstream, OpenAI → OpenAI)", configuration: fast) { benchmark in
        let model = ModelConfig(id: "bench", provider: .openai, upstreamModel: "gpt-4o-mini")
        for _ in benchmark.scaledIterations {
            blackHole(try OpenAIChatFormat.encodeRequest(canonicalRequest, for: model, stream: false))
        }
    }

    Benchmark("AnthropicMessagesFormat.encodeRequest (OpenAI → Anthropic)", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try AnthropicMessagesFormat.encodeRequest(canonicalRequest, for: anthropicModel, stream: true))
        }
    }

    let anthropicEvents = anthropicStreamEvents(deltas: 46)
    Benchmark("AnthropicStreamDecoder.decode (50-event stream)", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = AnthropicMessagesFormat.makeStreamDecoder()
            for event in anthropicEvents { blackHole(try decoder.decode(event)) }
        }
    }

    Benchmark("OpenAIStreamDecoder.decode (50-event stream)", configuration: fast) { benchmark in
        var parser = SSEParser()
        let events = openAIStreamChunks.flatMap { parser.feed($0) }
        for _ in benchmark.scaledIterations {
            var decoder = OpenAIChatFormat.makeStreamDecoder()
            for event in events { blackHole(try decoder.decode(event)) }
        }
    }

    Benchmark("SSEParser.feed (50-event OpenAI stream, 1.4 KB reads)", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            var parser = SSEParser()
            for chunk in openAIStreamChunks { blackHole(parser.feed(chunk)) }
        }
    }

    // LogWriter.record: records handed over per second (throughput × 1,000) with a writer running into a no-op sink.
    let recordsPerIteration = 1_000
    let handOver = makeRecords(recordsPerIteration)
    Benchmark(
        "LogWriter.record (1,000 records, no-op sink)",
        configuration: .init(
            metrics: [.wallClock, .throughput],
            maxDuration: .seconds(3),
            maxIterations: 2_000,
            setup: {
                let directory = try makeDirectory()
                fixture.directory = directory
                let writer = try LogWriter(
                    sink: NoOpSink(),
                    configuration: .init(spoolPath: directory.appendingPathComponent("bench.spool").path),
                    logger: quiet
                )
                fixture.writer = writer
                fixture.writerTask = Task { try await writer.run() }
            },
            teardown: {
                await fixture.writer?.flush()
                fixture.writerTask?.cancel()
                _ = try? await fixture.writerTask?.value
                fixture.writer = nil
                if let directory = fixture.directory { try? FileManager.default.removeItem(at: directory) }
            }
        )
    ) { benchmark in
        guard let writer = fixture.writer else { return }
        for record in handOver { writer.record(record) }
        benchmark.stopMeasurement()
        await writer.flush()  // keep the queue from reaching its hard cap (outside the measurement)
    }

    // SQLStore.write: one 500-row batch (the writer's batch size) per iteration, each in one transaction with the
    // counter update; rows/s = throughput × 500.
    Benchmark(
        "SQLStore.write SQLite (500-row batch)",
        configuration: .init(
            metrics: [.wallClock, .throughput],
            maxDuration: .seconds(5),
            maxIterations: 400,
            setup: { try await setUpStore { "sqlite://\($0.path)/bench.sqlite" } },
            teardown: { try await tearDownStore() }
        )
    ) { benchmark in
        // Taking the next prepared batch is an array index: measured with the write rather than around a
        // stop/start pair, which recorded only the stop (p50 0 ms).
        let batch = nextBatch()
        try await fixture.store!.write(batch)
    }

    if let base = ProcessInfo.processInfo.environment["CONCORD_TEST_POSTGRES_URL"], !base.isEmpty {
        let schema = "bench_" + CallContext.newTraceID().prefix(12)
        Benchmark(
            "SQLStore.write PostgreSQL (500-row batch)",
            configuration: .init(
                metrics: [.wallClock, .throughput],
                maxDuration: .seconds(5),
                maxIterations: 400,
                setup: { try await setUpStore { _ in base + (base.contains("?") ? "&" : "?") + "search_path=\(schema)" } },
                teardown: { try await tearDownStore() }
            )
        ) { benchmark in
            let batch = nextBatch()
            try await fixture.store!.write(batch)
        }
    }
}
