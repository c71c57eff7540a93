import Testing
import DNSWire
import TestSupport
@testable import Zone

let base = """
example. 3600 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
example. 3600 IN NS ns1.example.
ns1.example. 3600 IN A 192.0.2.1
"""

func check(_ extra: String, base: String = base) throws -> ZoneCheckResult {
    let (records, locations) = try TestZoneReader.read(base + "\n" + extra)
    return Zone.check(origin: try Name(parsing: "example."), records: records, locations: locations)
}

@Suite struct ZoneCheckTests {
    /// KO cases: zone text, the error code, the owner it names and the line it points to.
    @Test(arguments: [
        ("www.example. 60 IN CNAME host.example.\nwww.example. 60 IN TXT \"x\"", ZoneError.Code.cnameAndOtherData, "www.example.", "inline:4"),
        ("www.example. 60 IN CNAME a.example.\nwww.example. 60 IN CNAME b.example.", .multipleCNAME, "www.example.", "inline:5"),
        ("d.example. 60 IN DNAME a.test.\nd.example. 60 IN DNAME b.test.", .multipleDNAME, "d.example.", "inline:5"),
        ("d.example. 60 IN DNAME a.test.\nx.d.example. 60 IN A 192.0.2.1", .dataBelowDNAME, "x.d.example.", "inline:5"),
        ("d.example. 60 IN DNAME a.test.\nx.y.d.example. 60 IN A 192.0.2.1", .dataBelowDNAME, "x.y.d.example.", "inline:5"),
        ("d.example. 60 IN DNAME a.test.\nd.example. 60 IN CNAME b.test.", .cnameAndOtherData, "d.example.", "inline:5"),
        ("www.other. 60 IN A 192.0.2.1", .outOfZone, "www.other.", "inline:4"),
        ("sub.example. 60 IN NS ns.sub.example.", .missingGlue, "sub.example.", "inline:4"),
        ("sub.example. 60 IN NS ns.deep.sub.example.\nns.sub.example. 60 IN A 192.0.2.9", .missingGlue, "sub.example.", "inline:4"),
        ("example. 3600 IN SOA ns2.example. host.example. 2 7200 3600 1209600 300", .multipleSOA, "example.", "inline:4"),
        ("sub.example. 60 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300", .soaNotAtApex, "sub.example.", "inline:4"),
        ("example. 60 IN CNAME other.test.", .cnameAndOtherData, "example.", "inline:4"),
    ])
    func rejected(text: String, code: ZoneError.Code, owner: String, location: String) throws {
        let r = try check(text)
        #expect(r.zone == nil)
        let e = try #require(r.errors.first)
        #expect(e.code == code)
        #expect(e.owner == (try Name(parsing: owner)))
        #expect(e.location == location)
        #expect(!e.hint.isEmpty)
        #expect(e.description.hasPrefix(location + ": error: zone example.: "))
    }

    /// The zone-file parser already refuses a class other than the zone's; records built by
    /// other means (tests, future transfers) are still checked here.
    @Test func otherClassRejected() throws {
        var (records, locations) = try TestZoneReader.read(base)
        records.append(ResourceRecord(try Name(parsing: "www.example."), ttl: 60, .txt(TXT([[0x78]])), rclass: .ch))
        locations.append("built:1")
        let r = Zone.check(origin: try Name(parsing: "example."), records: records, locations: locations)
        #expect(r.zone == nil)
        #expect(r.errors.map(\.code) == [.unsupportedClass])
        #expect(r.errors.first?.location == "built:1")
    }

    @Test func missingSOAAndNS() throws {
        let r = try check("www.example. 60 IN A 192.0.2.1", base: "")
        #expect(r.zone == nil)
        #expect(r.errors.map(\.code) == [.missingSOA, .missingApexNS])
        let r2 = try check("", base: "example. 3600 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300")
        #expect(r2.errors.map(\.code) == [.missingApexNS])
    }

    @Test func loadThrowsFirstError() throws {
        let (records, locations) = try TestZoneReader.read(base + "\nwww.other. 60 IN A 192.0.2.1")
        #expect(throws: ZoneError.self) {
            try Zone.load(origin: try Name(parsing: "example."), records: records, locations: locations)
        }
    }

    /// OK cases with warnings: the zone loads, and the warnings say what was changed.
    @Test(arguments: [
        ("a.example. 60 IN A 192.0.2.1\na.example. 120 IN A 192.0.2.2", [ZoneWarning.Code.ttlMismatch]),
        ("a.example. 60 IN A 192.0.2.1\na.example. 60 IN A 192.0.2.1", [.duplicateRecord]),
        ("sub.example. 60 IN NS ns.sub.example.\nns.sub.example. 60 IN A 192.0.2.9\nx.sub.example. 60 IN TXT \"hidden\"", [.occluded]),
        ("sub.example. 60 IN NS ns.elsewhere.\nsub.example. 60 IN TXT \"hidden\"", [.occluded]),
        ("sub.example. 60 IN NS ns.sub.example.\nsub.example. 60 IN DS \\# 5 0001080200\nns.sub.example. 60 IN AAAA 2001:db8::1", []),
        ("sub.example. 60 IN NS ns.elsewhere.\nother.sub.example. 60 IN A 192.0.2.5", [.occluded]),
        ("d.example. 60 IN DNAME a.test.\nwww.example. 60 IN CNAME d.example.", []),
    ])
    func accepted(text: String, warnings: [ZoneWarning.Code]) throws {
        let r = try check(text)
        #expect(r.errors == [])
        #expect(r.zone != nil)
        #expect(r.warnings.map(\.code) == warnings)
    }

    @Test func ttlMismatchUsesFirstAndDuplicateDropped() throws {
        let r = try check("a.example. 60 IN A 192.0.2.1\na.example. 120 IN A 192.0.2.2\na.example. 30 IN A 192.0.2.1")
        let zone = try #require(r.zone)
        let set = try #require(zone.nodes[Int(zone.find(try Name(parsing: "a.example.")))].rrset(.a))
        #expect(set.ttl == 60)
        #expect(set.records.map(\.ttl) == [60, 60])
        #expect(r.warnings.map(\.code) == [.ttlMismatch, .duplicateRecord])
        #expect(r.warnings[0].location == "inline:5")
    }
}

@Suite struct ZoneStructureTests {
    static let text = base + """

    a.b.c.example. 60 IN A 192.0.2.10
    *.w.example. 60 IN TXT "wild"
    sub.example. 60 IN NS ns.sub.example.
    ns.sub.example. 60 IN A 192.0.2.53
    x.y.sub.example. 60 IN A 192.0.2.54
    example. 60 IN MX 10 mail.example.
    mail.example. 60 IN A 192.0.2.2
    """

    func zone() throws -> Zone {
        let (records, locations) = try TestZoneReader.read(ZoneStructureTests.text)
        return try Zone.load(origin: try Name(parsing: "example."), records: records, locations: locations).zone
    }

    @Test func emptyNonTerminalsCutsAndWildcards() throws {
        let z = try zone()
        func node(_ s: String) throws -> ZoneNode {
            let i = z.find(try Name(parsing: s))
            try #require(i >= 0, "\(s) has no node")
            return z.nodes[Int(i)]
        }
        #expect(z.nodes[0].flags.contains(.apex))
        #expect(try node("b.c.example.").flags.contains(.emptyNonTerminal))
        #expect(try node("c.example.").flags.contains(.emptyNonTerminal))
        #expect(try node("w.example.").wildcardChild == z.find(try Name(parsing: "*.w.example.")))
        #expect(try node("sub.example.").flags.contains(.delegation))
        #expect(try node("ns.sub.example.").flags.contains(.nonAuthoritative))
        #expect(try node("y.sub.example.").cut == z.find(try Name(parsing: "sub.example.")))
        #expect(try node("mail.example.").cut == -1)
        #expect(try node("c.example.").parent == 0)
        // Additional targets resolved at load.
        let mx = try #require(z.nodes[0].rrset(.mx))
        #expect(mx.additionalNodes == [z.find(try Name(parsing: "mail.example."))])
        // Canonical order: parents before children.
        for (i, n) in z.nodes.enumerated() where i > 0 { #expect(Int(n.parent) < i) }
    }

    @Test(arguments: [
        ("a.b.c.example.", "a.b.c.example.", true),
        ("A.B.C.EXAMPLE.", "a.b.c.example.", true),
        ("x.a.b.c.example.", "a.b.c.example.", false),
        ("q.b.c.example.", "b.c.example.", false),
        ("nothing.example.", "example.", false),
        ("deep.er.x.w.example.", "w.example.", false),
        ("example.", "example.", true),
    ])
    func closestEncloser(query: String, encloser: String, exact: Bool) throws {
        let z = try zone()
        let (i, e) = z.closestEncloser(try Name(parsing: query))
        #expect(z.nodes[Int(i)].name == (try Name(parsing: encloser)))
        #expect(e == exact)
    }

    @Test func zoneSetLongestMatch() throws {
        let z = try zone()
        let (childRecords, _) = try TestZoneReader.read("""
        sub.example. 60 IN SOA ns.sub.example. host.example. 1 7200 3600 1209600 300
        sub.example. 60 IN NS ns.sub.example.
        ns.sub.example. 60 IN A 192.0.2.53
        """)
        let child = try Zone.load(origin: try Name(parsing: "sub.example."), records: childRecords).zone
        let set = try ZoneSet([z, child])
        #expect(set.zoneIndex(for: try Name(parsing: "www.example.")) == 0)
        #expect(set.zoneIndex(for: try Name(parsing: "a.Sub.Example.")) == 1)
        #expect(set.zoneIndex(for: try Name(parsing: "sub.example.")) == 1)
        #expect(set.zoneIndex(for: try Name(parsing: "sub.example."), type: .ds) == 0)
        #expect(set.zoneIndex(for: try Name(parsing: "example."), type: .ds) == 0)
        #expect(set.zoneIndex(for: try Name(parsing: "other.")) == nil)
        #expect(set.zoneIndex(for: .root) == nil)
        #expect(throws: ZoneError.self) { try ZoneSet([z, z]) }
    }
}

@Suite struct NameTableTests {
    /// Many keys force collisions and wrap-around in the probe sequence; every key is found at
    /// its own index, every suffix probe of a non-member misses.
    @Test func findsEveryKeyAndNothingElse() throws {
        var names: [Name] = []
        for i in 0..<1500 { names.append(try Name(parsing: "n\(i).l\(i % 7).Table.Test.")) }
        let table = NameTable(keys: names.map(\.key))
        #expect(table.count == names.count)
        for (i, n) in names.enumerated() {
            #expect(table.find(n.key) == Int32(i))
            #expect(table.find(try Name(parsing: n.description.uppercased()).key) == Int32(i))
        }
        #expect(table.find(try Name(parsing: "n1500.l2.table.test.").key) == -1)
        #expect(table.find(try Name(parsing: "l2.table.test.").key) == -1)
        // Suffix probing in place: the longest member suffix of a deeper name.
        let deep = try Name(parsing: "a.b.N42.l0.table.test.")
        let (index, offset) = table.longestSuffix(of: deep.key)
        #expect(index == 42)
        #expect(offset == 4)
        #expect(table.longestSuffix(of: try Name(parsing: "x.other.").key) == (-1, -1))
        #expect(NameTable(keys: []).find(Name.root.key) == -1)
    }
}
