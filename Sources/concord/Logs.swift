import ArgumentParser
import ConcordServer
import ConcordStore

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show recent calls, or one trace as a tree.")

    @Option(name: .long, help: "Show this trace's calls as a tree.")
    var trace: String?

    @Option(name: .long, help: "Only calls to this model.")
    var model: String?

    @Option(name: .long, help: "Only calls by this user.")
    var user: String?

    @Option(name: .long, help: "How many calls (1-500).")
    var limit = 20

    @Option(name: .long, help: "Continue from a previous page's cursor.")
    var cursor: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        guard (1...CallLogFilter.maximumLimit).contains(limit) else {
            throw ValidationError("--limit must be from 1 to \(CallLogFilter.maximumLimit).")
        }
        if let cursor, !CallLogFilter.isCursor(cursor) {
            throw ValidationError("--cursor must be the cursor a previous page printed, as printed.")
        }
    }

    func run() async throws {
        let configuration = try ServerConfiguration.load(
            overrides: .init(databaseURL: options.database, configPath: options.config)
        )
        let filter = CallLogFilter(model: model, userID: user, traceID: trace, limit: limit, cursor: cursor)
        print(try await CallLogReport.render(databaseURL: configuration.databaseURL, filter: filter, json: json))
    }
}
