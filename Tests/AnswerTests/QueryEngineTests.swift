import Testing
import DNSWire
import Zone
@testable import Answer

@Suite struct QueryEngineTests {
    static let engine = QueryEngine(zones: try! Fixtures.zoneSet())

    /// Question, then the expected response section by section.
    static let cases: [(String, String)] = [
        ("www.example. A", """
         NOERROR aa
         ;answer
         www.example. 300 IN CNAME host.example.
         host.example. 600 IN A 192.0.2.3
         """),
        ("WWW.Example. A", """
         NOERROR aa
         ;answer
         WWW.Example. 300 IN CNAME host.example.
         host.example. 600 IN A 192.0.2.3
         """),
        ("chain.example. TXT", """
         NOERROR aa
         ;answer
         chain.example. 60 IN CNAME www.example.
         www.example. 300 IN CNAME host.example.
         host.example. 600 IN TXT "host"
         """),
        ("example. MX", """
         NOERROR aa
         ;answer
         example. 3600 IN MX 10 mail.example.
         ;additional
         mail.example. 3600 IN A 192.0.2.2
         mail.example. 3600 IN AAAA 2001:db8::2
         """),
        ("Example. NS", """
         NOERROR aa
         ;answer
         Example. 3600 IN NS ns1.example.
         Example. 3600 IN NS ns.other.test.
         ;additional
         ns1.example. 3600 IN A 192.0.2.1
         """),
        ("nope.example. A", """
         NXDOMAIN aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("mail.example. TXT", """
         NOERROR aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("foo.wild.example. TXT", """
         NOERROR aa
         ;answer
         foo.wild.example. 60 IN TXT "wild"
         """),
        ("Foo.Wild.example. MX", """
         NOERROR aa
         ;answer
         Foo.Wild.example. 60 IN MX 5 mail.example.
         ;additional
         mail.example. 3600 IN A 192.0.2.2
         mail.example. 3600 IN AAAA 2001:db8::2
         """),
        ("a.b.foo.wild.example. TXT", """
         NOERROR aa
         ;answer
         a.b.foo.wild.example. 60 IN TXT "wild"
         """),
        ("foo.wild.example. A", """
         NOERROR aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        // An existing name is never matched by the wildcard beside it (RFC 4592 2.2.1)...
        ("exists.wild.example. TXT", """
         NOERROR aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        // ...nor is anything below it, since it is the closest encloser (RFC 4592 3.3.1).
        ("x.exists.wild.example. TXT", """
         NXDOMAIN aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        // An empty non-terminal exists: NODATA, and it blocks the wildcard (RFC 4592 2.2.2).
        ("ent.wild.example. TXT", """
         NOERROR aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("y.ent.wild.example. TXT", """
         NXDOMAIN aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("b.c.example. A", """
         NOERROR aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("q.b.c.example. A", """
         NXDOMAIN aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("x.sub.example. A", """
         NOERROR
         ;authority
         sub.example. 3600 IN NS ns.sub.example.
         sub.example. 3600 IN NS ns.elsewhere.test.
         ;additional
         ns.sub.example. 3600 IN A 192.0.2.53
         ns.sub.example. 3600 IN AAAA 2001:db8::53
         """),
        ("sub.example. NS", """
         NOERROR
         ;authority
         sub.example. 3600 IN NS ns.sub.example.
         sub.example. 3600 IN NS ns.elsewhere.test.
         ;additional
         ns.sub.example. 3600 IN A 192.0.2.53
         ns.sub.example. 3600 IN AAAA 2001:db8::53
         """),
        ("ns.sub.example. A", """
         NOERROR
         ;authority
         sub.example. 3600 IN NS ns.sub.example.
         sub.example. 3600 IN NS ns.elsewhere.test.
         ;additional
         ns.sub.example. 3600 IN A 192.0.2.53
         ns.sub.example. 3600 IN AAAA 2001:db8::53
         """),
        ("sub.example. DS", """
         NOERROR aa
         ;answer
         sub.example. 3600 IN DS 12345 8 2 01020304
         """),
        ("x.sub.example. DS", """
         NOERROR
         ;authority
         sub.example. 3600 IN NS ns.sub.example.
         sub.example. 3600 IN NS ns.elsewhere.test.
         ;additional
         ns.sub.example. 3600 IN A 192.0.2.53
         ns.sub.example. 3600 IN AAAA 2001:db8::53
         """),
        ("x.d.example. A", """
         NOERROR aa
         ;answer
         d.example. 900 IN DNAME target.example.
         x.d.example. 900 IN CNAME x.target.example.
         x.target.example. 60 IN A 192.0.2.9
         """),
        ("a.D.example. A", """
         NXDOMAIN aa
         ;answer
         d.example. 900 IN DNAME target.example.
         a.D.example. 900 IN CNAME a.target.example.
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("a.d.example. CNAME", """
         NOERROR aa
         ;answer
         d.example. 900 IN DNAME target.example.
         a.d.example. 900 IN CNAME a.target.example.
         """),
        ("d.example. A", """
         NOERROR aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("d.example. DNAME", """
         NOERROR aa
         ;answer
         d.example. 900 IN DNAME target.example.
         """),
        ("tod.example. A", """
         NXDOMAIN aa
         ;answer
         tod.example. 60 IN CNAME y.d.example.
         d.example. 900 IN DNAME target.example.
         y.d.example. 900 IN CNAME y.target.example.
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("srv.example. SRV", """
         NOERROR aa
         ;answer
         srv.example. 60 IN SRV 0 0 80 abcd.example.
         ;additional
         abcd.example. 60 IN A 192.0.2.11
         """),
        ("loop1.example. A", """
         NOERROR aa
         ;answer
         loop1.example. 60 IN CNAME loop2.example.
         loop2.example. 60 IN CNAME loop1.example.
         """),
        ("a.wc.example. A", """
         NOERROR aa
         ;answer
         a.wc.example. 60 IN CNAME next.wc.example.
         next.wc.example. 60 IN CNAME next.wc.example.
         """),
        ("tocut.example. A", """
         NOERROR aa
         ;answer
         tocut.example. 60 IN CNAME host.sub.example.
         ;authority
         sub.example. 3600 IN NS ns.sub.example.
         sub.example. 3600 IN NS ns.elsewhere.test.
         ;additional
         ns.sub.example. 3600 IN A 192.0.2.53
         ns.sub.example. 3600 IN AAAA 2001:db8::53
         """),
        ("dangling.example. A", """
         NXDOMAIN aa
         ;answer
         dangling.example. 60 IN CNAME nowhere.example.
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("out.example. A", """
         NOERROR aa
         ;answer
         out.example. 60 IN CNAME www.other.test.
         """),
        ("cross.example. A", """
         NOERROR aa
         ;answer
         cross.example. 60 IN CNAME www.second.test.
         www.second.test. 60 IN A 192.0.2.101
         """),
        ("cross.example. CNAME", """
         NOERROR aa
         ;answer
         cross.example. 60 IN CNAME www.second.test.
         """),
        ("cross.example. TXT", """
         NOERROR aa
         ;answer
         cross.example. 60 IN CNAME www.second.test.
         ;authority
         second.test. 100 IN SOA ns.second.test. host.second.test. 1 7200 3600 1209600 600
         """),
        ("mx2.example. MX", """
         NOERROR aa
         ;answer
         mx2.example. 60 IN MX 1 mail.second.test.
         ;additional
         mail.second.test. 60 IN A 192.0.2.102
         """),
        ("example. ANY", """
         NOERROR aa
         ;answer
         example. 3600 IN NS ns1.example.
         example. 3600 IN NS ns.other.test.
         ;additional
         ns1.example. 3600 IN A 192.0.2.1
         """),
        ("www.example. ANY", """
         NOERROR aa
         ;answer
         www.example. 300 IN CNAME host.example.
         """),
        ("host.example. ANY", """
         NOERROR aa
         ;answer
         host.example. 600 IN A 192.0.2.3
         """),
        ("b.c.example. ANY", """
         NOERROR aa
         ;authority
         example. 300 IN SOA ns1.example. host.example. 1 7200 3600 1209600 300
         """),
        ("other.test. A", "REFUSED"),
        (". NS", "REFUSED"),
        ("nope.second.test. A", """
         NXDOMAIN aa
         ;authority
         second.test. 100 IN SOA ns.second.test. host.second.test. 1 7200 3600 1209600 600
         """),
        ("kid.example. DS", """
         NOERROR aa
         ;answer
         kid.example. 3600 IN DS 54321 8 2 01020304
         """),
        ("kid.example. NS", """
         NOERROR aa
         ;answer
         kid.example. 3600 IN NS ns.kid.example.
         ;additional
         ns.kid.example. 3600 IN A 192.0.2.60
         """),
        ("www.kid.example. A", """
         NOERROR aa
         ;answer
         www.kid.example. 60 IN A 192.0.2.61
         """),
    ]

    @Test(arguments: cases)
    func answers(question: String, expected: String) throws {
        let parts = question.split(separator: " ")
        let q = Question(try Name(parsing: parts[0]), RRType(mnemonic: parts[1])!)
        let got = Expected(QueryEngineTests.engine.answer(q))
        let want = try Expected(expected)
        #expect(got.matches(want), "\(question)\n--- got:\n\(got)\n--- want:\n\(want)")
    }

    /// The query name's case is kept, byte for byte, in owners synthesized from it.
    @Test func ownerCaseIsTheQueryName() throws {
        for text in ["wWw.ExAmPlE.", "FOO.WILD.example.", "x.D.Example."] {
            let name = try Name(parsing: text)
            let r = QueryEngineTests.engine.answer(Question(name, .a))
            let owned = r.answer.filter { $0.name == name }
            #expect(!owned.isEmpty || r.answer.isEmpty)
            for rr in owned { #expect(rr.name.wire == name.wire, "\(rr)") }
        }
    }

    @Test func chainLongerThanTheLimitStops() throws {
        var text = """
        long.test. 3600 IN SOA ns.long.test. host.long.test. 1 7200 3600 1209600 300
        long.test. 3600 IN NS ns.long.test.
        ns.long.test. 3600 IN A 192.0.2.1

        """
        let n = QueryEngine.maxChainLinks + 5
        for i in 0..<n { text += "c\(i).long.test. 60 IN CNAME c\(i + 1).long.test.\n" }
        text += "c\(n).long.test. 60 IN A 192.0.2.2\n"
        let engine = QueryEngine(zones: try ZoneSet([try Fixtures.load("long.test.", text)]))
        let r = engine.answer(Question(try Name(parsing: "c0.long.test."), .a))
        #expect(r.rcode == .noError)
        #expect(r.answer.count == QueryEngine.maxChainLinks + 1)
        #expect(r.answer.allSatisfy { $0.type == .cname })
        // A chain just within the limit is followed to its end.
        let within = engine.answer(Question(try Name(parsing: "c\(n - QueryEngine.maxChainLinks).long.test."), .a))
        #expect(within.answer.last?.type == .a)
    }

    @Test func dnameSubstitutionTooLongIsYXDOMAIN() throws {
        let label = String(repeating: "a", count: 60)
        let target = "\(label).\(label).\(label).test."  // 184 octets
        let text = """
        y.test. 3600 IN SOA ns.y.test. host.y.test. 1 7200 3600 1209600 300
        y.test. 3600 IN NS ns.y.test.
        ns.y.test. 3600 IN A 192.0.2.1
        d.y.test. 60 IN DNAME \(target)
        """
        let engine = QueryEngine(zones: try ZoneSet([try Fixtures.load("y.test.", text)]))
        let q = try Name(parsing: "\(label).\(label).d.y.test.")
        let r = engine.answer(Question(q, .a))
        #expect(r.rcode == .yxDomain)
        #expect(r.answer.map(\.type) == [.dname])
        #expect(r.authoritative)
    }

    @Test func emptyZoneSetRefuses() throws {
        let r = QueryEngine(zones: .empty).answer(Question(try Name(parsing: "example."), .soa))
        #expect(r == AnswerResult(rcode: .refused, authoritative: false))
    }
}
