import Testing
import DNSWire
import TestSupport
import Zone
@testable import Answer

/// Sends the same questions to Knot DNS (`knotd`, Debian package `knot`) serving the same
/// zones and compares rcode, AA and every section, order-insensitively, with QueryEngine; then
/// asks them again of a real `tack serve` over UDP (all) and TCP (a sample) and compares its
/// wire replies with Knot's by the same rules, plus header flags, question echo and OPT.
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

    /// Longest one pass over the questions may take (they take seconds); it stops there and fails.
    static let passDeadline: Duration = .seconds(300)

    /// Verdicts counted: identical, allowed (by reason), different (with the rendering).
    struct Tally {
        var same = 0
        var allowed: [String: Int] = [:]
        var differences: [String] = []
        var count: Int { same + allowed.values.reduce(0, +) + differences.count }

        mutating func add(_ verdict: Verdict) {
            switch verdict {
            case .same: same += 1
            case .allowed(let why): allowed[why, default: 0] += 1
            case .different(let text): differences.append(text)
            }
        }

        var summary: String { "\(count) questions, \(same) identical, allowed: \(allowed)" }
    }

    /// The zones as Tack loaded them (same records, TTLs made uniform), as zone-file text.
    static func zoneFiles(_ zones: ZoneSet) -> [(origin: String, text: String)] {
        zones.zones.map { z in
            (origin: z.origin.description, text: z.records.map(render).joined(separator: "\n") + "\n")
        }
    }

    /// A decoded reply in the shape QueryEngine returns, so wire replies go through `compare`.
    static func result(_ m: Message) -> AnswerResult {
        AnswerResult(rcode: m.rcode, authoritative: m.header.aa, answer: m.answers,
                     authority: m.authority, additional: m.additional)
    }

    /// What only a wire reply has: the header flags other than AA and RCODE (those two are
    /// `compare`'s), the echoed question byte for byte (RFC 1035 4.1.2, case kept), the OPT
    /// record (RFC 6891 7: a query with OPT gets one back), and no truncation (every generated
    /// answer fits 1232 octets, so TC would mean sections are missing).
    static func wireDifference(_ q: Question, tack: Message, knot: Message) -> String? {
        func flags(_ h: Header) -> String {
            "qr \(h.qr) opcode \(h.opcode) tc \(h.tc) rd \(h.rd) ra \(h.ra) z \(h.z) ad \(h.ad) cd \(h.cd)"
        }
        if flags(tack.header) != flags(knot.header) {
            return "\(q): header flags tack [\(flags(tack.header))] knot [\(flags(knot.header))]"
        }
        if !tack.header.qr || tack.header.tc {
            return "\(q): reply flags [\(flags(tack.header))], expected qr and no tc"
        }
        for (server, m) in [("tack", tack), ("knot", knot)] {
            guard m.questions.count == 1, m.questions[0] == q, m.questions[0].name.wire == q.name.wire else {
                return "\(q): \(server) echoed question \(m.questions) (case kept?)"
            }
        }
        func opt(_ e: EDNS?) -> String {
            e.map { "version \($0.version) do \($0.dnssecOK) udp \($0.udpSize)" } ?? "none"
        }
        if tack.edns == nil || opt(tack.edns) != opt(knot.edns) {
            return "\(q): OPT tack [\(opt(tack.edns))] knot [\(opt(knot.edns))]"
        }
        return nil
    }

    /// Both replies from the wire: header, question and OPT first, then the sections by `compare`.
    static func compareWire(_ q: Question, tack: Message, knot: Message, zones: ZoneSet) -> Verdict {
        if let text = wireDifference(q, tack: tack, knot: knot) { return .different(text) }
        return compare(q, ours: result(tack), knot: knot, zones: zones)
    }

    static func expectAgreement(_ tally: Tally, of asked: Int, _ label: String) {
        #expect(tally.count == asked, "\(label): only \(tally.count) of \(asked) questions compared before the deadline")
        #expect(tally.differences.isEmpty, "\(label): \(tally.differences.count) of \(tally.count) answers differ from Knot:\n\(tally.differences.prefix(20).joined(separator: "\n\n"))")
        // The allowlist is exercised, not dead: both documented differences occur here.
        #expect(tally.allowed.count == 2, "\(label): allowed differences: \(tally.allowed)")
    }

    /// Questions asked and what came of them, from one pass (two for the network path).
    struct Run: Sendable {
        var asked = 0
        var tally = Tally()
        var sampled = 0
        var tcp = Tally()
    }

    @Test(.enabled(if: KnotServer.isInstalled, "knotd is not installed (Debian package knot): skipping the Knot differential test"))
    func sameAnswersAsKnot() async throws {
        let run = try await onOwnThread { try KnotDifferentialTests.askEngineAndKnot() }
        #expect(run.asked > 1000)
        KnotDifferentialTests.expectAgreement(run.tally, of: run.asked, "in process")
        print("Knot differential, in process: \(run.tally.summary)")
    }

    static func askEngineAndKnot() throws -> Run {
        let zones = try Fixtures.zoneSet()
        let engine = QueryEngine(zones: zones)
        let knot = try KnotServer.start(zones: zoneFiles(zones))
        defer { knot.stop() }

        let questions = try Self.questions(zones)
        var run = Run(asked: questions.count)
        let deadline = ContinuousClock.now + passDeadline
        for q in questions where ContinuousClock.now < deadline {
            run.tally.add(compare(q, ours: engine.answer(q), knot: try knot.query(q), zones: zones))
        }
        return run
    }

    /// Every this many generated questions also goes over TCP (beside the non-identical ones).
    static let tcpSampleStride = 10

    /// The same questions through the whole path: a real `tack serve` (the built binary, its
    /// config, zone files, UDP/TCP listeners, responder) against knotd, replies decoded from
    /// the wire on both sides. All of them over UDP to 127.0.0.1; over one TCP connection per
    /// server (Tack's on ::1, so both address families are crossed) every tenth question and
    /// every one whose UDP replies were not identical.
    @Test(.enabled(if: KnotServer.isInstalled, "knotd is not installed (Debian package knot): skipping the Knot differential test"))
    func sameAnswersAsKnotOverTheNetwork() async throws {
        let run = try await onOwnThread { try KnotDifferentialTests.askTackServeAndKnot() }
        #expect(run.asked > 1000)
        KnotDifferentialTests.expectAgreement(run.tally, of: run.asked, "tack serve over UDP")
        KnotDifferentialTests.expectAgreement(run.tcp, of: run.sampled, "tack serve over TCP")
        print("Knot differential, tack serve over UDP: \(run.tally.summary)")
        print("Knot differential, tack serve over TCP: \(run.tcp.summary)")
    }

    static func askTackServeAndKnot() throws -> Run {
        let zones = try Fixtures.zoneSet()
        let files = zoneFiles(zones)
        let knot = try KnotServer.start(zones: files)
        defer { knot.stop() }
        let tack = try TackProcess.start(zones: files.enumerated().map { i, z in
            (name: String(z.origin.dropLast()), file: "zone\(i).zone", text: z.text)
        })
        defer { tack.stop() }

        let questions = try Self.questions(zones)
        var run = Run(asked: questions.count)
        let clock = ContinuousClock()
        var notIdentical: [Int] = []
        let udpDeadline = clock.now + passDeadline
        for (i, q) in questions.enumerated() where clock.now < udpDeadline {
            let ours = try TestDNS.udp(q, host: "127.0.0.1", port: tack.port)
            let verdict = compareWire(q, tack: ours, knot: try knot.query(q), zones: zones)
            if case .same = verdict {} else { notIdentical.append(i) }
            run.tally.add(verdict)
        }

        let sample = Set(stride(from: 0, to: questions.count, by: tcpSampleStride))
            .union(notIdentical).sorted().map { questions[$0] }
        run.sampled = sample.count
        let tackTCP = try TCPConnection(host: "::1", port: tack.port)
        let knotTCP = try knot.connectTCP()
        let tcpDeadline = clock.now + passDeadline
        for q in sample where clock.now < tcpDeadline {
            let ours = try TestDNS.tcp(q, on: tackTCP)
            run.tcp.add(compareWire(q, tack: ours, knot: try TestDNS.tcp(q, on: knotTCP), zones: zones))
        }
        return run
    }
}
