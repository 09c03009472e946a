import ArgumentParser
import ConcordServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Every logger in the process writes through `LineLogHandler` (set once, before the first logger is made).
private let loggingBootstrap: Void = LoggingSystem.bootstrap { label in
    LineLogHandler.standardError(label: label, metadataProvider: nil)
}

extension Logger {
    /// The process's logger, at `CONCORD_LOG_LEVEL` (trace, debug, info, notice, warning, error, critical;
    /// default info).
    static var concord: Logger {
        loggingBootstrap
        var logger = Logger(label: "concord")
        if let level = ProcessInfo.processInfo.environment["CONCORD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) {
            logger.logLevel = level
        }
        return logger
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations, then serve HTTP (default 127.0.0.1:8080, SQLite ./concord.sqlite)."
    )

    @Option(name: .long, help: "Address to listen on (env CONCORD_HOST).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (env CONCORD_PORT).")
    var port: Int?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let configuration = try ServerConfiguration.load(
            overrides: .init(host: host, port: port, databaseURL: options.database, configPath: options.config)
        )
        let logger = Logger.concord
        let app = try await buildApplication(configuration, logger: logger)
        var group = ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        try await ServiceGroup(configuration: group).run()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let configuration = try ServerConfiguration.load(
            overrides: .init(databaseURL: options.database, configPath: options.config)
        )
        try await migrateDatabase(configuration)
        print("The database is up to date.")
    }
}
