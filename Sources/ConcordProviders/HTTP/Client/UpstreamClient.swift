public import NIOCore
public import NIOHTTP1
public import NIOPosix
public import NIOSSL

/// The gateway's HTTP/1.1 client for upstream calls: one request per connection at a time, idle connections
/// kept per event loop and origin, TLS for `https` upstreams.
///
/// Written for the one thing the gateway does with HTTP — send a JSON body, read an answer or a stream — at the
/// least cost per call: the request leaves in one write, the answer is read on the calling task's event loop
/// (a connection's task runs on its loop, see `EventLoopBoundChannel`), and there is no shared pool state to
/// lock. Side by side with AsyncHTTPClient, which it replaces, it cuts ~100 µs of CPU per call
/// (BENCHMARKS.md).
public final class UpstreamClient: Sendable {
    public struct Configuration: Sendable {
        /// Longest wait for a TCP connection (and its TLS handshake).
        public var connectTimeout: TimeAmount
        /// Longest silence while an answer is being read: a stalled stream fails after it.
        public var readTimeout: TimeAmount
        /// Idle connections kept per event loop and origin; more are closed when their exchange ends.
        public var maxIdlePerOrigin: Int
        /// A connection idle for longer is closed instead of reused (upstreams close idle connections too).
        public var maxIdleTime: TimeAmount
        /// For `https` upstreams; `nil`: the system's trust roots, certificates verified.
        public var tls: TLSConfiguration?

        public init(
            connectTimeout: TimeAmount = .seconds(5),
            readTimeout: TimeAmount = .seconds(600),
            maxIdlePerOrigin: Int = 64,
            maxIdleTime: TimeAmount = .seconds(60),
            tls: TLSConfiguration? = nil
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.maxIdlePerOrigin = maxIdlePerOrigin
            self.maxIdleTime = maxIdleTime
            self.tls = tls
        }
    }

    private let group: any EventLoopGroup
    private let configuration: Configuration
    private let pools: [ObjectIdentifier: LoopPool]
    private let tlsContext: Result<NIOSSLContext, any Error>

    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, configuration: Configuration = .init()
    ) {
        self.group = group
        self.configuration = configuration
        var pools: [ObjectIdentifier: LoopPool] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = LoopPool(
                eventLoop: loop,
                maxIdlePerOrigin: configuration.maxIdlePerOrigin,
                maxIdleTime: configuration.maxIdleTime
            )
        }
        self.pools = pools
        self.tlsContext = Result { try NIOSSLContext(configuration: configuration.tls ?? .makeClientConfiguration()) }
    }

    /// Sends `body` to `url` and returns the answer once its head has arrived (before `deadline`). Read the
    /// body to the end, or drop it: a body not read to the end closes its connection.
    public func execute(
        _ method: HTTPMethod = .POST,
        url: String,
        headers: HTTPHeaders,
        body: ByteBuffer,
        deadline: NIODeadline
    ) async throws -> UpstreamResponse {
        guard let target = UpstreamURL(url) else { throw UpstreamTransportError.invalidURL(url) }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target.target, headers: headers)
        head.headers.replaceOrAdd(name: "host", value: target.hostHeader)
        head.headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        // The calling task's own loop when it runs on one: no thread hop on the way out or back.
        let pool =
            MultiThreadedEventLoopGroup.currentEventLoop.flatMap { pools[ObjectIdentifier($0)] }
            ?? pool(for: group.next())
        let exchange = Exchange()
        return try await withTaskCancellationHandler {
            let promise = pool.eventLoop.makePromise(of: UpstreamResponse.self)
            if pool.eventLoop.inEventLoop {
                start(head, body: body, on: target.origin, deadline: deadline, pool: pool, exchange: exchange, promise)
            } else {
                pool.eventLoop.execute {
                    self.start(
                        head, body: body, on: target.origin, deadline: deadline, pool: pool, exchange: exchange, promise
                    )
                }
            }
            return try await promise.futureResult.get()
        } onCancel: {
            pool.eventLoop.execute { exchange.cancel() }
        }
    }

    /// Closes every idle connection. Exchanges in progress run to their end.
    public func shutdown() async {
        for pool in pools.values {
            try? await pool.eventLoop.submit { pool.closeAll() }.get()
        }
    }

    private func pool(for loop: any EventLoop) -> LoopPool {
        guard let pool = pools[ObjectIdentifier(loop)] else { preconditionFailure("an event loop of another group") }
        return pool
    }

    /// On `pool`'s event loop: an idle connection to `origin`, or a new one, then the request.
    private func start(
        _ head: HTTPRequestHead,
        body: ByteBuffer,
        on origin: UpstreamURL.Origin,
        deadline: NIODeadline,
        pool: LoopPool,
        exchange: Exchange,
        _ promise: EventLoopPromise<UpstreamResponse>
    ) {
        guard !exchange.isCancelled else { return promise.fail(UpstreamTransportError.cancelled) }
        if let connection = pool.takeIdle(origin) {
            return exchange.start(on: connection, head, body: body, deadline: deadline, promise)
        }
        connect(to: origin, pool: pool).whenComplete { result in
            switch result {
            case .success(let connection):
                guard !exchange.isCancelled else {
                    pool.release(connection)
                    return promise.fail(UpstreamTransportError.cancelled)
                }
                exchange.start(on: connection, head, body: body, deadline: deadline, promise)
            case .failure(let error):
                promise.fail(error)
            }
        }
    }

    private func connect(to origin: UpstreamURL.Origin, pool: LoopPool) -> EventLoopFuture<UpstreamConnection> {
        let eventLoop = pool.eventLoop
        let tls: NIOSSLContext?
        if origin.isTLS {
            switch tlsContext {
            case .success(let context): tls = context
            case .failure(let error):
                return eventLoop.makeFailedFuture(
                    UpstreamTransportError.connectionFailed("TLS is not available: \(error)"))
            }
        } else {
            tls = nil
        }
        let readTimeout = configuration.readTimeout
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.autoRead, value: false)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        // Certificates are checked against the host name; an IP address is checked as one.
                        let name = origin.host.isIPAddress ? nil : origin.host
                        try pipeline.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(IdleStateHandler(readTimeout: readTimeout))
                }
            }
            .connect(host: origin.host, port: origin.port)
            .flatMapErrorThrowing { error in
                if case ChannelError.connectTimeout = error { throw UpstreamTransportError.connectTimeout }
                throw UpstreamTransportError.connectionFailed("\(error)")
            }
            .flatMapThrowing { channel in
                let connection = UpstreamConnection(origin: origin)
                connection.onReusable = { pool.release($0) }
                try channel.pipeline.syncOperations.addHandler(connection)
                return connection
            }
    }
}

/// One call's handle on its exchange, for cancellation. Used only on the call's event loop.
private final class Exchange: @unchecked Sendable {
    private var connection: UpstreamConnection?
    private var number = 0
    private(set) var isCancelled = false

    func start(
        on connection: UpstreamConnection,
        _ head: HTTPRequestHead,
        body: ByteBuffer,
        deadline: NIODeadline,
        _ promise: EventLoopPromise<UpstreamResponse>
    ) {
        self.connection = connection
        number = connection.start(head, body: body, deadline: deadline, promise: promise)
    }

    /// Ends this call's exchange if it is still in progress — never the next call's on the same connection.
    func cancel() {
        isCancelled = true
        connection?.cancel(exchange: number)
    }
}

/// One event loop's idle connections, by origin. Used only on that loop.
private final class LoopPool: @unchecked Sendable {
    let eventLoop: any EventLoop
    private let maxIdlePerOrigin: Int
    private let maxIdleTime: TimeAmount
    private var idle: [UpstreamURL.Origin: [(connection: UpstreamConnection, since: NIODeadline)]] = [:]

    init(eventLoop: any EventLoop, maxIdlePerOrigin: Int, maxIdleTime: TimeAmount) {
        self.eventLoop = eventLoop
        self.maxIdlePerOrigin = maxIdlePerOrigin
        self.maxIdleTime = maxIdleTime
    }

    /// The most recently used open connection to `origin`; closed or stale ones found on the way are dropped.
    func takeIdle(_ origin: UpstreamURL.Origin) -> UpstreamConnection? {
        eventLoop.preconditionInEventLoop()
        let oldest = NIODeadline.now() - maxIdleTime
        while let (connection, since) = idle[origin]?.popLast() {
            if connection.isReusable && since > oldest { return connection }
            connection.close()
        }
        return nil
    }

    func release(_ connection: UpstreamConnection) {
        eventLoop.preconditionInEventLoop()
        guard connection.isReusable, idle[connection.origin, default: []].count < maxIdlePerOrigin else {
            return connection.close()
        }
        idle[connection.origin, default: []].append((connection, .now()))
    }

    func closeAll() {
        for (connection, _) in idle.values.joined() { connection.close() }
        idle = [:]
    }
}

extension String {
    /// An IPv4 or IPv6 literal (no TLS server name is sent for one).
    fileprivate var isIPAddress: Bool {
        contains(":") || (split(separator: ".").count == 4 && allSatisfy { $0.isNumber || $0 == "." })
    }
}
