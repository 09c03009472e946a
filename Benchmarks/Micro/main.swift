// The wire-format micro-benchmarks as a plain release executable: ConcordCore + ConcordWire compiled with swiftc
// -O (no package, no harness), for when the ordo-one/benchmark package (Benchmarks/Package.swift) cannot be built in
// time on a busy machine. Build and run: Benchmarks/Micro/run. Prints, per benchmark, the median of 7 rounds of
// thread CPU time (robust to other processes on the machine).
import ConcordCore
import ConcordWire
import Foundation

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

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

