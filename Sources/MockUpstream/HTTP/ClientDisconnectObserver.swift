import NIOCore

/// Reports when the client closes its side of the connection.
///
/// The server allows half-closure, so a client that gives up shows as `inputClosed` while the channel
/// stays active; Hummingbird's own inbound-close helper cannot be used once the body has been read.
final class ClientDisconnectObserver: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    private let onDisconnect: @Sendable () -> Void

    init(onDisconnect: @escaping @Sendable () -> Void) {
        self.onDisconnect = onDisconnect
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            onDisconnect()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        onDisconnect()
        context.fireChannelInactive()
    }
}

extension MockUpstreamRequestContext {
    /// Returns once the client has disconnected (or the task is cancelled).
    func clientDisconnected() async throws {
        let (disconnected, signal) = AsyncStream<Void>.makeStream()
        try await channel.pipeline.addHandler(ClientDisconnectObserver { signal.finish() })
        for await _ in disconnected {}
    }
}
