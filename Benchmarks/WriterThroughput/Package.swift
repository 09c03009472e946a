// swift-tools-version:6.2
// The writer throughput benchmark: a package of its own (so it never slows the main build or its tests) that
// compiles the real ConcordCore and ConcordStore sources through symlinks. Run from the repository root:
//
//   swift run -c release --package-path Benchmarks/WriterThroughput WriterThroughput --records 200000
//   scripts/with-postgres swift run -c release --package-path Benchmarks/WriterThroughput WriterThroughput
//
// It prints rows/s (LogWriter.record until every row and counter is committed) for SQLite and, when
// CONCORD_TEST_POSTGRES_URL is set, for PostgreSQL, with the CPU time the process used (the machine may be busy).
// `--direct` measures SQLStore.write alone on SQLite (BATCH=n rows per call).
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "WriterThroughput",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .target(name: "ConcordCore", swiftSettings: swiftSettings),
        .target(
            name: "ConcordStore",
            dependencies: [
                "ConcordCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "WriterThroughput",
            dependencies: [
                "ConcordCore",
                "ConcordStore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
