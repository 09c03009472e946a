public import ConcordProviders
public import ServiceLifecycle

/// The one shared upstream HTTP client, as a service: every provider call reuses its pooled connections,
/// and it closes them after the server has stopped taking requests.
public struct UpstreamHTTPClient: Service {
    public let client: UpstreamClient

    public init() {
        // Upstreams answer slowly by nature; the per-model deadline bounds the wait for an answer to start,
        // the read timeout a stalled stream. A refused connection is an answer: it fails the call at once (502).
        self.client = UpstreamClient(configuration: .init(connectTimeout: .seconds(5), readTimeout: .seconds(600)))
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
