// The wire-format fixtures both micro-benchmark harnesses use: Benchmarks/Micro (compiled with it by
// Benchmarks/Micro/run) and the ordo-one package (a symlink in Benchmarks/Benchmarks/ConcordBenchmarks).
import ConcordCore
import ConcordWire
import Foundation

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
