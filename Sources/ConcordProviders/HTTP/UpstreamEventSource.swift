import AsyncHTTPClient
import ConcordCore
import ConcordWire
import NIOCore

/// Reads one upstream SSE response as canonical events: bytes → SSE events → the format's decoder.
/// Pulls from the network only when asked for the next event, so a slow caller slows the upstream read
/// instead of growing a buffer, and a caller that stops iterating cancels the upstream request.
struct UpstreamEventSource<Format: ChatWireFormat>: ChatEventSource {
    private var body: HTTPClientResponse.Body.AsyncIterator
    private let model: ModelConfig
    private var parser = SSEParser()
    private var decoder = Format.makeStreamDecoder()
    private var pending: [StreamEvent] = []
    private var position = 0
    private var bodyEnded = false

    init(body: HTTPClientResponse.Body.AsyncIterator, model: ModelConfig) {
        self.body = body
        self.model = model
    }

    mutating func next() async throws -> StreamEvent? {
        while true {
            if position < pending.count {
                defer { position += 1 }
                return pending[position]
            }
            pending.removeAll(keepingCapacity: true)
            position = 0
            if bodyEnded {
                guard decoder.isComplete else {
                    throw GatewayError(.upstreamError, "The upstream closed the stream before it was complete.")
                }
                return nil
            }
            let chunk: ByteBuffer?
            do {
                chunk = try await body.next()
            } catch {
                throw UpstreamFailure.gatewayError(for: error, model: model, streaming: true)
            }
            let events: [SSEEvent]
            if let chunk {
                events = parser.feed(chunk.readableBytesView)
                if parser.isOverLimit {
                    throw GatewayError(
                        .upstreamError,
                        "The upstream sent a stream event over \(SSEParser.defaultMaximumEventBytes >> 20) MiB.")
                }
            } else {
                events = parser.finish()
                bodyEnded = true
            }
            for event in events where !decoder.isComplete {
                pending += try decoder.decode(event)
            }
        }
    }
}
