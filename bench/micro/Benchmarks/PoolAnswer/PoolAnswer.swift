import Answer
import Benchmark
import DNSWire
import Foundation
import Health
import Zone
import ZoneFile

// Issue #5: "a pool answer costs no more than 5% over a static answer". One zone, three owners
// whose answers have the same shape (two A records, owner names of equal length):
//
//   st.pool.test.  static A RRset in the zone file
//   fo.pool.test.  failover pool, tier 1 = two targets, both up (status primary, full TTL)
//   mv.pool.test.  multivalue pool of three targets, max_answers 2, all up (rotates per query ID)
//   fx.pool.test.  the failover pool's targets again, at an owner that also has a static TXT
//
// fo and mv have no static data (the usual configuration): the engine finds them in
// PoolBindings' table of node-less owners after the zone lookup misses. fx has a zone node, so
// its pool is found through the node's slots, the other path.
//
// Two paths, each measured per query (wall clock and malloc calls):
//   Respond: `Responder.respond(to:context:into:)` with a reused WireWriter, query bytes in,
//            reply bytes out (the server's path minus the transport). The query ID changes
//            every query, as on the wire; it is the multivalue selector.
//   Engine:  `QueryEngine.answer(_:selector:)` alone (the lookup and the AnswerResult).
//
// The "Ratio" benchmarks measure pool/static directly: each iteration alternates batches of
// static and pool queries (32 batches of 128 each, order swapped every batch so drift and
// cache effects hit both sides) and records min(pool batch) / min(static batch) in per mille.
// The fastest batch of each side is the one least disturbed by other processes (this box is
// shared), so the ratio stays put under load where per-sample percentiles do not. Per-query
// timings above include a clock read per sample, which pulls any ratio of them towards 1; the
// batched ratio does not. `make benchmark-check` fails when its p90 is over the budget,
// 1050 per mille (see `ratioThresholdMidpoint`).

/// The zone: apex, NS with glue, the static owner, and some neighbours so the hashed lookup
/// is not trivially small.
let zoneText: String = {
    var s = """
    $TTL 3600
    pool.test. IN SOA ns1.pool.test. hostmaster.pool.test. 1 7200 3600 1209600 300
    pool.test. IN NS ns1.pool.test.
    pool.test. IN NS ns2.pool.test.
    ns1.pool.test. IN A 192.0.2.53
    ns2.pool.test. IN A 192.0.2.54
    st.pool.test. 300 IN A 192.0.2.11
    st.pool.test. 300 IN A 192.0.2.12
    fx.pool.test. 300 IN TXT "v=static text beside a pool"

    """
    for i in 0..<1000 { s += "h\(i).pool.test. IN A 198.51.100.\(i % 250 + 1)\n" }
    return s
}()

func name(_ s: String) -> Name { try! Name(parsing: s) }
func a(_ s: String) -> RData { try! RData.parse(type: .a, text: s) }

/// The served data: zone set, health model, a snapshot where every target is up, the engine.
struct Fixture {
    let engine: QueryEngine
    let responder: Responder<QueryEngine>

    init() {
        let origin = name("pool.test.")
        let loaded = ZoneLoader.load(text: zoneText, origin: origin, fileName: "pool.test.zone")
        guard let zone = loaded.zone else { fatalError(loaded.formattedDiagnostics(name: "pool.test.zone")) }
        let zones = try! ZoneSet([zone])

        func target(_ n: String, _ address: String) -> TargetDefinition {
            TargetDefinition(name: n, answers: [a(address)], monitors: [MonitorSlot(name: "tcp")])
        }
        let targets = [target("web1", "192.0.2.21"), target("web2", "192.0.2.22"), target("backup", "198.51.100.201"),
                       target("m1", "203.0.113.1"), target("m2", "203.0.113.2"), target("m3", "203.0.113.3")]
        let m = { (t: String) in PoolMemberDefinition(target: t) }
        let pools = [
            PoolDefinition(name: "fo", owner: name("fo.pool.test."), kind: .a, tiers: [[m("web1"), m("web2")], [m("backup")]],
                           policy: .failover, ttl: 300, degradedTTL: 20),
            PoolDefinition(name: "mv", owner: name("mv.pool.test."), kind: .a, tiers: [[m("m1"), m("m2"), m("m3")]],
                           policy: .multivalue(maxAnswers: 2), ttl: 300, degradedTTL: 20),
            PoolDefinition(name: "fx", owner: name("fx.pool.test."), kind: .a, tiers: [[m("web1"), m("web2")], [m("backup")]],
                           policy: .failover, ttl: 300, degradedTTL: 20),
        ]
        let model = try! HealthModel(targets: targets, pools: pools)

        // Every target passes its check `rise` times: primary status, full TTL.
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let board = HealthBoard(model: model, at: t0, publish: { _, _ in })
        for round in 1...Thresholds.default.rise {
            for t in model.targets.indices {
                board.record(target: t, monitor: 0, result: .success("ok"), at: t0.addingTimeInterval(Double(round)))
            }
        }
        let snapshot = board.snapshot
        for p in snapshot.pools where p.status != .primary {
            fatalError("pool \(p.pool) is \(p.status), not primary: \(p.reason)")
        }
        engine = QueryEngine(zones: zones, pools: PoolBindings(zones: zones, model: model), health: snapshot)
        responder = Responder(source: engine)
    }
}

let fixture = Fixture()

/// A resolver-style query: RD, EDNS 1232 (as dnsperf -e sends).
func query(_ owner: String) -> [UInt8] {
    var h = Header(id: 0x1000)
    h.rd = true
    return Message(header: h, questions: [Question(name(owner), .a)], edns: EDNS(udpSize: 1232)).encode()
}

let context = QueryContext(transport: .udp, client: ClientAddress(ipv4: 127, 0, 0, 1), receiveTime: 1_000_000)

/// The owners (labels become benchmark names: no spaces, since static threshold files of
/// names with spaces are written but never found, ordo-one/benchmark#301), with what each must answer (checked once before measuring, so a
/// benchmark never times an error path).
let cases: [(label: String, owner: String, expected: Set<[UInt8]>)] = [
    ("static-A", "st.pool.test.", [[192, 0, 2, 11], [192, 0, 2, 12]]),
    ("failover-pool-A", "fo.pool.test.", [[192, 0, 2, 21], [192, 0, 2, 22]]),
    ("multivalue-pool-A", "mv.pool.test.", [[203, 0, 113, 1], [203, 0, 113, 2], [203, 0, 113, 3]]),
    ("failover-pool-A-at-node", "fx.pool.test.", [[192, 0, 2, 21], [192, 0, 2, 22]]),
]

/// Answers through the responder and checks rcode, AA and two A records from `expected`.
func verify(_ owner: String, _ expected: Set<[UInt8]>) {
    var w = WireWriter(capacity: 1232)
    guard case .reply(let rcode, let truncated) = fixture.responder.respond(to: query(owner), context: context, into: &w),
          rcode == .noError, !truncated,
          let reply = try? Message.decode(w.bytes), reply.header.aa, reply.answers.count == 2
    else { fatalError("\(owner): unexpected reply") }
    for rr in reply.answers {
        guard case .a(let addr) = rr.rdata, expected.contains(addr.address) else {
            fatalError("\(owner): unexpected record \(rr)")
        }
    }
}

/// One query through the responder; the ID (and so the pool selector) changes every call.
@inline(__always)
func respond(_ q: inout [UInt8], _ id: Int, _ w: inout WireWriter) {
    q[0] = UInt8(truncatingIfNeeded: id >> 8)
    q[1] = UInt8(truncatingIfNeeded: id)
    _ = fixture.responder.respond(to: q, context: context, into: &w)
    blackHole(w.count)
}

/// Issue #7's warm path (see the Warm benchmarks): a response cache holding the answer for
/// `owner`, a rate limiter, and a reply slot, as the UDP loop and Runtime.QueryHandler use them.
final class WarmPath: @unchecked Sendable {
    let cache = ResponseCache()
    let limiter = RateLimiter(answersPerSecond: 1_000_000, nxdomainsPerSecond: 1_000_000, errorsPerSecond: 1_000_000, slip: 2)
    let slot = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)

    init(owner: String) {
        let q = query(owner)
        var w = WireWriter(capacity: 1232)
        guard case .reply(let rcode, _) = fixture.responder.respond(to: q, context: context, into: &w),
              let shape = ResponseCache.shape(of: q, tcp: false) else { fatalError("\(owner): not cacheable") }
        cache.store(q, shape: shape, tcp: false, response: w.bytes, rcode: rcode)
    }

    /// The query's shape, the cached reply copied into the slot with the query's ID and
    /// spelling, the rate limit: the length to send.
    @inline(__always)
    func answer(_ query: UnsafeBufferPointer<UInt8>, nowMs: Int64) -> Int {
        guard let s = ResponseCache.shape(query, tcp: false),
              let hit = cache.answer(query, shape: s, tcp: false, into: slot) else { fatalError("cache miss") }
        return limiter.limit(slot, count: hit.count, rcode: hit.rcode, client: context.client, nowMs: nowMs).count
    }
}

/// The budget: a pool answer may cost 5% more than a static one.
let ratioBudgetPerMille = 1050
/// `thresholds check` compares a p90 with the stored static threshold within a symmetric
/// tolerance, and a result below the tolerance band fails as an "improvement". So the ratio's
/// stored threshold is the midpoint 525 (Thresholds/*Ratio*.p90.json) with a tolerance of 525:
/// the check passes for any p90 from 0 to 1050 and fails above the budget.
let ratioThresholdMidpoint = ratioBudgetPerMille / 2

/// `batches` alternating batches of `size` calls of `a` and `b`: the fastest batch of b over the
/// fastest of a, in per mille.
func ratioPerMille(batches: Int = 32, size: Int = 128, _ a: (Int) -> Void, _ b: (Int) -> Void) -> Int {
    let clock = ContinuousClock()
    var ta: [Duration] = [], tb: [Duration] = []
    ta.reserveCapacity(batches); tb.reserveCapacity(batches)
    var i = 0
    func run(_ f: (Int) -> Void) -> Duration {
        let start = clock.now
        for _ in 0..<size { f(i); i &+= 1 }
        return clock.now - start
    }
    for k in 0..<batches {
        if k % 2 == 0 {
            ta.append(run(a)); tb.append(run(b))
        } else {
            tb.append(run(b)); ta.append(run(a))
        }
    }
    func fastest(_ d: [Duration]) -> Double {
        let m = d.min()!
        return Double(m.components.seconds) * 1e18 + Double(m.components.attoseconds)
    }
    return Int((fastest(tb) / fastest(ta) * 1000).rounded())
}

let benchmarks: @Sendable () -> Void = {
    for c in cases { verify(c.owner, c.expected) }

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        maxDuration: .seconds(2),
        maxIterations: 200_000,
        // Malloc counts are exact: any extra allocation is a regression. Wall clock is
        // compared between baselines only (`baseline check`), with room for a shared machine.
        thresholds: [.mallocCountTotal: .init(absolute: BenchmarkThresholds.Absolute.strict),
                     .wallClock: .init(relative: [.p50: 10.0])])

    for c in cases {
        Benchmark("Respond-\(c.label)") { benchmark in
            var q = query(c.owner)
            var w = WireWriter(capacity: 1232)
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                respond(&q, benchmark.currentIteration &+ i, &w)
            }
        }
    }

    for c in cases {
        Benchmark("Engine-\(c.label)") { benchmark in
            let question = Question(name(c.owner), .a)
            let engine = fixture.engine
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                blackHole(engine.answer(question, selector: UInt32(truncatingIfNeeded: benchmark.currentIteration &+ i)))
            }
        }
    }

    // Issue #7: the warm UDP path below the transport, as `tack serve` runs it for a question
    // its response cache holds (Runtime.QueryHandler.answerCached): the query's shape, the cached
    // reply copied into the UDP loop's reply slot with the query's ID and spelling, the rate
    // limiter (on, at 1,000,000 answers per second). No allocation. Multivalue pools rotate per
    // query, so their snapshots have no cache and are left out.
    for c in cases where c.label != "multivalue-pool-A" {
        // Built once, outside the measured closure (which runs per sample: tearing a cache or
        // a limiter down there would be timed).
        let warm = WarmPath(owner: c.owner)
        Benchmark("Warm-\(c.label)") { benchmark in
            var q = query(c.owner)
            benchmark.startMeasurement()
            q.withUnsafeMutableBufferPointer { qb in
                for i in benchmark.scaledIterations {
                    let id = benchmark.currentIteration &+ i
                    qb[0] = UInt8(truncatingIfNeeded: id >> 8)
                    qb[1] = UInt8(truncatingIfNeeded: id)
                    blackHole(warm.answer(UnsafeBufferPointer(qb), nowMs: Int64(id / 1000)))
                }
            }
        }
    }

    // pool / static, per mille (1000 = the same cost; the issue allows 1050).
    let ratio = BenchmarkMetric.custom("pool over static (per mille)", polarity: .prefersSmaller, useScalingFactor: false)
    let ratioConfiguration = Benchmark.Configuration(
        metrics: [ratio], maxDuration: .seconds(3), maxIterations: 200,
        thresholds: [ratio: .init(absolute: [.p90: ratioThresholdMidpoint])])
    for c in cases.dropFirst() {
        Benchmark("Ratio-\(c.label)-over-static-A-respond", configuration: ratioConfiguration) { benchmark in
            var qs = query(cases[0].owner), qp = query(c.owner)
            var w = WireWriter(capacity: 1232)
            for _ in benchmark.scaledIterations {
                benchmark.measurement(ratio, ratioPerMille({ respond(&qs, $0, &w) }, { respond(&qp, $0, &w) }))
            }
        }
        Benchmark("Ratio-\(c.label)-over-static-A-engine", configuration: ratioConfiguration) { benchmark in
            let qs = Question(name(cases[0].owner), .a), qp = Question(name(c.owner), .a)
            let engine = fixture.engine
            for _ in benchmark.scaledIterations {
                benchmark.measurement(ratio, ratioPerMille(
                    { blackHole(engine.answer(qs, selector: UInt32(truncatingIfNeeded: $0))) },
                    { blackHole(engine.answer(qp, selector: UInt32(truncatingIfNeeded: $0))) }))
            }
        }
    }
}
