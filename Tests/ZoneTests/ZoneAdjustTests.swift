import Testing
import DNSWire
import TestSupport
@testable import Zone

/// What each adjust pass of `ZoneBuilder.finish` establishes, read from the built zone: flags
/// and cuts (nested delegations, names below a cut), glue and occlusion (which RRsets at and
/// below a cut are warned about), additional targets, and the order the passes report in.
@Suite struct ZoneAdjustTests {
    static let text = base + """

    sub.example. 60 IN NS ns.sub.example.
    sub.example. 60 IN NS ns.other.test.
    sub.example. 60 IN A 192.0.2.60
    sub.example. 60 IN DS \\# 5 0001080200
    ns.sub.example. 60 IN A 192.0.2.53
    deep.sub.example. 60 IN NS ns.deep.sub.example.
    ns.deep.sub.example. 60 IN AAAA 2001:db8::53
    x.y.sub.example. 60 IN TXT "hidden"
    self.example. 60 IN NS self.example.
    self.example. 60 IN A 192.0.2.70
    alias.example. 60 IN CNAME www.example.
    d.example. 60 IN DNAME target.test.
    """

    func load() throws -> (zone: Zone, warnings: [ZoneWarning]) {
        let (records, locations) = try TestZoneReader.read(ZoneAdjustTests.text)
        return try Zone.load(origin: try Name(parsing: "example."), records: records, locations: locations)
    }

    @Test func flagsAndCuts() throws {
        let z = try load().zone
        func index(_ s: String) throws -> Int32 {
            let i = z.find(try Name(parsing: s))
            try #require(i >= 0, "\(s) has no node")
            return i
        }
        func node(_ s: String) throws -> ZoneNode { z.nodes[Int(try index(s))] }
        let sub = try index("sub.example.")
        #expect(try node("sub.example.").flags == [.delegation])
        #expect(try node("sub.example.").cut == sub)
        // A delegation below a delegation is only data below the first cut.
        #expect(try node("deep.sub.example.").flags == [.nonAuthoritative])
        #expect(try node("deep.sub.example.").cut == sub)
        #expect(try node("ns.deep.sub.example.").cut == sub)
        // The empty non-terminal between the cut and the data below it is below the cut too.
        #expect(try node("y.sub.example.").flags == [.emptyNonTerminal, .nonAuthoritative])
        #expect(try node("y.sub.example.").parent == sub)
        #expect(try node("x.y.sub.example.").parent == (try index("y.sub.example.")))
        #expect(try node("self.example.").flags == [.delegation])
        #expect(try node("alias.example.").flags == [.hasCNAME] && node("alias.example.").cut == -1)
        #expect(try node("d.example.").flags == [.hasDNAME])
        #expect(z.nodes[0].flags == [.apex] && z.nodes[0].parent == -1 && z.nodes[0].cut == -1)
        // The delegation's NS targets resolved for the additional section: the glue inside the
        // zone, nothing for the name server elsewhere.
        let ns = try #require(try node("sub.example.").rrset(.ns))
        #expect(ns.additionalNodes == [try index("ns.sub.example."), -1])
    }

    @Test func glueAndOcclusion() throws {
        let warnings = try load().warnings
        // Canonical order; NS and DS at the cut, the glue of ns.sub and the address at
        // self.example. (its own name server) are not warned about. The nested delegation's NS
        // and its name server's address are below sub.example., not glue for it.
        #expect(warnings.map(\.code) == [.occluded, .occluded, .occluded, .occluded])
        #expect(warnings.map(\.owner.description) == ["sub.example.", "deep.sub.example.", "ns.deep.sub.example.", "x.y.sub.example."])
        #expect(warnings[0].message == "A at the delegation sub.example. is occluded by the cut and never served as an answer")
        #expect(warnings[1].message == "NS below the delegation sub.example. is not glue for any name server and is never served as an answer")
        #expect(warnings[2].message == "AAAA below the delegation sub.example. is not glue for any name server and is never served as an answer")
        #expect(warnings[0].location == "inline:6")
    }

    /// The passes report in their order: every error of the DNAME pass before any of the glue
    /// pass, whatever the names' order.
    @Test func passesReportInOrder() throws {
        let r = try check("""
            a.example. 60 IN NS ns.a.example.
            z.example. 60 IN DNAME t.test.
            x.z.example. 60 IN A 192.0.2.1
            """)
        #expect(r.zone == nil)
        #expect(r.errors.map(\.code) == [.dataBelowDNAME, .missingGlue])
        #expect(r.errors.map(\.owner.description) == ["x.z.example.", "a.example."])
    }
}
