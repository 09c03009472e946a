import ConcordServer
import ExampleAgents
import Foundation

// `swift run agent-example "your request"`: runs the router → tool → chat agent loop in-process against the
// built-in mock model (or MODEL=...), records every call in the database (CONCORD_DATABASE_URL, default
// ./agent-example.sqlite), and prints the trace as a tree.
let arguments = CommandLine.arguments.dropFirst()
let message = arguments.isEmpty ? "What's a good name for a cat?" : arguments.joined(separator: " ")
var configuration = try ServerConfiguration.load()
if ProcessInfo.processInfo.environment["CONCORD_DATABASE_URL"] == nil {
    configuration.databaseURL = "sqlite://./agent-example.sqlite"
}
let model = ProcessInfo.processInfo.environment["MODEL"] ?? "mock/agent"
let runtime = try await GatewayRuntime.make(configuration)
let outcome = try await runtime.run { gateway in
    let chat = ChatAgent(gateway: gateway, model: model)
    return try await RouterAgent(gateway: gateway, model: model, chatAgent: chat).handle(message)
}
print("routed to: \(outcome.destination)")
print("answer:    \(outcome.answer)\n")
print(
    try await CallLogReport.render(
        databaseURL: configuration.databaseURL, filter: .init(traceID: outcome.traceID), json: false))
