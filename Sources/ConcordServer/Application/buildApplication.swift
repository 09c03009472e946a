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
    let store = try SQLStore(url: configuration.databaseURL, logger: logger)
    try await store.migrate()
    try await store.upsertModels(configuration.models)
    let writer = try LogWriter(
        sink: store,
        configuration: .init(spoolPath: configuration.resolvedSpoolPath),
        logger: logger
    )
    let upstream = UpstreamHTTPClient()
    let gateway = Gateway(
        catalog: configuration.catalog,
        providers: standardProviders(httpClient: upstream.client),
        recorder: writer
    )
    let adminKey = configuration.adminKey ?? BootstrapAdminKey.generateAndAnnounce()
    let health = HealthController {
        let reachable = (try? await store.ping()) != nil
        return .init(databaseReachable: reachable, pendingRecords: writer.pendingCount, spooledRecords: writer.spooledCount)
    }
    let router = buildRouter(
        RouterDependencies(
            gateway: gateway,
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
        services: [store, upstream, writer],
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

extension ServerConfiguration {
    /// The spool file: `spoolPath` if set, else beside a SQLite file, else `./concord.spool`.
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
