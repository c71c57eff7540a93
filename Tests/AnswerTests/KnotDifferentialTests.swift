import Testing
import DNSWire
import TestSupport
import Zone
@testable import Answer

/// Sends the same questions to Knot DNS (`knotd`, Debian package `knot`) serving the same
/// zones and compares rcode, AA and every section, order-insensitively, with QueryEngine.
///
/// Documented allowlist: a difference passes only when it is one of these, each permitted by
/// the RFC text quoted:
/// 1. Chains across served zones. Knot follows a CNAME/DNAME chain only inside the zone that
///    holds QNAME (internet.c `solve_name`: an out-of-zone target ends the answer). Tack goes
///    on into its other served zones, as RFC 1034 4.3.2 step 3a says: "change QNAME to the
///    canonical name in the CNAME RR, and go back to step 1", where step 2 "search[es] the
///    available zones for the zone which is the nearest ancestor to QNAME". Allowed when
///    Knot's sections are subsets of Tack's, Knot's last answer record is a CNAME into another
///    served zone, and every extra record is owned by a name in another served zone (the rcode
///    may then differ: RFC 6604 2.1, the rcode reflects the last name in the chain).
/// 2. Additional data from another served zone. Knot looks for additional A/AAAA only in the
///    answer's zone; Tack also uses its other served zones' authoritative data. RFC 1034
///    4.3.2 step 6: "add other RRs which may be useful to the additional section"; RFC 1035
///    3.3.9/3.3.11: additional section processing looks up "local data". Allowed when only
///    the additional section differs, Knot's is a subset of Tack's, and the extra records
///    are A/AAAA owned by names in another served zone.
@Suite(.serialized) struct KnotDifferentialTests {
    static let types: [RRType] = [.a, .aaaa, .ns, .mx, .txt, .soa, .cname, .ds, .dname, .srv, .any]

    enum Verdict {
        case same
        case allowed(String)
        case different(String)
    }

    /// Existing names, names below each of them (NXDOMAIN, wildcard, below cuts, below DNAME),
    /// each with every type; mixed-case copies; names in no served zone.
    static func questions(_ zones: ZoneSet) throws -> [Question] {
        var names: [Name] = []
        for zone in zones.zones {
            for node in zone.nodes {
                names.append(node.name)
                names.append(try Name(parsing: "nx1." + node.name.description))
                names.append(try Name(parsing: "a.b." + node.name.description))
            }
        }
        var out: [Question] = []
        for n in names { for t in types { out.append(Question(n, t)) } }
        for n in names {
            let mixed = try Name(parsing: scramble(n.description))
            for t in [RRType.a, .ns, .txt, .any, .ds] { out.append(Question(mixed, t)) }
        }
        for text in ["other.test.", "test.", "nx.", "example.com.", "www.second.test.example.org."] {
            for t in [RRType.a, .soa, .any] { out.append(Question(try Name(parsing: text), t)) }
        }
        return out
    }

    /// Alternates the case of letters: "www.example." -> "WwW.ExAmPlE.".
    static func scramble(_ s: String) -> String {
        var upper = true
        return String(s.map { c -> Character in
            guard c.isLetter else { return c }
            defer { upper.toggle() }
            return upper ? Character(c.uppercased()) : Character(c.lowercased())
        })
    }

    static func zoneOf(_ name: Name, _ zones: ZoneSet) -> Int? { zones.zoneIndex(for: name) }

    static func compare(_ q: Question, ours: AnswerResult, knot: Message, zones: ZoneSet) -> Verdict {
        // The query name's case, byte for byte, in the answer records it owns.
        for rr in ours.answer where rr.name == q.name && rr.name.wire != q.name.wire {
            return .different("Tack changed the case of owner \(rr.name) for \(q.name)")
        }
        for rr in knot.answers where rr.name == q.name && rr.name.wire != q.name.wire {
            return .different("Knot changed the case of owner \(rr.name) for \(q.name)")
        }
        let mine = [Set(ours.answer), Set(ours.authority), Set(ours.additional)]
        let theirs = [Set(knot.answers), Set(knot.authority), Set(knot.additional)]
        if ours.rcode == knot.rcode && ours.authoritative == knot.header.aa && mine == theirs { return .same }

        let home = zones.zoneIndex(for: q.name, type: q.type)
        func inOtherZone(_ rr: ResourceRecord) -> Bool {
            guard let z = zoneOf(rr.name, zones) else { return false }
            return z != home
        }
        let subsets = zip(theirs, mine).allSatisfy { $0.isSubset(of: $1) }
        let extras = zip(theirs, mine).flatMap { $1.subtracting($0) }
        if subsets && ours.authoritative == knot.header.aa {
            // 1. Chain into another served zone.
            if case .cname(let target)? = knot.answers.last?.rdata,
               let tz = zones.zoneIndex(for: target, type: q.type), tz != home,
               extras.allSatisfy(inOtherZone) {
                return .allowed("chain into another served zone (RFC 1034 4.3.2 step 3a)")
            }
            // 2. Additional data from another served zone.
            if ours.rcode == knot.rcode && mine[0] == theirs[0] && mine[1] == theirs[1]
                && extras.allSatisfy({ ($0.type == .a || $0.type == .aaaa) && inOtherZone($0) }) {
                return .allowed("additional data from another served zone (RFC 1034 4.3.2 step 6)")
            }
        }
        func show(_ s: Set<ResourceRecord>) -> String { s.map(render).sorted().joined(separator: "\n  ") }
        return .different("""
        \(q): rcode tack \(ours.rcode) knot \(knot.rcode), aa tack \(ours.authoritative) knot \(knot.header.aa)
         answer tack:\n  \(show(mine[0]))\n answer knot:\n  \(show(theirs[0]))
         authority tack:\n  \(show(mine[1]))\n authority knot:\n  \(show(theirs[1]))
         additional tack:\n  \(show(mine[2]))\n additional knot:\n  \(show(theirs[2]))
        """)
    }

    @Test(.enabled(if: KnotServer.isInstalled, "knotd is not installed (Debian package knot): skipping the Knot differential test"))
    func sameAnswersAsKnot() throws {
        let zones = try Fixtures.zoneSet()
        let engine = QueryEngine(zones: zones)
        // Knot reads the zones as Tack loaded them (same records, TTLs made uniform).
        let files = zones.zones.map { z in
            (origin: z.origin.description, text: z.records.map(render).joined(separator: "\n") + "\n")
        }
        let knot = try KnotServer.start(zones: files)
        defer { knot.stop() }

        let questions = try KnotDifferentialTests.questions(zones)
        var differences: [String] = []
        var allowed: [String: Int] = [:]
        var same = 0
        for q in questions {
            let reply = try knot.query(q)
            switch KnotDifferentialTests.compare(q, ours: engine.answer(q), knot: reply, zones: zones) {
            case .same: same += 1
            case .allowed(let why): allowed[why, default: 0] += 1
            case .different(let text): differences.append(text)
            }
        }
        #expect(questions.count > 1000)
        #expect(differences.isEmpty, "\(differences.count) of \(questions.count) answers differ from Knot:\n\(differences.prefix(20).joined(separator: "\n\n"))")
        // The allowlist is exercised, not dead: both documented differences occur here.
        #expect(allowed.count == 2, "allowed differences: \(allowed)")
        print("Knot differential: \(questions.count) questions, \(same) identical, allowed: \(allowed)")
    }
}
