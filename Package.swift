// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tack",
    products: [
        .executable(name: "tack", targets: ["tack"]),
        .library(name: "DNSWire", targets: ["DNSWire"]),
        .library(name: "Zone", targets: ["Zone"]),
        .library(name: "Answer", targets: ["Answer"]),
        .library(name: "ZoneFile", targets: ["ZoneFile"]),
        .library(name: "Health", targets: ["Health"]),
        .library(name: "Monitors", targets: ["Monitors"]),
        .library(name: "Server", targets: ["Server"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Admin", targets: ["Admin"]),
        .library(name: "Anycast", targets: ["Anycast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // The hand-written DNS wire codec. No dependencies by design: it is what the fuzzers and
        // every other module stand on.
        .target(name: "DNSWire"),
        // Zone build and checks, the immutable Zone/ZoneSet and the closest-encloser lookup.
        .target(name: "Zone", dependencies: ["DNSWire"]),
        // The query engine and the protocol layer: pure and synchronous, bytes in, bytes out.
        .target(name: "Answer", dependencies: ["DNSWire", "Zone", "Health"]),
        // The RFC 1035 master-file parser, and ZoneLoader: file in, checked Zone out.
        .target(name: "ZoneFile", dependencies: ["DNSWire", "Zone"]),
        // The YAML configuration file, decoded into validated structs with key-path errors.
        .target(name: "Config", dependencies: ["DNSWire", "Health", .product(name: "Yams", package: "Yams")]),
        // Health: per-target state machines, pool policies and the immutable HealthSnapshot the
        // query path reads. Pure: no sockets, no clocks (times are passed in).
        .target(name: "Health", dependencies: ["DNSWire"]),
        // The one small DNS client (one query, one reply, UDP or TCP, with a timeout) that the
        // DNS monitor, `tack fleet check` and the tests share.
        .target(
            name: "DNSClient",
            dependencies: [
                "DNSWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Monitors: the checks (TCP, HTTP(S), DNS, exec, file) and their scheduler. They only
        // report success or failure with a reason; Health owns thresholds and forced states.
        .target(
            name: "Monitors",
            dependencies: [
                "Health", "DNSWire", "DNSClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The network transport (UDP/TCP on SwiftNIO), snapshot swap and reload, lifecycle.
        // Generic over a `DatagramHandler`, so it does not depend on the protocol layer.
        // recvmmsg/sendmmsg batches for the UDP loop (Glibc's Swift module lacks them).
        .target(name: "CDatagramBatch"),
        .target(
            name: "Server",
            dependencies: [
                "DNSWire",
                "CDatagramBatch",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The running server: the served data and its snapshots, reload, the health runtime
        // and its monitor jobs, drain, and the query handler between transport and protocol.
        .target(
            name: "Runtime",
            dependencies: [
                "DNSWire", "Zone", "ZoneFile", "Answer", "Config", "Server", "Health", "Monitors",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // Fingerprints of the served data (SHA-256).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The admin HTTP API (Hummingbird), its Prometheus /metrics, the status and explain
        // reports, and the client `tack ctl` talks to it with.
        .target(
            name: "Admin",
            dependencies: [
                "Runtime", "DNSWire", "Zone", "Answer", "Config", "Server", "Health",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The anycast announcer (a pure state machine and its thin loop driving BIRD) and the
        // fleet check that compares what several instances serve.
        .target(
            name: "Anycast",
            dependencies: [
                "Runtime", "DNSWire", "DNSClient", "Config", "Health", "Monitors",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The executable: argument parsing and wiring only.
        .executableTarget(
            name: "tack",
            dependencies: [
                "DNSWire", "ZoneFile", "Config", "Server", "Runtime", "Admin", "Anycast",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // libldns, used only by the tests as an independent codec oracle.
        .systemLibrary(name: "CLdns", path: "Tests/CLdns", pkgConfig: "ldns",
                       providers: [.apt(["libldns-dev"])]),
        .testTarget(
            name: "DNSWireTests",
            dependencies: [
                "DNSWire", "CLdns", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // Helpers shared by the test targets (inline zone text through the real parser).
        .target(name: "TestSupport", dependencies: [
            "DNSWire", "ZoneFile", "DNSClient", .product(name: "NIOCore", package: "swift-nio"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "ZoneTests", dependencies: ["DNSWire", "Zone", "TestSupport"]),
        .testTarget(name: "AnswerTests", dependencies: ["DNSWire", "Zone", "Answer", "Health", "TestSupport", "CLdns"]),
        .testTarget(name: "ZoneFileTests", dependencies: ["ZoneFile", "DNSWire", "TestSupport"],
                    exclude: ["Fixtures"]),
        // Black-box tests of the built `tack` binary with dig, kdig and raw sockets.
        .testTarget(name: "IntegrationTests", dependencies: ["DNSWire", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "DNSWire", "Health"]),
        .testTarget(name: "HealthTests", dependencies: ["Health", "DNSWire"]),
        .testTarget(
            name: "MonitorsTests",
            dependencies: [
                "Monitors", "Health", "DNSWire", "DNSClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "Answer", "Config", "DNSWire", "Health", "Monitors", "Server", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AdminTests",
            dependencies: [
                "Admin", "Runtime", "Config", "DNSWire", "Health", "Server", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AnycastTests",
            dependencies: [
                "Anycast", "Runtime", "Config", "DNSWire", "Health", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "DNSWire", "TestSupport",
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
