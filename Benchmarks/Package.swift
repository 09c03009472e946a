// swift-tools-version:6.2
// Micro-benchmarks for the gateway's hot spots (issue 7), with ordo-one/benchmark. A package of its own that
// depends on the main package by path, so the main package and CI never build the benchmark harness.
//
//   cd Benchmarks && swift package benchmark                                  # all benchmarks, release mode
//   cd Benchmarks && swift package benchmark --filter 'SQLStore.*'            # some
//   scripts/with-postgres bash -c 'cd Benchmarks && swift package benchmark --filter "SQLStore.*"'  # + PostgreSQL
//
// The benchmarks use the main package's modules ConcordCore, ConcordWire and ConcordStore, which the
// `ConcordServer` product builds (they are not products of their own).
import PackageDescription

let package = Package(
    name: "ConcordBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ConcordBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ConcordServer", package: "main"),
                .product(name: "ConcordGateway", package: "main"),
            ],
            path: "Benchmarks/ConcordBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)
