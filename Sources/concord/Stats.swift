import ArgumentParser
import ConcordServer
import ConcordStore
import Foundation

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Usage by model, provider, caller, user or time: requests, errors, tokens, cost, latency."
    )

    @Option(name: .long, help: "Group by model, provider, caller, user, hour or day (comma-separated).")
    var by: String?

    @Option(name: .long, help: "How far back: a duration such as 1h, 24h, 7d.")
    var since = "24h"

    @Option(name: .long, help: "Only calls to this model.")
    var model: String?

    @Option(name: .long, help: "Only calls by this caller name.")
    var caller: String?

    @Option(name: .long, help: "Only calls by this user.")
    var user: String?

    @Flag(name: .long, help: "Print the JSON of GET /api/llm/stats instead of a table.")
    var json = false

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        guard let seconds = DurationParameter.seconds(since) else {
            throw ValidationError("--since takes a duration such as 15m, 24h, 7d.")
        }
        var groupBy: [StatsDimension] = []
        for name in (by ?? "").split(separator: ",") {
            guard let dimension = StatsDimension(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--by takes model, provider, caller, user, hour, day (comma-separated).")
            }
            groupBy.append(dimension)
        }
        let configuration = try ServerConfiguration.load(
            overrides: .init(databaseURL: options.database, configPath: options.config)
        )
        let now = Date().timeIntervalSince1970
        let query = StatsQuery(
            groupBy: groupBy, since: now - seconds, until: now, model: model, callerName: caller, userID: user)
        print(try await StatsReport.render(databaseURL: configuration.databaseURL, query: query, json: json))
    }
}
