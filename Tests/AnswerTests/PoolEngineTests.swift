import Foundation
import Testing
import DNSWire
import Health
import Zone
import TestSupport
@testable import Answer

/// The engine answering pool owners from a HealthSnapshot built by a HealthBoard fed recorded
/// check results at fixed times (no clock, no network).
@Suite struct PoolEngineTests {
    static let zoneText = """
    pool.test. 3600 IN SOA ns.pool.test. host.pool.test. 1 7200 3600 1209600 300
    pool.test. 3600 IN NS ns.pool.test.
    ns.pool.test. 3600 IN A 192.0.2.1
    www.pool.test. 60 IN TXT "static"
    real.pool.test. 600 IN A 192.0.2.99
    """

    static func rd(_ type: RRType, _ text: String) -> RData { try! RData.parse(type: type, text: text) }
    static func n(_ s: String) -> Name { try! Name(parsing: s) }

    /// web1/web2 (tier 1), backup (tier 2) for www A; c1/c2 for the CNAME pool alias;
    /// m1..m3 for the multivalue pool multi (max 2 answers).
    static func model(allDown: AllDownMode? = nil) throws -> HealthModel {
        func t(_ name: String, _ answers: [RData]) -> TargetDefinition {
            TargetDefinition(name: name, answers: answers, monitors: [MonitorSlot(name: "http")])
        }
        let targets = [
            t("web1", [rd(.a, "192.0.2.11")]), t("web2", [rd(.a, "192.0.2.12")]), t("backup", [rd(.a, "198.51.100.1")]),
            t("c1", [.cname(n("real.pool.test."))]), t("c2", [.cname(n("elsewhere.example.net."))]),
            t("m1", [rd(.a, "203.0.113.1")]), t("m2", [rd(.a, "203.0.113.2")]), t("m3", [rd(.a, "203.0.113.3")]),
        ]
        let m = { (s: String) in PoolMemberDefinition(target: s) }
        let pools = [
            PoolDefinition(name: "www", owner: n("www.pool.test."), kind: .a, tiers: [[m("web1"), m("web2")], [m("backup")]],
                           policy: .failover, allDown: allDown, ttl: 300, degradedTTL: 20),
            PoolDefinition(name: "alias", owner: n("alias.pool.test."), kind: .cname, tiers: [[m("c1")], [m("c2")]],
                           ttl: 120, degradedTTL: 10),
            PoolDefinition(name: "multi", owner: n("multi.pool.test."), kind: .a, tiers: [[m("m1"), m("m2"), m("m3")]],
                           policy: .multivalue(maxAnswers: 2), ttl: 60, degradedTTL: 15),
            PoolDefinition(name: "deep", owner: n("a.b.deep.pool.test."), kind: .a, tiers: [[m("backup")]], ttl: 60),
        ]
        return try HealthModel(targets: targets, pools: pools)
    }

    /// An engine whose snapshot has `up` targets passing and `down` targets failing.
    static func engine(up: [String], down: [String], allDown: AllDownMode? = nil) throws -> QueryEngine {
        let model = try model(allDown: allDown)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let board = HealthBoard(model: model, at: t0, publish: { _, _ in })
        for (names, result) in [(up, CheckResult.success("ok")), (down, .failure("refused"))] {
            for name in names {
                _ = board.record(target: model.targetIndex(named: name)!, monitor: 0, result: result, at: t0.addingTimeInterval(1))
            }
        }
        let (records, locations) = try TestZoneReader.read(zoneText)
        let zones = try ZoneSet([try Zone.load(origin: n("pool.test."), records: records, locations: locations).zone])
        return QueryEngine(zones: zones, pools: PoolBindings(zones: zones, model: model), health: board.snapshot)
    }

    static let all = ["web1", "web2", "backup", "c1", "c2", "m1", "m2", "m3"]
    static let soa = "pool.test. 300 IN SOA ns.pool.test. host.pool.test. 1 7200 3600 1209600 300"

    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        var down: [String]
        var allDown: AllDownMode? = nil
        var question: String
        var expected: String
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "primary up: primary tier, full TTL", down: [], question: "www.pool.test. A", expected: """
            NOERROR aa
            ;answer
            www.pool.test. 300 IN A 192.0.2.11
            www.pool.test. 300 IN A 192.0.2.12
            """),
        Row(label: "one primary down: degraded TTL", down: ["web1"], question: "www.pool.test. A", expected: """
            NOERROR aa
            ;answer
            www.pool.test. 20 IN A 192.0.2.12
            """),
        Row(label: "primaries down: secondary tier", down: ["web1", "web2"], question: "WWW.Pool.TEST. A", expected: """
            NOERROR aa
            ;answer
            WWW.Pool.TEST. 20 IN A 198.51.100.1
            """),
        Row(label: "all down, first-tier", down: ["web1", "web2", "backup"], question: "www.pool.test. A", expected: """
            NOERROR aa
            ;answer
            www.pool.test. 20 IN A 192.0.2.11
            www.pool.test. 20 IN A 192.0.2.12
            """),
        Row(label: "all down, all", down: ["web1", "web2", "backup"], allDown: .all, question: "www.pool.test. A", expected: """
            NOERROR aa
            ;answer
            www.pool.test. 20 IN A 192.0.2.11
            www.pool.test. 20 IN A 192.0.2.12
            www.pool.test. 20 IN A 198.51.100.1
            """),
        Row(label: "all down, nodata", down: ["web1", "web2", "backup"], allDown: .nodata, question: "www.pool.test. A",
            expected: "NOERROR aa\n;authority\n\(soa)"),
        Row(label: "all down, servfail", down: ["web1", "web2", "backup"], allDown: .servfail, question: "www.pool.test. A",
            expected: "SERVFAIL aa"),
        Row(label: "other types at the owner come from the zone", down: ["web1", "web2", "backup"], allDown: .servfail,
            question: "www.pool.test. TXT", expected: """
            NOERROR aa
            ;answer
            www.pool.test. 60 IN TXT "static"
            """),
        Row(label: "no AAAA pool: NODATA from the zone", down: [], question: "www.pool.test. AAAA",
            expected: "NOERROR aa\n;authority\n\(soa)"),
        Row(label: "CNAME pool chased in zone", down: [], question: "alias.pool.test. A", expected: """
            NOERROR aa
            ;answer
            alias.pool.test. 120 IN CNAME real.pool.test.
            real.pool.test. 600 IN A 192.0.2.99
            """),
        Row(label: "CNAME pool asked for CNAME", down: [], question: "alias.pool.test. CNAME", expected: """
            NOERROR aa
            ;answer
            alias.pool.test. 120 IN CNAME real.pool.test.
            """),
        Row(label: "CNAME pool failed over, leaves the served zones", down: ["c1"], question: "alias.pool.test. A", expected: """
            NOERROR aa
            ;answer
            alias.pool.test. 10 IN CNAME elsewhere.example.net.
            """),
        Row(label: "pool-only owner, other type: NODATA", down: [], question: "multi.pool.test. TXT",
            expected: "NOERROR aa\n;authority\n\(soa)"),
        Row(label: "deep pool owner answers", down: [], question: "a.b.deep.pool.test. A", expected: """
            NOERROR aa
            ;answer
            a.b.deep.pool.test. 60 IN A 198.51.100.1
            """),
        Row(label: "ancestor of a pool-only owner is an empty non-terminal", down: [], question: "b.deep.pool.test. A",
            expected: "NOERROR aa\n;authority\n\(soa)"),
        Row(label: "below a pool-only owner: NXDOMAIN", down: [], question: "x.multi.pool.test. A",
            expected: "NXDOMAIN aa\n;authority\n\(soa)"),
    ]

    @Test(arguments: rows)
    func answers(_ row: Row) throws {
        let engine = try PoolEngineTests.engine(up: PoolEngineTests.all.filter { !row.down.contains($0) }, down: row.down,
                                                allDown: row.allDown)
        let parts = row.question.split(separator: " ")
        let got = Expected(engine.answer(Question(try Name(parsing: parts[0]), RRType(mnemonic: parts[1])!), selector: 7))
        let want = try Expected(row.expected)
        #expect(got.matches(want), "\(row.label)\n--- got:\n\(got)\n--- want:\n\(want)")
    }

    /// Multivalue: at most max_answers records, and the selector (query ID) rotates which ones.
    @Test func multivalueRotatesWithinMaxAnswers() throws {
        let engine = try PoolEngineTests.engine(up: PoolEngineTests.all, down: [])
        var seen = Set<String>()
        for id in UInt32(0)..<6 {
            let r = engine.answer(Question(PoolEngineTests.n("multi.pool.test."), .a), selector: id)
            #expect(r.rcode == .noError)
            #expect(r.answer.count == 2)
            #expect(r.answer.allSatisfy { $0.ttl == 60 && $0.type == .a })
            seen.insert(r.answer.map { $0.rdata.presentation }.sorted().joined(separator: ","))
        }
        #expect(seen.count > 1, "the same two records for every query ID: \(seen)")
        #expect(Set(seen.flatMap { $0.split(separator: ",") }).count == 3)
    }

    /// Without pools the engine is the static engine.
    @Test func staticEngineIgnoresPools() throws {
        let (records, locations) = try TestZoneReader.read(PoolEngineTests.zoneText)
        let zones = try ZoneSet([try Zone.load(origin: PoolEngineTests.n("pool.test."), records: records, locations: locations).zone])
        let r = QueryEngine(zones: zones).answer(Question(PoolEngineTests.n("www.pool.test."), .a), selector: 3)
        #expect(r.rcode == .noError && r.answer.isEmpty)
    }
}
