import ArgumentParser
import Hummingbird
import MockUpstream

struct MockUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-upstream",
        abstract:
            "Serve a fake provider (OpenAI and Anthropic wire formats, with fault injection) for tests and benchmarks."
    )

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8081

    func run() async throws {
        let app = buildMockUpstream(MockUpstreamConfiguration(host: host, port: port))
        try await app.runService()
    }
}
