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

/// A realistic OpenAI Chat Completions request: system prompt, a short conversation with a tool round trip,
/// one tool, sampling fields and a field the gateway forwards without reading (`user`).
let openAIRequestBody = Data(
    #"""
    {"model":"gpt-4o-mini","temperature":0.2,"max_tokens":512,"user":"user-42","stream":false,
     "messages":[
      {"role":"system","content":"You are a helpful assistant for an online shop. Answer briefly and politely, and use the tools when the user asks about an order."},
      {"role":"user","content":"Hi! I ordered a pair of running shoes last week and they have not arrived yet. Can you check order 18231 for me?"},
      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup_order","arguments":"{\"order_id\":\"18231\"}"}}]},
      {"role":"tool","tool_call_id":"call_1","content":"{\"status\":\"shipped\",\"carrier\":\"DHL\",\"eta\":\"2026-11-29\"}"},
      {"role":"assistant","content":"Your order 18231 has shipped with DHL and should arrive on 29 November."},
      {"role":"user","content":"Great, thanks. Can you also tell me whether I can still change the delivery address?"}
     ],
     "tools":[{"type":"function","function":{"name":"lookup_order","description":"Look up an order by id.",
       "parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}}]}
    """#.utf8
)

let canonicalRequest: ChatRequest = try! OpenAIChatFormat.decodeRequest(openAIRequestBody)

let anthropicModel = ModelConfig(id: "claude-sonnet-4", provider: .anthropic, upstreamModel: "claude-sonnet-4-20250514")

let chatResponse = ChatResponse(
    content: "Yes — the address can be changed until the parcel is out for delivery. Open the DHL link in your "
        + "confirmation email, choose \"Change delivery\", and enter the new address. I can send you the link again.",
    finishReason: .stop,
    usage: Usage(promptTokens: 312, completionTokens: 54)
)

/// An Anthropic Messages stream as the upstream sends it: start, one text block of `deltas` deltas, stop.
func anthropicStreamEvents(deltas: Int) -> [SSEEvent] {
    var events: [SSEEvent] = [
        SSEEvent(
            event: "message_start",
            data: #"{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":312,"output_tokens":1}}}"#
        ),
        SSEEvent(
            event: "content_block_start",
            data: #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#
        ),
    ]
    for index in 0..<deltas {
        events.append(
            SSEEvent(
                event: "content_block_delta",
                data: #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word\#(index) and more "}}"#
            )
        )
    }
    events.append(SSEEvent(event: "content_block_stop", data: #"{"type":"content_block_stop","index":0}"#))
    events.append(
        SSEEvent(
            event: "message_delta",
            data: #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":54}}"#
        )
    )
    events.append(SSEEvent(event: "message_stop", data: #"{"type":"message_stop"}"#))
    return events
}

/// A realistic 50-event OpenAI stream as bytes on the wire (role chunk, 46 content deltas, finish, usage, [DONE]),
/// cut into 1,400-byte network reads.
let openAIStreamChunks: [[UInt8]] = {
    let head = #"{"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1764201600,"model":"gpt-4o-mini","#
    var text = "data: " + head + #""choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n"
    for index in 0..<46 {
        text += "data: " + head
            + #""choices":[{"index":0,"delta":{"content":" token\#(index) of the"},"finish_reason":null}]}"# + "\n\n"
    }
    text += "data: " + head + #""choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"
    text += "data: " + head
        + #""choices":[],"usage":{"prompt_tokens":312,"completion_tokens":54,"total_tokens":366}}"# + "\n\n"
    text += "data: [DONE]\n\n"
    let bytes = Array(text.utf8)
    return stride(from: 0, to: bytes.count, by: 1400).map { Array(bytes[$0..<min($0 + 1400, bytes.count)]) }
}()

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
