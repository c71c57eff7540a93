// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tack",
    products: [
        .executable(name: "tack", targets: ["tack"]),
        .library(name: "DNSWire", targets: ["DNSWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The hand-written DNS wire codec. No dependencies by design: it is what the fuzzers and
        // every other module stand on.
        .target(name: "DNSWire"),
        // The query engine and the protocol layer: pure and synchronous, bytes in, bytes out.
        .target(name: "Answer", dependencies: ["DNSWire"]),
        .executableTarget(
            name: "tack",
            dependencies: [
                "DNSWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libldns, used only by the tests as an independent codec oracle.
        .systemLibrary(name: "CLdns", path: "Tests/CLdns", pkgConfig: "ldns",
                       providers: [.apt(["libldns-dev"])]),
        .testTarget(
            name: "DNSWireTests",
            dependencies: [
                "DNSWire", "CLdns",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
