// swift-tools-version: 6.1
// Benchmarks for Tack, kept in their own package so the product never depends on the
// benchmark library. Run: make benchmark (cd bench/micro && swift package --allow-writing-to-package-directory benchmark)
import PackageDescription

let package = Package(
    name: "TackBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "tack", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Codec",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DNSWire", package: "tack"),
            ],
            path: "Benchmarks/Codec",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Issue #5: a pool answer against a static one, through the responder and the engine.
        .executableTarget(
            name: "PoolAnswer",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DNSWire", package: "tack"),
                .product(name: "Zone", package: "tack"),
                .product(name: "ZoneFile", package: "tack"),
                .product(name: "Health", package: "tack"),
                .product(name: "Answer", package: "tack"),
            ],
            path: "Benchmarks/PoolAnswer",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
