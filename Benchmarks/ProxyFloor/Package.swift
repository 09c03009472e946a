// swift-tools-version:6.2
// The floor under the gateway's added latency (issue 7): the least an HTTP/1 proxy written directly on SwiftNIO
// costs on this machine — no JSON, no recording, no framework. `Benchmarks/ProxyFloor/run` measures it side by
// side with the gateway against the same mock upstream.
import PackageDescription

let package = Package(
    name: "ProxyFloor",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
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
        )
    ]
)
