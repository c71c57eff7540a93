// The fixed zones the query-path targets answer from: the Answer test fixtures (delegations,
// glue, wildcards, CNAME/DNAME chains and loops, cross-zone targets) plus large RRsets so
// that truncation at every size is reachable. Built once, at first use.
import DNSWire
import Zone

enum FuzzZones {
    static let example = """
    example. 3600 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
    example. 3600 IN NS ns1.example.
    example. 3600 IN NS ns.other.test.
    example. 3600 IN MX 10 mail.example.
    example. 3600 IN TXT "apex"
    ns1.example. 3600 IN A 192.0.2.1
    mail.example. 3600 IN A 192.0.2.2
    mail.example. 3600 IN AAAA 2001:db8::2
    www.example. 300 IN CNAME host.example.
    host.example. 600 IN A 192.0.2.3
    host.example. 600 IN TXT "host"
    *.wild.example. 60 IN TXT "wild"
    *.wild.example. 60 IN MX 5 mail.example.
    exists.wild.example. 60 IN A 192.0.2.4
    x.ent.wild.example. 60 IN A 192.0.2.5
    a.b.c.example. 60 IN A 192.0.2.10
    sub.example. 3600 IN NS ns.sub.example.
    sub.example. 3600 IN NS ns.elsewhere.test.
    sub.example. 3600 IN DS 12345 8 2 01020304
    ns.sub.example. 3600 IN A 192.0.2.53
    ns.sub.example. 3600 IN AAAA 2001:db8::53
    kid.example. 3600 IN NS ns.kid.example.
    kid.example. 3600 IN DS 54321 8 2 01020304
    ns.kid.example. 3600 IN A 192.0.2.60
    d.example. 900 IN DNAME target.example.
    x.target.example. 60 IN A 192.0.2.9
    srv.example. 60 IN SRV 0 0 80 abcd.example.
    abcd.example. 60 IN A 192.0.2.11
    loop1.example. 60 IN CNAME loop2.example.
    loop2.example. 60 IN CNAME loop1.example.
    *.wc.example. 60 IN CNAME next.wc.example.
    chain.example. 60 IN CNAME www.example.
    tocut.example. 60 IN CNAME host.sub.example.
    dangling.example. 60 IN CNAME nowhere.example.
    out.example. 60 IN CNAME www.other.test.
    cross.example. 60 IN CNAME www.second.test.
    mx2.example. 60 IN MX 1 mail.second.test.
    tod.example. 60 IN CNAME y.d.example.
    long.example. 60 IN DNAME aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.example.
    """

    static let second = """
    second.test. 100 IN SOA ns.second.test. host.second.test. 1 7200 3600 1209600 600
    second.test. 3600 IN NS ns.second.test.
    ns.second.test. 3600 IN A 192.0.2.100
    www.second.test. 60 IN A 192.0.2.101
    mail.second.test. 60 IN A 192.0.2.102
    """

    static let kid = """
    kid.example. 3600 IN SOA ns.kid.example. host.example. 1 7200 3600 1209600 300
    kid.example. 3600 IN NS ns.kid.example.
    ns.kid.example. 3600 IN A 192.0.2.60
    www.kid.example. 60 IN A 192.0.2.61
    """

    static let edge = """
    edge.test. 3600 IN SOA ns.edge.test. host.edge.test. 7 7200 3600 1209600 3600
    edge.test. 3600 IN NS ns.edge.test.
    ns.edge.test. 3600 IN A 192.0.2.1
    *.edge.test. 120 IN A 192.0.2.200
    *.edge.test. 120 IN AAAA 2001:db8::200
    mx.edge.test. 60 IN MX 10 alias.edge.test.
    mx.edge.test. 60 IN MX 20 real.edge.test.
    alias.edge.test. 60 IN CNAME real.edge.test.
    real.edge.test. 60 IN A 192.0.2.2
    deleg.edge.test. 3600 IN NS ns1.deleg.edge.test.
    deleg.edge.test. 3600 IN NS ns2.other.edge.test.
    ns1.deleg.edge.test. 3600 IN A 192.0.2.3
    txt.deleg.edge.test. 3600 IN TXT "occluded"
    cn.deleg.edge.test. 3600 IN CNAME real.edge.test.
    nested.deleg.edge.test. 3600 IN NS ns.elsewhere.test.
    other.edge.test. 3600 IN NS ns2.other.edge.test.
    ns2.other.edge.test. 3600 IN A 192.0.2.4
    *.w.edge.test. 60 IN CNAME real.edge.test.
    *.c.edge.test. 60 IN CNAME x.deleg.edge.test.
    sub.*.s.edge.test. 60 IN TXT "below a wildcard"
    Mixed.Case.edge.test. 60 IN TXT "case kept"
    """

    /// Large RRsets (answers of several kilobytes, many NS with glue) so that truncation is
    /// reached at many sizes.
    static var big: String {
        var s = "big.test. 3600 IN SOA ns.big.test. host.big.test. 1 7200 3600 1209600 300\n"
        for i in 0..<24 {
            s += "big.test. 3600 IN NS ns\(i).big.test.\n"
            s += "ns\(i).big.test. 3600 IN A 192.0.2.\(i)\n"
            s += "ns\(i).big.test. 3600 IN AAAA 2001:db8::\(i)\n"
        }
        for i in 0..<40 {
            s += "txt.big.test. 60 IN TXT \"\(String(repeating: "t", count: 100 + i))\"\n"
            s += "a.big.test. 60 IN A 198.51.100.\(i)\n"
            s += "mx.big.test. 60 IN MX \(i) ns\(i % 24).big.test.\n"
        }
        s += "*.big.test. 60 IN TXT \"\(String(repeating: "w", count: 255))\" \"\(String(repeating: "x", count: 255))\"\n"
        return s
    }

    /// Reads `owner ttl IN type rdata` lines; the zones above are fixed, so a failure is a
    /// harness bug and traps at start-up.
    static func load(_ origin: String, _ text: String) -> Zone {
        var records: [ResourceRecord] = []
        for line in text.split(separator: "\n") {
            let tokens = FieldReader.tokenize(String(line))
            guard tokens.count >= 5, let ttl = parseTTL(tokens[1].text),
                  let type = RRType(mnemonic: tokens[3].text) else {
                fatalError("fuzz zone line does not read: \(line)")
            }
            do {
                var f = FieldReader(Array(tokens[4...]), origin: nil)
                let rdata = try RData.parse(type: type, fields: &f)
                records.append(ResourceRecord(try Name(parsing: tokens[0].text), ttl: ttl, rdata))
            } catch {
                fatalError("fuzz zone line \(line): \(error)")
            }
        }
        do {
            return try Zone.load(origin: try Name(parsing: origin), records: records).zone
        } catch {
            fatalError("fuzz zone \(origin) does not load: \(error)")
        }
    }

    /// Every fuzz zone, as one set.
    static let zoneSet: ZoneSet = {
        let zones = [("example.", example), ("second.test.", second), ("kid.example.", kid),
                     ("edge.test.", edge), ("big.test.", big)].map { load($0.0, $0.1) }
        do { return try ZoneSet(zones) } catch { fatalError("fuzz zone set: \(error)") }
    }()
}
