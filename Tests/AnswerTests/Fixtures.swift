import DNSWire
import TestSupport
import Zone
import Answer

/// The zones shared by the table tests and the Knot differential test.
enum Fixtures {
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
    sub.example. 3600 IN DS \\# 8 3039080201020304
    ns.sub.example. 3600 IN A 192.0.2.53
    ns.sub.example. 3600 IN AAAA 2001:db8::53
    kid.example. 3600 IN NS ns.kid.example.
    kid.example. 3600 IN DS \\# 8 d431080201020304
    ns.kid.example. 3600 IN A 192.0.2.60
    d.example. 900 IN DNAME target.example.
    x.target.example. 60 IN A 192.0.2.9
    srv.example. 60 IN SRV \\# 20 0000000000500461626364076578616d706c6500
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

    /// Corner cases: a wildcard at the apex, wildcard CNAMEs (into a delegation too), an MX
    /// whose exchange is an alias, nested and sibling delegations, occluded data, and a
    /// wildcard that is itself an empty non-terminal.
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

    static let zoneTexts: [(origin: String, text: String)] = [
        ("example.", example), ("second.test.", second), ("kid.example.", kid), ("edge.test.", edge),
    ]

    static func load(_ origin: String, _ text: String) throws -> Zone {
        let (records, locations) = try TestZoneReader.read(text)
        return try Zone.load(origin: try Name(parsing: origin), records: records, locations: locations).zone
    }

    static func zoneSet() throws -> ZoneSet {
        try ZoneSet(zoneTexts.map { try load($0.origin, $0.text) })
    }
}

/// One record in the single-space presentation form used to compare sections.
func render(_ rr: ResourceRecord) -> String {
    "\(rr.name) \(rr.ttl) \(rr.rclass) \(rr.type) \(rr.rdata.presentation)"
}

/// An expected response: `RCODE [aa]`, then `;answer`, `;authority`, `;additional` markers
/// each followed by records (`owner ttl class type rdata`, absolute names).
struct Expected: CustomStringConvertible {
    var rcode: RCode
    var aa: Bool
    var answer: [String] = []
    var authority: [String] = []
    var additional: [String] = []

    static let rcodes: [String: RCode] = [
        "NOERROR": .noError, "NXDOMAIN": .nxDomain, "REFUSED": .refused, "YXDOMAIN": .yxDomain,
        "SERVFAIL": .servFail,
    ]

    init(_ text: String) throws {
        var lines = text.split(separator: "\n").map { $0.trimmingPrefix(while: { $0 == " " }) }.filter { !$0.isEmpty }
        let head = lines.removeFirst().split(separator: " ")
        rcode = Expected.rcodes[String(head[0])]!
        aa = head.dropFirst().contains("aa")
        var section = 0
        for line in lines {
            switch line {
            case ";answer": section = 1
            case ";authority": section = 2
            case ";additional": section = 3
            default:
                let rr = try TestZoneReader.read(String(line)).records[0]
                switch section {
                case 1: answer.append(render(rr))
                case 2: authority.append(render(rr))
                case 3: additional.append(render(rr))
                default: preconditionFailure("record before a section marker: \(line)")
                }
            }
        }
    }

    init(_ r: AnswerResult) {
        rcode = r.rcode; aa = r.authoritative
        answer = r.answer.map(render); authority = r.authority.map(render); additional = r.additional.map(render)
    }

    /// Answer in order (a chain's order matters); authority and additional as sets.
    func matches(_ o: Expected) -> Bool {
        rcode == o.rcode && aa == o.aa && answer == o.answer
            && authority.sorted() == o.authority.sorted() && additional.sorted() == o.additional.sorted()
    }

    var description: String {
        "\(rcode)\(aa ? " aa" : "")\n;answer\n" + answer.joined(separator: "\n")
            + "\n;authority\n" + authority.joined(separator: "\n")
            + "\n;additional\n" + additional.joined(separator: "\n")
    }
}

/// A reply as the tests compare it: the bytes sent, the messages of a transfer, or nothing.
enum Replied: Equatable {
    case reply([UInt8])
    case replies([[UInt8]])
    case drop(DropReason)
}

extension Responder {
    /// Answers one query into a fresh writer and returns what would be sent.
    func respond(to query: [UInt8], context: QueryContext) -> Replied {
        var w = WireWriter(capacity: 512)
        switch respond(to: query, context: context, into: &w) {
        case .reply: return .reply(w.bytes)
        case .transfer(let messages): return .replies(messages)
        case .drop(let why): return .drop(why)
        }
    }
}
