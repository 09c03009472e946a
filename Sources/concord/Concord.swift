import ArgumentParser

/// `concord`: the gateway's command line. Each subcommand only parses arguments and calls the libraries.
@main
struct Concord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concord",
        abstract: "Concord Gateway: one recorded entry point for every LLM call.",
        subcommands: [Serve.self, Migrate.self, Keys.self, Logs.self, Stats.self, MockUpstreamCommand.self]
    )
}

/// The options every database-using command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long, help: "Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DB (env CONCORD_DATABASE_URL).")
    var database: String?

    @Option(name: .long, help: "Configuration file, YAML or JSON (env CONCORD_CONFIG).")
    var config: String?
}
