#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// `ProxyFloor LISTEN_PORT UPSTREAM_PORT [UPSTREAM_KEY]`: forwards every request to 127.0.0.1:UPSTREAM_PORT on
/// one upstream connection per caller connection, on the caller's event loop, and relays the answer — the
/// request body and the answer are passed through untouched. What is left is the cost of the network stack,
/// HTTP/1 parsing and NIO itself: a lower bound for any gateway built on them.

/// The answer to the request in flight on one upstream connection, collected whole.
final class UpstreamAnswer: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    var onAnswer: ((HTTPResponseHead, ByteBuffer?) -> Void)?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
            body = nil
        case .body(var part):
            body.append(&part)
        case .end:
            if let head, let answer = onAnswer {
                onAnswer = nil
                answer(head, body)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        onAnswer.map { $0(HTTPResponseHead(version: .http1_1, status: .badGateway), nil) }
        onAnswer = nil
    }
}

/// One caller connection: each request is sent upstream as one write, each answer relayed as one write.
final class Relay: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let upstreamPort: Int
    private let upstreamAuthorization: String
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var upstream: Channel?
    private let answer = UpstreamAnswer()

    init(upstreamPort: Int, upstreamKey: String) {
        self.upstreamPort = upstreamPort
        self.upstreamAuthorization = "Bearer \(upstreamKey)"
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = nil
        case .body(var part):
            body.append(&part)
        case .end:
            forward(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        upstream?.close(promise: nil)
    }

    private func forward(context: ChannelHandlerContext) {
        if let upstream, upstream.isActive {
            send(context: context, on: upstream)
            return
        }
        let answer = self.answer
        ClientBootstrap(group: context.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMap { channel.pipeline.addHandler(answer) }
            }
            .connect(host: "127.0.0.1", port: upstreamPort)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.upstream = channel
                    self.send(context: context, on: channel)
                case .failure:
                    self.reply(context: context, HTTPResponseHead(version: .http1_1, status: .badGateway), nil)
                }
            }
    }

    private func send(context: ChannelHandlerContext, on channel: Channel) {
        guard let head else { return }
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "127.0.0.1:\(upstreamPort)")
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "authorization", value: upstreamAuthorization)
        headers.add(name: "content-length", value: String(body?.readableBytes ?? 0))
        answer.onAnswer = { answerHead, answerBody in self.reply(context: context, answerHead, answerBody) }
        let upstreamHead = HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
        channel.write(HTTPClientRequestPart.head(upstreamHead), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    private func reply(context: ChannelHandlerContext, _ answerHead: HTTPResponseHead, _ answerBody: ByteBuffer?) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(answerBody?.readableBytes ?? 0))
        let keepAlive = head?.isKeepAlive ?? false
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let replyHead = HTTPResponseHead(version: .http1_1, status: answerHead.status, headers: headers)
        context.write(wrapOutboundOut(.head(replyHead)), promise: nil)
        if let answerBody { context.write(wrapOutboundOut(.body(.byteBuffer(answerBody))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}

extension Optional where Wrapped == ByteBuffer {
    /// Appends a body part to the body collected so far.
    mutating func append(_ part: inout ByteBuffer) {
        if self == nil { self = part } else { self!.writeBuffer(&part) }
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let listenPort = Int(arguments[1]), let upstreamPort = Int(arguments[2]) else {
    print("usage: ProxyFloor LISTEN_PORT UPSTREAM_PORT [UPSTREAM_KEY]")
    exit(2)
}
let upstreamKey = arguments.count > 3 ? arguments[3] : "sk-floor"
// Two loops on two cores, as the gateway's server runs.
let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let server = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 256)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
            channel.pipeline.addHandler(Relay(upstreamPort: upstreamPort, upstreamKey: upstreamKey))
        }
    }
    .bind(host: "127.0.0.1", port: listenPort).wait()
print("ProxyFloor: 127.0.0.1:\(listenPort) -> 127.0.0.1:\(upstreamPort)")
try server.closeFuture.wait()
