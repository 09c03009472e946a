import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection to an upstream, carrying one exchange at a time, used only on its event loop.
///
/// A request goes out as one write (head, body and end, flushed once). The answer's head completes the caller's
/// promise with an `UpstreamBody` that yields the body parts as they are read. Reads are explicit (the channel
/// does not read on its own): the connection asks for more only while the reader keeps up, so a slow caller slows
/// the upstream instead of growing a buffer. An exchange that ends cleanly, on a response that allows it, leaves
/// the connection reusable; anything else closes it.
final class UpstreamConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        /// No exchange: in the pool, or about to be.
        case idle
        case awaitingHead(EventLoopPromise<UpstreamResponse>, deadline: Scheduled<Void>)
        case readingBody(UpstreamBody.Producer.Source, keepAlive: Bool)
        case closed
    }

    let origin: UpstreamURL.Origin
    /// Told when an exchange has ended and the connection can carry another.
    var onReusable: ((UpstreamConnection) -> Void)?
    private var state = State.idle
    private var context: ChannelHandlerContext?
    /// The reader has as much buffered as it wants: read again when it asks.
    private var readPaused = false
    /// Counts exchanges, so a body reader's late signal never reaches the exchange after its own.
    private var exchange = 0

    init(origin: UpstreamURL.Origin) {
        self.origin = origin
    }

    /// Open, and between exchanges.
    var isReusable: Bool {
        guard case .idle = state, let context else { return false }
        return context.channel.isActive
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Sends one request; `promise` gets the answer's head and body, or the failure. Returns the exchange's
    /// number, for `cancel(exchange:)`.
    @discardableResult
    func start(
        _ head: HTTPRequestHead,
        body: ByteBuffer,
        deadline: NIODeadline,
        promise: EventLoopPromise<UpstreamResponse>
    ) -> Int {
        guard let context, case .idle = state, context.channel.isActive else {
            promise.fail(UpstreamTransportError.remoteClosed)
            return -1
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.fail(UpstreamTransportError.deadlineExceeded)
        }
        state = .awaitingHead(promise, deadline: timer)
        readPaused = false
        exchange += 1
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.read()
        return exchange
    }

    /// Stops exchange number `exchange` if it is still in progress, and closes the connection.
    func cancel(exchange: Int) {
        guard exchange == self.exchange else { return }
        switch state {
        case .awaitingHead, .readingBody: fail(UpstreamTransportError.cancelled)
        case .idle, .closed: break
        }
    }

    /// Ends any exchange in progress and closes the connection.
    func close() {
        fail(UpstreamTransportError.cancelled)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .awaitingHead(let promise, let timer) = state else {
                return fail(UpstreamTransportError.connectionFailed("the upstream sent an answer nobody asked for"))
            }
            timer.cancel()
            let demand = Demand(connection: self, exchange: exchange, eventLoop: context.eventLoop)
            let body = UpstreamBody.Producer.makeSequence(
                backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8),
                finishOnDeinit: false,
                delegate: demand
            )
            state = .readingBody(body.source, keepAlive: head.isKeepAlive)
            promise.succeed(
                UpstreamResponse(status: head.status, headers: head.headers, body: UpstreamBody(chunks: body.sequence))
            )
        case .body(let part):
            guard case .readingBody(let source, _) = state else { return }
            if source.yield(part) == .stopProducing { readPaused = true }
        case .end:
            guard case .readingBody(let source, let keepAlive) = state else { return }
            source.finish()
            if keepAlive {
                state = .idle
                // Read while idle only to notice the upstream closing the connection.
                context.read()
                onReusable?(self)
            } else {
                closeChannel()
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        switch state {
        case .awaitingHead, .readingBody:
            if !readPaused { context.read() }
        case .idle, .closed:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(UpstreamTransportError.remoteClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error as? UpstreamTransportError ?? .connectionFailed("\(error)"))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            fail(UpstreamTransportError.readTimeout)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Ends the exchange in progress with `error` (an idle connection just closes) and closes the connection.
    private func fail(_ error: any Error) {
        switch state {
        case .awaitingHead(let promise, let timer):
            timer.cancel()
            state = .closed
            promise.fail(error)
        case .readingBody(let source, _):
            state = .closed
            source.finish(error)
        case .idle:
            state = .closed
        case .closed:
            return
        }
        closeChannel()
    }

    private func closeChannel() {
        state = .closed
        context?.close(promise: nil)
    }

    /// The body's reader of `exchange` asks for more.
    private func readerWantsMore(_ exchange: Int) {
        guard exchange == self.exchange, readPaused, case .readingBody = state, let context else { return }
        readPaused = false
        context.read()
    }

    /// The body's reader of `exchange` is done; before the end, the rest of the answer will never be read.
    private func readerStopped(_ exchange: Int) {
        guard exchange == self.exchange, case .readingBody = state else { return }
        fail(UpstreamTransportError.cancelled)
    }

    /// The body sequence's demand, delivered on the connection's event loop.
    struct Demand: NIOAsyncSequenceProducerDelegate {
        let connection: NIOLoopBound<UpstreamConnection>
        let exchange: Int
        let eventLoop: any EventLoop

        init(connection: UpstreamConnection, exchange: Int, eventLoop: any EventLoop) {
            self.connection = NIOLoopBound(connection, eventLoop: eventLoop)
            self.exchange = exchange
            self.eventLoop = eventLoop
        }

        func produceMore() {
            let exchange = self.exchange
            run { $0.readerWantsMore(exchange) }
        }

        func didTerminate() {
            let exchange = self.exchange
            run { $0.readerStopped(exchange) }
        }

        private func run(_ body: @escaping @Sendable (UpstreamConnection) -> Void) {
            if eventLoop.inEventLoop {
                body(connection.value)
            } else {
                let connection = self.connection
                eventLoop.execute { body(connection.value) }
            }
        }
    }
}
