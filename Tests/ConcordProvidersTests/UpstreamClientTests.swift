import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import Testing

@testable import ConcordProviders

/// The upstream client against small local servers: TLS with a checked certificate, connection reuse, the
/// deadline, refused connections, and a reader that stops early.
@Suite("Upstream HTTP client")
struct UpstreamClientTests {
    @Test("an https upstream is reached with its certificate checked; consecutive calls reuse connections")
    func tlsAndReuse() async throws {
        try await withServer(.answer, tls: true) { server in
            let client = UpstreamClient(configuration: .init(tls: try Self.trustingFixture()))
            defer { Task { await client.shutdown() } }
            for index in 0..<6 {
                let response = try await client.execute(
                    url: "https://localhost:\(server.port)/v1/chat/completions",
                    headers: ["content-type": "application/json"],
                    body: ByteBuffer(string: "{\"n\":\(index)}"),
                    deadline: .now() + .seconds(5)
                )
                let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
                #expect(response.status == .ok)
                #expect(body == "POST /v1/chat/completions host=localhost:\(server.port) bytes=7")
            }
            // One idle connection per event loop at most: a caller off the loops is spread across them.
            let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator()).count
            #expect(server.connections <= min(loops, 5))
        }
    }

    @Test("an upstream whose certificate is not trusted is refused")
    func untrustedCertificate() async throws {
        try await withServer(.answer, tls: true) { server in
            let client = UpstreamClient()
            defer { Task { await client.shutdown() } }
            await #expect(throws: UpstreamTransportError.self) {
                _ = try await client.execute(
                    url: "https://localhost:\(server.port)/", headers: [:], body: ByteBuffer(),
                    deadline: .now() + .seconds(5))
            }
        }
    }

    @Test("no answer before the deadline fails the call with deadlineExceeded")
    func deadline() async throws {
        try await withServer(.silent, tls: false) { server in
            let client = UpstreamClient()
            defer { Task { await client.shutdown() } }
            await #expect(throws: UpstreamTransportError.deadlineExceeded) {
                _ = try await client.execute(
                    url: "http://127.0.0.1:\(server.port)/", headers: [:], body: ByteBuffer(string: "{}"),
                    deadline: .now() + .milliseconds(200))
            }
        }
    }

    @Test("a refused connection fails at once")
    func refused() async throws {
        let port = try await withServer(.answer, tls: false) { $0.port }  // closed again: nothing listens there
        let client = UpstreamClient()
        defer { Task { await client.shutdown() } }
        let started = ContinuousClock.now
        await #expect(throws: UpstreamTransportError.self) {
            _ = try await client.execute(
                url: "http://127.0.0.1:\(port)/", headers: [:], body: ByteBuffer(), deadline: .now() + .seconds(30))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a reader that stops before the end closes that connection; the next call gets a fresh one")
    func earlyStop() async throws {
        try await withServer(.chunks(200), tls: false) { server in
            let client = UpstreamClient()
            defer { Task { await client.shutdown() } }
            let url = "http://127.0.0.1:\(server.port)/stream"
            do {
                let response = try await client.execute(
                    url: url, headers: [:], body: ByteBuffer(), deadline: .now() + .seconds(5))
                var chunks = response.body.makeAsyncIterator()
                #expect(try await chunks.next() != nil)
            }
            let response = try await client.execute(
                url: url, headers: [:], body: ByteBuffer(), deadline: .now() + .seconds(5))
            #expect(try await response.body.collect(upTo: 1 << 20).readableBytes == 200 * 1024)
            #expect(server.connections == 2)
        }
    }

    @Test("upstream URLs: scheme, host, port and target; anything else is refused")
    func urls() throws {
        let plain = try #require(UpstreamURL("http://127.0.0.1:8000/v1/chat/completions?x=1#frag"))
        #expect(!plain.isTLS && plain.host == "127.0.0.1" && plain.port == 8000)
        #expect(plain.target == "/v1/chat/completions?x=1" && plain.hostHeader == "127.0.0.1:8000")
        let secure = try #require(UpstreamURL("https://api.openai.com/v1/chat/completions"))
        #expect(secure.isTLS && secure.port == 443 && secure.hostHeader == "api.openai.com")
        let ipv6 = try #require(UpstreamURL("http://[::1]:9000"))
        #expect(ipv6.host == "::1" && ipv6.port == 9000 && ipv6.target == "/" && ipv6.hostHeader == "[::1]:9000")
        for bad in ["ftp://x/", "http://", "http://user@host/", "http://host:0/", "http://host:70000/", "localhost:80"]
        {
            #expect(UpstreamURL(bad) == nil, "\(bad)")
        }
    }

    // MARK: - A local server

    enum Behaviour: Sendable {
        /// 200, `METHOD TARGET host=HOST bytes=N`, keep-alive.
        case answer
        /// Reads the request, never answers.
        case silent
        /// 200 with this many 1 KiB chunks.
        case chunks(Int)
    }

    final class Server: Sendable {
        let port: Int
        private let accepted = Mutex(0)
        var connections: Int { accepted.withLock { $0 } }
        func accept() { accepted.withLock { $0 += 1 } }
        init(port: Int) { self.port = port }
    }

    private func withServer<T>(
        _ behaviour: Behaviour,
        tls: Bool,
        _ body: (Server) async throws -> T
    ) async throws -> T {
        let tlsContext = tls ? try Self.serverContext() : nil
        let counter = Mutex<Server?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    counter.withLock { $0?.accept() }
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Responder(behaviour: behaviour))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = Server(port: channel.localAddress!.port!)
        counter.withLock { $0 = server }
        do {
            let result = try await body(server)
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    final class Responder: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let behaviour: Behaviour
        private let request = Mutex<(HTTPRequestHead?, Int)>((nil, 0))
        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): request.withLock { $0 = (head, 0) }
            case .body(let part): request.withLock { $0.1 += part.readableBytes }
            case .end:
                let (head, bytes) = request.withLock { $0 }
                guard let head else { return }
                switch behaviour {
                case .silent:
                    return
                case .answer:
                    let text = "\(head.method) \(head.uri) host=\(head.headers["host"].first ?? "") bytes=\(bytes)"
                    let headers: HTTPHeaders = ["content-length": String(text.utf8.count)]
                    context.write(
                        wrapOutboundOut(.head(.init(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                case .chunks(let count):
                    let headers: HTTPHeaders = ["transfer-encoding": "chunked"]
                    context.write(
                        wrapOutboundOut(.head(.init(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                    let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1024)
                    for _ in 0..<count {
                        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
                    }
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    // MARK: - A self-signed certificate for localhost and 127.0.0.1 (P-256, valid to 2126), made for these tests

    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBmjCCAUGgAwIBAgIUGIZc0Yu5TzZH6lXGdTa/BRyerJswCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNzE4MjQ0NFoYDzIxMjYxMTAz
        MTgyNDQ0WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAARE+wqUNv18Gd53Y4l73lfpgARO/w0CBjYdpQZZ1eoVngrTiDUzfmM1
        ZDvQq0CxOxFb6SCwFP9zFTY28D/OzN3Po28wbTAdBgNVHQ4EFgQUOH4oUwCosCzl
        JzqutGiRt9TJnIowHwYDVR0jBBgwFoAUOH4oUwCosCzlJzqutGiRt9TJnIowDwYD
        VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
        zj0EAwIDRwAwRAIgNsQfBOhF0TLaIg7aqimOQwhzW7HqJe1ZtXerAnOxmnYCIHku
        /Z1HaRygYNIKYSC1mlja1VFzOmN/2E4Kf47l3nQt
        -----END CERTIFICATE-----
        """
    static let keyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgghERaxgFvVUwJQo8
        alXRdvhuye+D2JCsFwNdjtUm89KhRANCAARE+wqUNv18Gd53Y4l73lfpgARO/w0C
        BjYdpQZZ1eoVngrTiDUzfmM1ZDvQq0CxOxFb6SCwFP9zFTY28D/OzN3P
        -----END PRIVATE KEY-----
        """

    static func serverContext() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
        )
        return try NIOSSLContext(configuration: configuration)
    }

    static func trustingFixture() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([
            try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
        ])
        return configuration
    }
}
