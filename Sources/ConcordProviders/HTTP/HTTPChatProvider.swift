public import AsyncHTTPClient
public import ConcordCore
public import ConcordWire
import Foundation
import NIOCore
import NIOFoundationCompat

/// A provider reached over HTTP in one wire format. OpenAI-compatible and Anthropic upstreams are both this
/// type with a different format and endpoint: transport, status mapping and streaming are written once.
public struct HTTPChatProvider<Format: ChatWireFormat>: Provider {
    private let client: HTTPClient
    private let endpoint: UpstreamEndpoint
    /// The largest non-streamed upstream body accepted.
    private let maxResponseBytes = 64 << 20

    public init(format: Format.Type = Format.self, client: HTTPClient, endpoint: UpstreamEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    public func complete(_ request: ChatRequest, route: ModelRoute) async throws -> ChatResponse {
        let response = try await send(request, route: route, stream: false)
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: maxResponseBytes)
        } catch {
            throw UpstreamFailure.gatewayError(for: error, model: route.model, streaming: true)
        }
        return try Format.decodeResponse(Data(buffer: body, byteTransferStrategy: .noCopy))
    }

    public func stream(_ request: ChatRequest, route: ModelRoute) async throws -> ChatEventStream {
        let response = try await send(request, route: route, stream: true)
        let model = route.model
        return ChatEventStream {
            UpstreamEventSource<Format>(body: response.body.makeAsyncIterator(), model: model)
        }
    }

    private func send(_ request: ChatRequest, route: ModelRoute, stream: Bool) async throws -> HTTPClientResponse {
        let body = try Format.encodeRequest(request, for: route.model, stream: stream)
        var upstream = HTTPClientRequest(url: endpoint.url(apiBase: route.model.apiBase))
        upstream.method = .POST
        upstream.headers = endpoint.headers(route.apiKey)
        if stream { upstream.headers.add(name: "accept", value: "text/event-stream") }
        upstream.body = .bytes(ByteBuffer(data: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(upstream, timeout: .milliseconds(route.model.timeoutMilliseconds))
        } catch {
            throw UpstreamFailure.gatewayError(for: error, model: route.model)
        }
        guard (200..<300).contains(response.status.code) else {
            let errorBody = try? await response.body.collect(upTo: 1 << 20)
            let message = errorBody.flatMap { Format.upstreamErrorMessage(Data(buffer: $0)) }
            throw UpstreamFailure.gatewayError(
                status: Int(response.status.code),
                message: message,
                retryAfter: response.headers.first(name: "retry-after")
            )
        }
        return response
    }
}

extension HTTPChatProvider where Format == OpenAIChatFormat {
    public static func openAI(client: HTTPClient) -> Self {
        HTTPChatProvider(client: client, endpoint: .openAI)
    }
}

extension ModelConfig {
    /// `timeoutSeconds` in milliseconds; the default 600 s if it breaks `isTimeout` (configurations are checked
    /// where they are read, but a Swift program can build one directly).
    var timeoutMilliseconds: Int64 {
        Int64(((Self.isTimeout(timeoutSeconds) ? timeoutSeconds : 600) * 1000).rounded())
    }
}
