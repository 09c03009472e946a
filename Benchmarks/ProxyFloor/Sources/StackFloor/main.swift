import AsyncHTTPClient
import ConcordServer
import Foundation
import Hummingbird
import NIOCore
import NIOPosix

/// `StackFloor LISTEN_PORT UPSTREAM_PORT [UPSTREAM_KEY] [--futures]`: the relay ProxyFloor is, built on the stack SPEC
/// names for the gateway — Hummingbird 2 serving each connection on its own event loop (`eventLoopBoundHTTP1`, as
/// `concord serve` does) and the gateway's own AsyncHTTPClient service (`UpstreamHTTPClient`, same pool and
/// options). The request body and the answer pass through untouched: no JSON, no routing, no limits, no record.
/// What it adds over the mock is what the contracted stack costs before the gateway does any work of its own.
///
/// By default it calls AsyncHTTPClient as the gateway does (`execute(_:timeout:)`, the async API). With `--futures`
/// it uses the client's other API instead — `execute(request:eventLoop:deadline:)` on the connection's own loop,
/// the answer collected inside NIO — which makes no Swift task per request: the cheapest way to use the library.

var arguments = CommandLine.arguments
let futures = arguments.contains("--futures")
arguments.removeAll { $0 == "--futures" }
guard arguments.count >= 3, let port = Int(arguments[1]), let upstreamPort = Int(arguments[2]) else {
    print("usage: StackFloor LISTEN_PORT UPSTREAM_PORT [UPSTREAM_KEY] [--futures]")
    exit(2)
}
let upstreamURL = "http://127.0.0.1:\(upstreamPort)/v1/chat/completions"
let authorization = "Bearer \(arguments.count > 3 ? arguments[3] : "sk-upstream")"
let upstream = UpstreamHTTPClient()
let client = upstream.client

/// The answer's status and body, from either API.
@Sendable func relay(_ body: ByteBuffer) async throws -> (status: Int, body: ByteBuffer) {
    if futures {
        // The handler runs on its connection's loop (`eventLoopBoundHTTP1`); anywhere else this would not measure
        // what it says.
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            preconditionFailure("--futures: the handler is not on an event loop")
        }
        let request = try HTTPClient.Request(
            url: upstreamURL,
            method: .POST,
            headers: ["content-type": "application/json", "authorization": authorization],
            body: .byteBuffer(body)
        )
        let answer = try await client.execute(
            request: request,
            eventLoop: .delegateAndChannel(on: loop),
            deadline: .now() + .seconds(60)
        ).get()
        return (Int(answer.status.code), answer.body ?? ByteBuffer())
    }
    var forwarded = HTTPClientRequest(url: upstreamURL)
    forwarded.method = .POST
    forwarded.headers.add(name: "content-type", value: "application/json")
    forwarded.headers.add(name: "authorization", value: authorization)
    forwarded.body = .bytes(body)
    let answer = try await client.execute(forwarded, timeout: .seconds(60))
    return (Int(answer.status.code), try await answer.body.collect(upTo: 1 << 24))
}

let router = Router()
router.get("/health") { _, _ in "ok" }
router.post("/v1/chat/completions") { request, _ -> Response in
    let answer = try await relay(try await request.body.collect(upTo: 1 << 20))
    return Response(
        status: .init(code: answer.status),
        headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: answer.body)
    )
}
let app = Application(
    router: router,
    server: .eventLoopBoundHTTP1(),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "stack-floor"),
    services: [upstream]
)
try await app.runService()
