import DNSWire
import Foundation
import Runtime
import Testing
import TestSupport

@Suite struct ServedDataTests {
    @Test func buildsZonesAndFingerprint() throws {
        let fixture = try SiteFixture()
        defer { fixture.remove() }
        let served = try ServedData.build(configPath: fixture.configPath) { _ in }
        #expect(served.zones.zones.count == 1)
        #expect(served.model == nil)
        #expect(served.fingerprint.zones.map(\.serial) == [2026120401])
        #expect(served.cache != nil)
        // The fingerprint's CHAOS text parses back to the same short hashes.
        let parsed = try #require(Fingerprint(chaosText: served.fingerprint.chaosText))
        #expect(parsed.zones.first?.name == "example.test.")
        #expect(served.fingerprint.all.hasPrefix(parsed.all))
    }

    @Test func aBrokenZoneFailsTheWholeBuildNamingTheFile() throws {
        let fixture = try SiteFixture(zone: "$ORIGIN example.test.\n@ IN SOA ns1 hostmaster 1 2 3 4\nwww IN A 300.1.1.1\n")
        defer { fixture.remove() }
        #expect {
            try ServedData.build(configPath: fixture.configPath) { _ in }
        } throws: { error in
            "\(error)".contains("example.test.zone")
        }
    }

    @Test func sameDataSameFingerprintOtherDataOther() throws {
        let a = try SiteFixture(), b = try SiteFixture()
        defer { a.remove(); b.remove() }
        let fa = try ServedData.build(configPath: a.configPath) { _ in }.fingerprint
        #expect(try ServedData.build(configPath: b.configPath) { _ in }.fingerprint == fa)
        try b.write(zone: SiteFixture.zone + "new IN A 192.0.2.1\n")
        let changed = try ServedData.build(configPath: b.configPath) { _ in }.fingerprint
        #expect(changed.zones[0].sha256 != fa.zones[0].sha256)
        #expect(changed.all != fa.all)
    }
}
