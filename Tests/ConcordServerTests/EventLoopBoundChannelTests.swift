import ConcordServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

/// The gateway serves each connection on its own event loop, so a call crosses no threads on the way through;
/// routes that do heavier work opt out.
@Suite struct EventLoopBoundChannelTests {
    @Test func handlersRunOnTheConnectionsEventLoopAcrossSuspensions() async throws {
        let router = Router()
        router.get("/where") { _, _ -> String in
            let before = MultiThreadedEventLoopGroup.currentEventLoop
            // A suspension that completes on another thread: the handler must come back to its loop.
            try await Task.detached { try await Task.sleep(for: .milliseconds(5)) }.value
            let after = MultiThreadedEventLoopGroup.currentEventLoop
            return "\(before != nil) \(before === after)"
        }
        router.group("report").add(middleware: OffEventLoopMiddleware()).get { _, _ -> String in
            "\(MultiThreadedEventLoopGroup.currentEventLoop != nil)"
        }
        let app = Application(
            router: router,
            server: .eventLoopBoundHTTP1(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live) { client in
            for _ in 0..<3 {
                let response = try await client.execute(uri: "/where", method: .get)
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "true true")
            }
            // Heavier routes leave the loop, so they cannot stall the calls that share it.
            let report = try await client.execute(uri: "/report", method: .get)
            #expect(String(buffer: report.body) == "false")
        }
    }
}
