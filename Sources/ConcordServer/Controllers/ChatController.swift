import ConcordCore
public import ConcordGateway
public import ConcordWire
import Foundation
public import Hummingbird
import NIOCore
import NIOFoundationCompat

/// A chat endpoint in one wire format: `/v1/chat/completions` is this with `OpenAIChatFormat`,
/// `/v1/messages` with `AnthropicMessagesFormat`. Decode → gateway → encode, streamed or not; the format
/// decides only the bytes, never the flow.
public struct ChatController<Format: ChatWireFormat>: Sendable {
    let gateway: Gateway
    let maxBodyBytes: Int

    public init(format: Format.Type = Format.self, gateway: Gateway, maxBodyBytes: Int) {
        self.gateway = gateway
        self.maxBodyBytes = maxBodyBytes
    }

    public func handle(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: maxBodyBytes)
        let chat = try Format.decodeRequest(Data(buffer: body, byteTransferStrategy: .noCopy))
        let callContext = try CallHeaders.context(from: request.headers, caller: caller, routePath: request.uri.path)
        let callID = CallContext.newCallID()
        let ids = CallHeaders.responseHeaders(callID: callID, traceID: callContext.traceID)
        let created = Int(Date().timeIntervalSince1970)
        do {
            if chat.stream {
                let stream = try await gateway.openStream(chat, context: callContext, callID: callID)
                let encoder = Format.makeStreamEncoder(
                    id: callID,
                    model: chat.model,
                    created: created,
                    includeUsage: chat.includeStreamUsage
                )
                return ServerSentEvents.response(for: stream, encoder: encoder, headers: ids)
            }
            let result = try await gateway.chat(chat, context: callContext, callID: callID)
            let answer = Format.encodeResponse(result.response, id: callID, model: chat.model, created: created)
            return JSONResponse.make(answer, headers: ids)
        } catch let error as GatewayError {
            return GatewayErrorResponse.response(for: error, path: request.uri.path, headers: ids)
        }
    }
}

/// Streams a gateway stream to the caller as SSE, one write per upstream event, as it arrives.
enum ServerSentEvents {
    static func response<Encoder: CallerStreamEncoder>(
        for stream: GatewayStream,
        encoder: Encoder,
        headers: HTTPFields
    ) -> Response {
        var headers = headers
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                var encoder = encoder
                var text = ""
                do {
                    for try await event in stream.events {
                        encoder.encode(event, into: &text)
                        if !text.isEmpty {
                            try await writer.write(ByteBuffer(string: text))
                            text.removeAll(keepingCapacity: true)
                        }
                    }
                    encoder.finish(into: &text)
                } catch let error as GatewayError {
                    // The status line is gone already: the failure travels in the stream, as SDKs expect.
                    encoder.fail(error, into: &text)
                }
                try await writer.write(ByteBuffer(string: text))
                try await writer.finish(nil)
            }
        )
    }
}

/// A JSON response from encoded bytes, with extra headers.
enum JSONResponse {
    static func make(_ body: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: body)))
    }

    static func make(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response
    {
        make(WireJSON.encode(value), status: status, headers: headers)
    }
}
