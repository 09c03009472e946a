import AsyncHTTPClient
import ConcordServer
import Foundation
import Hummingbird
import NIOCore

/// `StackFloor LISTEN_PORT UPSTREAM_PORT [UPSTREAM_KEY]`: the relay ProxyFloor is, built on the stack SPEC names
/// for the gateway — Hummingbird 2 serving each connection on its own event loop (`eventLoopBoundHTTP1`, as
/// `concord serve` does) and the gateway's own AsyncHTTPClient service (`UpstreamHTTPClient`, same pool and
/// options). The request body and the answer pass through untouched: no JSON, no routing, no limits, no record.
/// What it adds over the mock is what the contracted stack costs before the gateway does any work of its own.

let arguments = CommandLine.arguments
guard arguments.count >= 3, let port = Int(arguments[1]), let upstreamPort = Int(arguments[2]) else {
    print("usage: StackFloor LISTEN_PORT UPSTREAM_PORT [UPSTREAM_KEY]")
    exit(2)
}
let upstreamURL = "http://127.0.0.1:\(upstreamPort)/v1/chat/completions"
let authorization = "Bearer \(arguments.count > 3 ? arguments[3] : "sk-upstream")"
let upstream = UpstreamHTTPClient()
let client = upstream.client

let router = Router()
router.get("/health") { _, _ in "ok" }
router.post("/v1/chat/completions") { request, _ -> Response in
    var forwarded = HTTPClientRequest(url: upstreamURL)
    forwarded.method = .POST
    forwarded.headers.add(name: "content-type", value: "application/json")
    forwarded.headers.add(name: "authorization", value: authorization)
    forwarded.body = .bytes(try await request.body.collect(upTo: 1 << 20))
    let answer = try await client.execute(forwarded, timeout: .seconds(60))
    let body = try await answer.body.collect(upTo: 1 << 24)
    return Response(
        status: .init(code: Int(answer.status.code)),
        headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: body)
    )
}
let app = Application(
    router: router,
    server: .eventLoopBoundHTTP1(),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "stack-floor"),
    services: [upstream]
)
try await app.runService()
