import ConcordCore
import ConcordGateway
import ConcordProviders
import ConcordStore
import Foundation
public import Hummingbird
public import Logging
import ServiceLifecycle

/// Builds the whole gateway from its configuration: store (migrated), log writer, upstream client, gateway
/// and routes, with every long-lived piece a service in the application's service group.
///
/// Shutdown runs in reverse order of `services`: the server stops taking requests first, then the writer
/// drains every record, then the upstream client and the store close.
public func buildApplication(
    _ configuration: ServerConfiguration,
    logger: Logger = Logger(label: "concord")
) async throws -> some ApplicationProtocol {
    let runtime = try await GatewayRuntime.make(configuration, logger: logger)
    let store = runtime.store
    let writer = runtime.writer
    if configuration.adminKey == nil, let firstKey = try await APIKeyIssuer.issueFirstAdminKey(in: store) {
        FirstRunKeyAnnouncement.print(firstKey)
    }
    let verifier = StoreKeyVerifier(store: store, adminKey: configuration.adminKey, logger: logger)
    let health = HealthController {
        let reachable = await store.answers(within: .seconds(1))
        return .init(
            databaseReachable: reachable, pendingRecords: writer.pendingCount, spooledRecords: writer.spooledCount)
    }
    let router = buildRouter(
        RouterDependencies(
            gateway: runtime.gateway,
            history: store,
            verifier: verifier,
            health: health,
            maxBodyBytes: configuration.maxBodyBytes,
            defaultModel: configuration.defaultModel,
            usage: store,
            admin: AdminDependencies(
                store: store,
                verifier: verifier,
                limiter: runtime.limiter,
                providers: configuration.providers,
                environment: configuration.environment
            )
        )
    )
    return Application(
        router: router,
        server: .eventLoopBoundHTTP1(),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "concord"),
        services: runtime.services + [verifier],
        logger: logger
    )
}

/// Applies pending migrations (for `concord migrate`).
public func migrateDatabase(_ configuration: ServerConfiguration, logger: Logger = Logger(label: "concord"))
    async throws
{
    let store = try SQLStore(url: configuration.databaseURL, logger: logger)
    do {
        try await store.migrate()
    } catch {
        try? await store.shutdown()
        throw error
    }
    try await store.shutdown()
}

extension SQLStore {
    /// Whether the database answers a trivial query in time. `/health` must answer even when the database
    /// hangs, and a hung pool request ignores cancellation, so the probe is left to finish on its own.
    func answers(within limit: Duration) async -> Bool {
        await answer(within: limit) { (try? await self.ping()) != nil } ?? false
    }
}
