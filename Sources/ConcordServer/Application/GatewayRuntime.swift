public import ConcordGateway
import ConcordProviders
public import ConcordStore
import Foundation
public import Logging
public import ServiceLifecycle

/// The gateway with everything it records into: the migrated store, the log writer and the shared upstream
/// client. The HTTP server is built on it; Swift programs use it directly for in-process calls.
public struct GatewayRuntime: Sendable {
    public let gateway: Gateway
    public let store: SQLStore
    public let writer: LogWriter
    /// Budgets and rate limits, checked by the gateway before each call.
    public let limiter: UsageLimiter
    let upstream: UpstreamHTTPClient

    /// In start order; they shut down in reverse, so the writer drains before the store closes.
    public var services: [any Service] { [store, upstream, writer, limiter] }

    /// Opens and migrates the database, upserts the configured models, and builds the gateway.
    public static func make(_ configuration: ServerConfiguration, logger: Logger = Logger(label: "concord"))
        async throws
        -> GatewayRuntime
    {
        let store = try SQLStore(url: configuration.databaseURL, logger: logger)
        do {
            try await store.migrate()
            try await store.upsertModels(configuration.models)
            let writer = try LogWriter(
                sink: store,
                configuration: .init(
                    spoolPath: configuration.resolvedSpoolPath,
                    memoryThresholdBytes: configuration.writerMemory.spillBytes,
                    hardCapBytes: configuration.writerMemory.limitBytes
                ),
                logger: logger
            )
            let upstream = UpstreamHTTPClient()
            let limiter = UsageLimiter(store: store, policy: configuration.limits, logger: logger)
            await limiter.refresh()
            let gateway = Gateway(
                catalog: configuration.catalog(including: try await store.models()),
                providers: standardProviders(httpClient: upstream.client),
                recorder: CallMetrics(next: writer),
                admission: limiter,
                recording: configuration.recording
            )
            return GatewayRuntime(gateway: gateway, store: store, writer: writer, limiter: limiter, upstream: upstream)
        } catch {
            try? await store.shutdown()
            throw error
        }
    }

    /// Runs the runtime's services around `body` for in-process use, then shuts them down gracefully, so
    /// every call `body` made is in the database when this returns.
    public func run<T: Sendable>(
        logger: Logger = Logger(label: "concord"),
        _ body: @Sendable (Gateway) async throws -> T
    ) async throws -> T {
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body(gateway))
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try outcome.get()
        }
    }
}

extension ServerConfiguration {
    /// The spool file: `spoolPath` if set, else `CONCORD_SPOOL_PATH`, else beside a SQLite file, else
    /// `./concord.spool`.
    var resolvedSpoolPath: String {
        if let spoolPath { return spoolPath }
        if let path = environment["CONCORD_SPOOL_PATH"], !path.isEmpty { return path }
        if databaseURL.hasPrefix("sqlite://") {
            let path = String(databaseURL.dropFirst("sqlite://".count))
            if !path.isEmpty, !path.hasPrefix(":memory:") { return path + ".spool" }
        }
        return "./concord.spool"
    }
}
