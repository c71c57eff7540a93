// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tack",
    products: [
        .executable(name: "tack", targets: ["tack"]),
        .library(name: "DNSWire", targets: ["DNSWire"]),
        .library(name: "Server", targets: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The hand-written DNS wire codec. No dependencies by design: it is what the fuzzers and
        // every other module stand on.
        .target(name: "DNSWire"),
        // The query engine and the protocol layer: pure and synchronous, bytes in, bytes out.
        .target(name: "Answer", dependencies: ["DNSWire"]),
        // The network transport (UDP/TCP on SwiftNIO), snapshot swap and reload, lifecycle.
        // Generic over a `DatagramHandler`, so it does not depend on the protocol layer.
        .target(
            name: "Server",
            dependencies: [
                "DNSWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "tack",
            dependencies: [
                "DNSWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libldns, used only by the tests as an independent codec oracle.
        .systemLibrary(name: "CLdns", path: "Tests/CLdns", pkgConfig: "libldns",
                       providers: [.apt(["libldns-dev"])]),
        .testTarget(
            name: "DNSWireTests",
            dependencies: [
                "DNSWire", "CLdns",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "DNSWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
