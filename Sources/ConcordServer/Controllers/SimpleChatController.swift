import ConcordCore
public import ConcordGateway
import ConcordWire
import Foundation
public import Hummingbird
import NIOCore
import NIOFoundationCompat

/// `POST /api/llm/chat`: the review's simple API for callers that want one answer to one message.
///
/// In: `{"message", "system"?, "model"?, "stream"?}`. Out: `{content, model, usage, call_id, trace_id}`, or,
/// streamed, SSE `data:` lines `{"type":"delta","content"}` then `{"type":"done", ...the same fields}`.
public struct SimpleChatController: Sendable {
    let gateway: Gateway
    let maxBodyBytes: Int
    let defaultModel: String

    public init(gateway: Gateway, maxBodyBytes: Int, defaultModel: String) {
        self.gateway = gateway
        self.maxBodyBytes = maxBodyBytes
        self.defaultModel = defaultModel
    }

    struct Input: Decodable {
        var message: String
        var system: String?
        var model: String?
        var stream: Bool?
    }

    struct Output: Encodable {
        struct TokenUsage: Encodable {
            var promptTokens: Int
            var completionTokens: Int
            var totalTokens: Int
            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
                case totalTokens = "total_tokens"
            }
        }
        var type: String?
        var content: String
        var model: String
        var usage: TokenUsage?
        var finishReason: String?
        var callID: String
        var traceID: String
        enum CodingKeys: String, CodingKey {
            case type, content, model, usage
            case finishReason = "finish_reason"
            case callID = "call_id"
            case traceID = "trace_id"
        }
    }

    public func handle(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: maxBodyBytes)
        let input = try WireJSON.decodeRequest(Input.self, from: Data(buffer: body, byteTransferStrategy: .noCopy))
        guard !input.message.isEmpty else {
            throw GatewayError.invalidField("message", "Field 'message' must not be empty.")
        }
        // Absent means the default model; empty is a mistake, as on the two wire formats.
        guard input.model?.isEmpty != true else {
            throw GatewayError.invalidField("model", "Field 'model' must not be empty.")
        }
        var messages: [ChatMessage] = []
        if let system = input.system, !system.isEmpty { messages.append(ChatMessage(role: .system, text: system)) }
        messages.append(ChatMessage(role: .user, text: input.message))
        let model = input.model ?? defaultModel
        let chat = ChatRequest(model: model, messages: messages, stream: input.stream ?? false)
        let callContext = try CallHeaders.context(from: request.headers, caller: caller, routePath: request.uri.path)
        let callID = CallContext.newCallID()
        let ids = CallHeaders.responseHeaders(callID: callID, traceID: callContext.traceID)
        do {
            if chat.stream {
                let stream = try await gateway.openStream(chat, context: callContext, callID: callID)
                let encoder = SimpleStreamEncoder(model: model, callID: callID, traceID: callContext.traceID)
                return ServerSentEvents.response(for: stream, encoder: encoder, headers: ids)
            }
            let result = try await gateway.chat(chat, context: callContext, callID: callID)
            let output = Output(
                content: result.response.content ?? "",
                model: model,
                usage: result.response.usage.map(Output.TokenUsage.init),
                finishReason: result.response.finishReason.rawValue,
                callID: callID,
                traceID: callContext.traceID
            )
            return JSONResponse.make(output, headers: ids)
        } catch let error as GatewayError {
            return GatewayErrorResponse.response(for: error, path: request.uri.path, headers: ids)
        }
    }
}

extension SimpleChatController.Output.TokenUsage {
    init(_ usage: Usage) {
        self.init(
            promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, totalTokens: usage.totalTokens)
    }
}

/// The simple API's stream: text deltas, then one `done` event with the whole answer's ids and usage.
struct SimpleStreamEncoder: CallerStreamEncoder {
    let model: String
    let callID: String
    let traceID: String
    private var content = ""
    private var usage: Usage?
    private var finishReason: FinishReason?

    init(model: String, callID: String, traceID: String) {
        self.model = model
        self.callID = callID
        self.traceID = traceID
    }

    mutating func encode(_ event: StreamEvent, into output: inout String) {
        switch event {
        case .textDelta(let text):
            content += text
            // Written directly, once per streamed event: `{"type":"delta","content":…}`.
            var json = JSONWriter(capacity: text.utf8.count + 32)
            json.beginObject()
            json.member("type", "delta")
            json.member("content", text)
            json.endObject()
            output += "data: \(String(decoding: json.bytes, as: UTF8.self))\n\n"
        case .finished(let reason): finishReason = reason
        case .usage(let usage): self.usage = usage
        case .toolCallStarted, .toolCallArgumentsDelta: break
        }
    }

    mutating func finish(into output: inout String) {
        let done = SimpleChatController.Output(
            type: "done",
            content: content,
            model: model,
            usage: usage.map(SimpleChatController.Output.TokenUsage.init),
            finishReason: finishReason?.rawValue,
            callID: callID,
            traceID: traceID
        )
        output += "data: \(WireJSON.encodeString(done))\n\n"
    }

    mutating func fail(_ error: GatewayError, into output: inout String) {
        let body = String(decoding: OpenAIChatFormat.encodeError(error), as: UTF8.self)
        output += "data: {\"type\":\"error\",\(body.dropFirst())\n\n"
    }
}
