import Anycast
import Runtime
import Testing

@Suite struct FleetCheckTests {
    static func print(_ zones: [(String, UInt32, String)], pools: String = "p0") -> Fingerprint {
        Fingerprint(zones: zones.map { .init(name: $0.0, serial: $0.1, sha256: $0.2) }, pools: pools, all: "a")
    }

    @Test func identicalInstancesHaveNoDiff() {
        let p = Self.print([("example.test.", 1, "h1")])
        #expect(FleetCheck.diff([.init(label: "a", print: p), .init(label: "b", print: p)]).isEmpty)
    }

    @Test func aDriftedZoneAndMissingZoneAreNamed() {
        let a = Self.print([("example.test.", 1, "h1"), ("other.test.", 5, "h5")])
        let b = Self.print([("example.test.", 2, "h2")])
        let diff = FleetCheck.diff([.init(label: "site-a", print: a), .init(label: "site-b", print: b)])
        #expect(diff.contains("  zone example.test.:"))
        #expect(diff.contains("    serial 1, records h1: site-a"))
        #expect(diff.contains("    serial 2, records h2: site-b"))
        #expect(diff.contains("    not served: site-b"))
        #expect(!diff.contains("  targets, monitors and pools:"))
    }

    @Test func differentPoolsAreNamed() {
        let a = Self.print([], pools: "x"), b = Self.print([], pools: "y")
        let diff = FleetCheck.diff([.init(label: "a", print: a), .init(label: "b", print: b)])
        #expect(diff == ["  targets, monitors and pools:", "    x: a", "    y: b"])
    }
}
