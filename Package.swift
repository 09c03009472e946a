// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "concord",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ConcordGateway", targets: ["ConcordCore", "ConcordGateway"]),
        .library(name: "ConcordServer", targets: ["ConcordServer"]),
        .executable(name: "concord", targets: ["concord"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
    ],
    targets: [
        .target(
            name: "ConcordCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConcordWire",
            dependencies: ["ConcordCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConcordProviders",
            dependencies: [
                "ConcordCore",
                "ConcordWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConcordGateway",
            dependencies: [
                "ConcordCore",
                "ConcordProviders",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConcordStore",
            dependencies: [
                "ConcordCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                // SQLiteNIO for its vendored SQLite (`VaporCSQLite`), which the writer's own connection uses.
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConcordServer",
            dependencies: [
                "ConcordCore",
                "ConcordWire",
                "ConcordProviders",
                "ConcordGateway",
                "ConcordStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MockUpstream",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "concord",
            dependencies: [
                "ConcordServer",
                "ConcordStore",
                "MockUpstream",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ExampleAgents",
            dependencies: ["ConcordCore", "ConcordGateway"],
            path: "Examples/ExampleAgents",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "agent-example",
            dependencies: ["ExampleAgents", "ConcordServer"],
            path: "Examples/agent-example",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ExampleAgentsTests",
            dependencies: ["ExampleAgents", "ConcordGateway", "ConcordProviders"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConcordCoreTests",
            dependencies: ["ConcordCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConcordWireTests",
            dependencies: ["ConcordWire"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConcordProvidersTests",
            dependencies: ["ConcordProviders", "ConcordCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConcordGatewayTests",
            dependencies: ["ConcordGateway", "ConcordProviders", "ConcordCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConcordStoreTests",
            dependencies: ["ConcordStore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MockUpstreamTests",
            dependencies: [
                "MockUpstream",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConcordServerTests",
            dependencies: [
                "ConcordServer",
                "MockUpstream",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
