// The wire-format micro-benchmarks as a plain release executable: ConcordCore + ConcordWire compiled with swiftc
// -O (no package, no harness), for when the ordo-one/benchmark package (Benchmarks/Package.swift) cannot be built in
// time on a busy machine. Build and run: Benchmarks/Micro/run. Prints, per benchmark, the median of 7 rounds of
// thread CPU time (robust to other processes on the machine).
import ConcordCore
import ConcordWire
import Foundation

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

// The fixtures (request, response, streams) are in Benchmarks/Shared/WireFixtures.swift.

/// This thread's CPU time in seconds: unlike the wall clock, it does not count time other processes had the core,
/// so the numbers hold on a busy shared machine.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// `micro NAME-PART`: only the benchmarks whose name contains it (for profiling one).
let filter = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") }

func measure(_ name: String, operations: Int, _ body: () throws -> Void) rethrows {
    if let filter, !name.contains(filter) { return }
    var rounds: [Double] = []
    try body()  // warm-up
    for _ in 0..<7 {
        let start = threadCPUSeconds()
        for _ in 0..<operations { try body() }
        rounds.append((threadCPUSeconds() - start) / Double(operations))
    }
    let median = rounds.sorted()[3]
    let padded = name.padding(toLength: 60, withPad: " ", startingAt: 0)
    print("\(padded) \(String(format: "%9.2f", median * 1e6)) µs/op  \(String(format: "%10.0f", 1 / median)) op/s")
}

let model = ModelConfig(id: "bench", provider: .openai, upstreamModel: "gpt-4o-mini")
let anthropicEvents = anthropicStreamEvents(deltas: 46)
var parserForEvents = SSEParser()
let openAIEvents = openAIStreamChunks.flatMap { parserForEvents.feed($0) }
let upstreamAnswer = OpenAIChatFormat.encodeResponse(chatResponse, id: "x", model: "gpt-4o-mini", created: 1_764_201_600)

print("µs of CPU per operation (thread CPU time, median of 7 rounds), \(Date())")
try measure("OpenAIChatFormat.decodeRequest (6 messages, 1 tool)", operations: 2_000) {
    blackHole(try OpenAIChatFormat.decodeRequest(openAIRequestBody))
}
measure("OpenAIChatFormat.encodeResponse", operations: 5_000) {
    blackHole(OpenAIChatFormat.encodeResponse(chatResponse, id: "0193f1e2-call", model: "bench", created: 1_764_201_600))
}
try measure("OpenAIChatFormat.encodeRequest (upstream)", operations: 2_000) {
    blackHole(try OpenAIChatFormat.encodeRequest(canonicalRequest, for: model, stream: false))
}
try measure("OpenAIChatFormat.decodeResponse (upstream answer)", operations: 5_000) {
    blackHole(try OpenAIChatFormat.decodeResponse(upstreamAnswer))
}
try measure("AnthropicMessagesFormat.encodeRequest (OpenAI → Anthropic)", operations: 2_000) {
    blackHole(try AnthropicMessagesFormat.encodeRequest(canonicalRequest, for: anthropicModel, stream: true))
}
try measure("AnthropicStreamDecoder.decode (whole 50-event stream)", operations: 200) {
    var decoder = AnthropicMessagesFormat.makeStreamDecoder()
    for event in anthropicEvents { blackHole(try decoder.decode(event)) }
}
try measure("OpenAIStreamDecoder.decode (whole 50-event stream)", operations: 200) {
    var decoder = OpenAIChatFormat.makeStreamDecoder()
    for event in openAIEvents { blackHole(try decoder.decode(event)) }
}
measure("SSEParser.feed (whole 50-event stream, 1.4 KB reads)", operations: 1_000) {
    var parser = SSEParser()
    for chunk in openAIStreamChunks { blackHole(parser.feed(chunk)) }
}
measure("OpenAIStreamEncoder.encode (50 events to caller SSE)", operations: 200) {
    var encoder = OpenAIChatFormat.makeStreamEncoder(id: "call", model: "bench", created: 1_764_201_600, includeUsage: true)
    var text = ""
    for index in 0..<48 { encoder.encode(.textDelta(" token\(index) of the"), into: &text) }
    encoder.finish(into: &text)
    blackHole(text)
}

measure("AnthropicMessagesFormat.encodeResponse", operations: 5_000) {
    blackHole(AnthropicMessagesFormat.encodeResponse(chatResponse, id: "0193f1e2-call", model: "bench", created: 1_764_201_600))
}
measure("AnthropicStreamEncoder.encode (50 events to caller SSE)", operations: 200) {
    var encoder = AnthropicMessagesFormat.makeStreamEncoder(id: "call", model: "bench", created: 1_764_201_600, includeUsage: true)
    var text = ""
    for index in 0..<48 { encoder.encode(.textDelta(" token\(index) of the"), into: &text) }
    encoder.finish(into: &text)
    blackHole(text)
}
