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
    let adminKey = configuration.adminKey ?? BootstrapAdminKey.generateAndAnnounce()
    let health = HealthController {
        let reachable = (try? await store.ping()) != nil
        return .init(databaseReachable: reachable, pendingRecords: writer.pendingCount, spooledRecords: writer.spooledCount)
    }
    let router = buildRouter(
        RouterDependencies(
            gateway: runtime.gateway,
            history: store,
            verifier: BootstrapKeyVerifier(adminKey: adminKey),
            health: health,
            maxBodyBytes: configuration.maxBodyBytes,
            defaultModel: configuration.defaultModel
        )
    )
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "concord"),
        services: runtime.services,
        logger: logger
    )
}

/// Applies pending migrations (for `concord migrate`).
public func migrateDatabase(_ configuration: ServerConfiguration, logger: Logger = Logger(label: "concord")) async throws {
    let store = try SQLStore(url: configuration.databaseURL, logger: logger)
    do {
        try await store.migrate()
    } catch {
        try? await store.shutdown()
        throw error
    }
    try await store.shutdown()
}

/// The admin key for a first run where none is configured: made up, printed once, never stored in clear.
enum BootstrapAdminKey {
    static func generateAndAnnounce() -> String {
        let key = APIKeyHash.generate()
        let announcement =
            """
            No CONCORD_ADMIN_KEY is set, so this run generated an admin key. It is shown only now:

                \(key)

            Use it as 'Authorization: Bearer <key>'. Set CONCORD_ADMIN_KEY to choose your own.

            """
        // Unbuffered, so the key shows even when stdout is a file or a pipe.
        FileHandle.standardOutput.write(Data(announcement.utf8))
        return key
    }
}
