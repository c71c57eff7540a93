import DNSWire
import Foundation
import Testing
@testable import Health

func a(_ s: String) -> RData { try! RData.parse(type: .a, text: s) }
func name(_ s: String) -> Name { try! Name(parsing: s) }

/// web1 .1, web2 .2 in tier 1; backup1 .3 in tier 2 (plus cname targets for CNAME pools).
func model(policy: PoolPolicy = .failover, minHealthy: Int = 1, allDown: AllDownMode? = nil,
           weights: [UInt32] = [1, 1, 1], tiers: [[Int]] = [[0, 1], [2]], kind: RRType = .a) throws -> HealthModel {
    let names = ["web1", "web2", "backup1"]
    let targets = names.enumerated().map { i, n in
        TargetDefinition(name: n, answers: [a("192.0.2.\(i + 1)"), .cname(name("\(n).example.net."))].filter {
            kind == .cname ? $0.type == .cname : $0.type == .a
        }, monitors: [MonitorSlot(name: "tcp")])
    }
    let pool = PoolDefinition(name: "www", owner: name("www.example.com."), kind: kind,
                              tiers: tiers.map { $0.map { PoolMemberDefinition(target: names[$0], weight: weights[$0]) } },
                              policy: policy, minHealthy: minHealthy, allDown: allDown, ttl: 300, degradedTTL: 30)
    return try HealthModel(targets: targets, pools: [pool])
}

func evaluate(_ m: HealthModel, _ s: String) -> PoolAnswer {
    let st = states(s)
    return PoolAnswer.evaluate(m.pools[0], states: st, reasons: st.map { "\($0) because test" }, names: m.targets.map(\.name))
}

/// The addresses' last octets of a selection, or "NODATA"/"SERVFAIL".
func show(_ sel: PoolSelection) -> String {
    switch sel {
    case .records(let rs, _):
        rs.map { r in
            if case .a(let v) = r { return String(v.address[3]) }
            return r.presentation
        }.joined(separator: ",")
    case .nodata: "NODATA"
    case .servfail: "SERVFAIL"
    }
}

func ttl(_ sel: PoolSelection) -> UInt32? {
    switch sel {
    case .records(_, let t), .nodata(let t): t
    case .servfail: nil
    }
}

struct PoolAnswerTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        var policy: PoolPolicy = .failover
        var minHealthy = 1
        var allDown: AllDownMode? = nil
        let states: String
        let answer: String
        let ttl: UInt32?
        let tier: Int?
        let status: PoolStatus
        var testDescription: String { name }
    }

    static let failoverRows: [Row] = [
        Row(name: "all up: tier 1 in full", states: "UUU", answer: "1,2", ttl: 300, tier: 0, status: .primary),
        Row(name: "one primary down: degraded TTL", states: "DUU", answer: "2", ttl: 30, tier: 0, status: .degraded),
        Row(name: "primaries down: secondary", states: "DDU", answer: "3", ttl: 30, tier: 1, status: .degraded),
        Row(name: "a down secondary is never served", states: "UUD", answer: "1,2", ttl: 300, tier: 0, status: .primary),
        Row(name: "all down: first-tier default", states: "DDD", answer: "1,2", ttl: 30, tier: 0, status: .allDown(.firstTier)),
        Row(name: "all down: all", allDown: .all, states: "DDD", answer: "1,2,3", ttl: 30, tier: nil, status: .allDown(.all)),
        Row(name: "all down: nodata", allDown: .nodata, states: "DDD", answer: "NODATA", ttl: 30, tier: nil, status: .allDown(.nodata)),
        Row(name: "all down: servfail", allDown: .servfail, states: "DDD", answer: "SERVFAIL", ttl: nil, tier: nil, status: .allDown(.servfail)),
        Row(name: "nothing checked: first tier", states: "???", answer: "1,2", ttl: 30, tier: 0, status: .unchecked),
        Row(name: "unknown counts as down once anything is known", states: "??U", answer: "3", ttl: 30, tier: 1, status: .degraded),
        Row(name: "min_healthy 2 skips a half tier", minHealthy: 2, states: "UDU", answer: "3", ttl: 30, tier: 1, status: .degraded),
        Row(name: "min_healthy clamps to tier size", minHealthy: 2, states: "DDU", answer: "3", ttl: 30, tier: 1, status: .degraded),
        Row(name: "min_healthy 2 with full tier", minHealthy: 2, states: "UUD", answer: "1,2", ttl: 300, tier: 0, status: .primary),
        Row(name: "multivalue all down: all by default", policy: .multivalue(maxAnswers: 8), states: "DDD", answer: "1,2,3", ttl: 30,
            tier: nil, status: .allDown(.all)),
    ]

    @Test(arguments: failoverRows)
    func policies(_ row: Row) throws {
        let m = try model(policy: row.policy, minHealthy: row.minHealthy, allDown: row.allDown)
        let ans = evaluate(m, row.states)
        let sel = ans.select(0)
        #expect(show(sel) == row.answer)
        #expect(ttl(sel) == row.ttl)
        #expect(ans.tier == row.tier)
        #expect(ans.status == row.status)
        #expect(!ans.reason.isEmpty)
    }

    @Test func reasonExplainsFallback() throws {
        let ans = evaluate(try model(), "DDU")
        #expect(ans.reason.contains("tier 1 not served: 0/2 healthy, needs 1 (web1 down: down because test; web2 down: down because test)"))
        #expect(ans.reason.contains("serving tier 2: 1/1 healthy, needs 1"))
        #expect(ans.servedTargets == [2])
    }

    @Test func multivalueRotatesAndCaps() throws {
        let m = try model(policy: .multivalue(maxAnswers: 2), tiers: [[0, 1, 2]])
        let ans = evaluate(m, "UUU")
        #expect((0..<4).map { show(ans.select($0)) } == ["1,2", "2,3", "3,1", "1,2"])
        let one = evaluate(m, "UDU")
        #expect((0..<3).map { show(one.select($0)) } == ["1,3", "3,1", "1,3"])
        #expect(ttl(one.select(0)) == 30)
    }

    @Test func weightedFollowsWeights() throws {
        let m = try model(policy: .weighted, weights: [3, 1, 1], tiers: [[0, 1], [2]])
        let ans = evaluate(m, "UUU")
        #expect(ans.table.count == 4)
        // Smooth weighted round-robin interleaves: 3:1 gives web1 web1 web2 web1.
        #expect((0..<4).map { show(ans.select($0)) } == ["1", "1", "2", "1"])
        let down = evaluate(m, "DUU")
        #expect(Set((0..<8).map { show(down.select($0)) }) == ["2"])
    }

    @Test func weightTablesAreReducedAndBounded() {
        #expect(PoolAnswer.smoothWeightedTable([300, 100]).count == 4)
        let big = PoolAnswer.smoothWeightedTable([1_000_000, 1])
        #expect(big.count <= HealthLimits.maxWeightTable + 1)
        #expect(big.contains(1))
        let even = PoolAnswer.smoothWeightedTable([1, 1, 1])
        #expect(even == [0, 1, 2])
    }

    @Test func cnamePoolsServeOneRecord() throws {
        let fo = evaluate(try model(kind: .cname), "DUU")
        #expect(show(fo.select(0)) == "web2.example.net.")
        let full = evaluate(try model(kind: .cname), "UUU")
        #expect(show(full.select(0)) == "web1.example.net.")
        let mv = evaluate(try model(policy: .multivalue(maxAnswers: 4), kind: .cname), "UUU")
        #expect((0..<2).map { show(mv.select($0)) } == ["web1.example.net.", "web2.example.net."])
    }

    struct BadModel: Sendable, CustomTestStringConvertible {
        let name: String
        let targets: [TargetDefinition]
        let pool: PoolDefinition
        let message: String
        var testDescription: String { name }
    }

    static let web1 = TargetDefinition(name: "web1", answers: [a("192.0.2.1")], monitors: [MonitorSlot(name: "tcp")])
    static func pool(_ tiers: [[String]], kind: RRType = .a, policy: PoolPolicy = .failover, ttl: UInt32 = 300,
                     degraded: UInt32? = nil, minHealthy: Int = 1) -> PoolDefinition {
        PoolDefinition(name: "www", owner: name("www.example.com."), kind: kind,
                       tiers: tiers.map { $0.map { PoolMemberDefinition(target: $0) } }, policy: policy,
                       minHealthy: minHealthy, ttl: ttl, degradedTTL: degraded)
    }

    static let badModels: [BadModel] = [
        BadModel(name: "unknown target", targets: [web1], pool: pool([["web9"]]), message: "target 'web9' is not defined"),
        BadModel(name: "duplicate target", targets: [web1, web1], pool: pool([["web1"]]), message: "defined twice"),
        BadModel(name: "no tiers", targets: [web1], pool: pool([]), message: "has no tiers"),
        BadModel(name: "empty tier", targets: [web1], pool: pool([["web1"], []]), message: "tier 2 is empty"),
        BadModel(name: "member twice", targets: [web1], pool: pool([["web1"], ["web1"]]), message: "more than once"),
        BadModel(name: "no answer of the pool's kind", targets: [web1], pool: pool([["web1"]], kind: .aaaa), message: "has no AAAA answer"),
        BadModel(name: "unsupported kind", targets: [web1], pool: pool([["web1"]], kind: .mx), message: "not supported"),
        BadModel(name: "max_answers 0", targets: [web1], pool: pool([["web1"]], policy: .multivalue(maxAnswers: 0)), message: "max_answers"),
        BadModel(name: "degraded ttl longer", targets: [web1], pool: pool([["web1"]], ttl: 60, degraded: 120), message: "degraded_ttl"),
        BadModel(name: "min_healthy 0", targets: [web1], pool: pool([["web1"]], minHealthy: 0), message: "min_healthy"),
    ]

    @Test(arguments: badModels)
    func invalidModels(_ row: BadModel) {
        do {
            _ = try HealthModel(targets: row.targets, pools: [row.pool])
            Issue.record("expected an error containing \(row.message)")
        } catch {
            #expect(error.message.contains(row.message), "\(error.message)")
        }
    }

    @Test func modelResolvesNames() throws {
        let m = try model()
        #expect(m.poolIndex(owner: name("WWW.example.com."), kind: .a) == 0)
        #expect(m.poolIndex(owner: name("www.example.com."), kind: .aaaa) == nil)
        #expect(m.poolIndex(named: "www") == 0)
        #expect(m.targetIndex(named: "backup1") == 2)
        #expect(m.poolsOfTarget == [[0], [0], [0]])
    }
}
