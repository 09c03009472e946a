public import HummingbirdCore
public import Logging
public import NIOCore

/// Serves each connection of `Inner` in a task that runs on the connection's own event loop.
///
/// Hummingbird handles a connection in a task on Swift's global executor, so each request would cross threads
/// several times: the loop hands the request to a pool thread, the upstream client's loop sends the upstream
/// request and hands its answer back, and the reply goes back to the connection's loop — every crossing a
/// thread wake-up. Bound to the connection's loop, the handler, the upstream call (the shared client picks the
/// current loop and, when it has one, an idle connection on it) and the reply all run on one thread.
///
/// Work on this path must not block: a blocked loop stalls every connection on it.
public struct EventLoopBoundChannel<Inner: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Inner.Value

    let inner: Inner

    public init(_ inner: Inner) {
        self.inner = inner
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger)
    }

    public func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await inner.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with each connection served on its own event loop (`EventLoopBoundChannel`).
    public static func eventLoopBoundHTTP1() -> HTTPServerBuilder {
        HTTPServerBuilder { responder in EventLoopBoundChannel(HTTP1Channel(responder: responder)) }
    }
}
