public import NIOCore
public import NIOHTTP1

/// An upstream's answer: its head at once, its body as it arrives.
public struct UpstreamResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: UpstreamBody
}

/// The body of an upstream answer, read once. Reading is paced by the reader: the connection reads from the
/// network only while a few chunks at most wait unread. A reader that stops early (or is cancelled) closes the
/// connection.
public struct UpstreamBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark,
        UpstreamConnection.Demand
    >

    let chunks: Producer

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: chunks.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: Producer.AsyncIterator

        public mutating func next() async throws -> ByteBuffer? {
            try await chunks.next()
        }
    }

    /// The whole body; throws `UpstreamTransportError.bodyTooLarge` past `limit` bytes.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var iterator = makeAsyncIterator()
        guard var body = try await iterator.next() else { return ByteBuffer() }
        while var chunk = try await iterator.next() {
            guard body.readableBytes + chunk.readableBytes <= limit else {
                throw UpstreamTransportError.bodyTooLarge(limit: limit)
            }
            body.writeBuffer(&chunk)
        }
        guard body.readableBytes <= limit else { throw UpstreamTransportError.bodyTooLarge(limit: limit) }
        return body
    }
}
