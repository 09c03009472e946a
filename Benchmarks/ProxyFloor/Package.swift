// swift-tools-version:6.2
// The floors under the gateway's added latency (issue 7): the least an HTTP/1 proxy written directly on SwiftNIO
// costs on this machine — no JSON, no recording, no framework (`ProxyFloor`) — and the same relay on the stack
// SPEC names for the gateway, Hummingbird 2 and AsyncHTTPClient as the gateway configures them (`StackFloor`).
// `Benchmarks/ProxyFloor/run` measures both side by side with the gateway against the same mock upstream.
import PackageDescription

let package = Package(
    name: "ProxyFloor",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(name: "concord", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "ProxyFloor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "StackFloor",
            dependencies: [
                .product(name: "ConcordServer", package: "concord"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
