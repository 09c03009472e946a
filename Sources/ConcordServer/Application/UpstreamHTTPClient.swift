public import AsyncHTTPClient
import NIOCore
import NIOPosix
public import ServiceLifecycle

/// The one shared upstream HTTP client, as a service: every provider call reuses its pooled connections,
/// and it shuts down after the server has stopped taking requests.
public struct UpstreamHTTPClient: Service {
    public let client: HTTPClient

    public init(maxConnectionsPerHost: Int = 1024) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost
        )
        // Upstreams answer slowly by nature; the per-model deadline bounds the wait for an answer to start,
        // this bounds a stalled stream.
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(600))
        // A refused connection is an answer: fail the call at once (502) instead of retrying until the
        // connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .enabled(limit: .ratio(50))
        // No distributed-tracing spans: the gateway ties calls together with its own trace ids, and the client's
        // span bookkeeping (the request URL parsed again for its attributes) costs every call even when no
        // tracer is installed.
        configuration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
