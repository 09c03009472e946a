import Hummingbird
import HummingbirdTesting
import MockUpstream
import Testing

/// Behaviour that only a real socket shows: dropped connections and clients that give up.
@Suite("Live server")
struct LiveServerTests {
    static func withLiveMockUpstream(_ test: @Sendable @escaping (Int) async throws -> Void) async throws {
        try await buildMockUpstream(MockUpstreamConfiguration(port: 0)).test(.live) { client in
            try await test(try #require(client.port))
        }
    }

    @Test(arguments: MockRoute.allCases)
    func streamCutLeavesTheClientWithAnUnfinishedResponse(route: MockRoute) async throws {
        try await Self.withLiveMockUpstream { port in
            _ = await #expect(throws: (any Error).self) {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                    try await client.post(
                        route.path, headers: route.headers(),
                        body: ByteBuffer(string: route.body(model: "stream-cut", stream: true))
                    )
                }
            }
        }
    }

    /// If the hung request outlived its client, the server's graceful shutdown would wait for it and
    /// the time limit would fail this test.
    @Test(.timeLimit(.minutes(1)), arguments: MockRoute.allCases)
    func hangEndsWhenTheClientGivesUp(route: MockRoute) async throws {
        try await Self.withLiveMockUpstream { port in
            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                let request = TestClient.Request(
                    route.path, method: .post, headers: route.headers(),
                    body: ByteBuffer(string: route.body(model: "hang"))
                )
                try await client.executeAndDontWaitForResponse(request)
                try await Task.sleep(for: .milliseconds(200))
            }  // leaving `withClient` closes the connection: the client gives up
        }
    }
}
