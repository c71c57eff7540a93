import DNSWire
import Runtime
import Health
import Prometheus
import Synchronization

/// The server's Prometheus metrics (swift-prometheus). Query counters are created up front for
/// every (transport, rcode, qtype) label set Tack reports, so the query path only indexes an
/// array and increments an atomic: no label formatting, dictionary or registry lock per query.
/// Health metrics are written when targets change and when `/metrics` is scraped.
public final class Metrics: QueryRecorder {
    public let registry = PrometheusCollectorRegistry()

    /// The query types counted under their own name; everything else is `other`.
    public static let qtypes: [RRType] = [.a, .aaaa, .cname, .mx, .ns, .soa, .txt, .srv, .ptr, .caa, .https, .svcb, .ds, .dnskey, .any]
    /// The response codes counted under their own name; everything else is `other`. `dropped`
    /// counts queries that got no reply (responses, garbage too short to answer).
    public static let rcodes: [RCode] = [.noError, .formErr, .servFail, .nxDomain, .notImp, .refused, .badVers, .badCookie]
    public static let transports = ["udp", "tcp"]

    private let queries: [Counter]
    private let rateLimited: [Counter]  // dropped, slipped
    private let latency: [DurationHistogram]
    private let qtypeIndex: [Int]  // RRType raw value (< 256) -> index, else `other`

    /// Buckets from 10 µs to 100 ms: an authoritative answer takes microseconds; the upper ones
    /// catch a stalled event loop.
    public static let latencyBuckets: [Duration] = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 100_000].map { .microseconds($0) }

    public init() {
        let rcodeNames = Metrics.rcodes.map(\.description) + ["other", "dropped"]
        let qtypeNames = Metrics.qtypes.map(\.description) + ["other"]
        var counters: [Counter] = []
        for t in Metrics.transports {
            for r in rcodeNames {
                for q in qtypeNames {
                    counters.append(registry.makeCounter(descriptor: Metrics.queriesTotal,
                                                         labels: [("transport", t), ("rcode", r), ("qtype", q)]))
                }
            }
        }
        queries = counters
        let registry = self.registry
        rateLimited = ["dropped", "slipped"].map { registry.makeCounter(descriptor: Metrics.rateLimitedTotal, labels: [("action", $0)]) }
        latency = Metrics.transports.map {
            registry.makeDurationHistogram(descriptor: Metrics.queryDuration, labels: [("transport", $0)], buckets: Metrics.latencyBuckets)
        }
        var index = Array(repeating: Metrics.qtypes.count, count: 256)
        for (i, t) in Metrics.qtypes.enumerated() where t.rawValue < 256 { index[Int(t.rawValue)] = i }
        qtypeIndex = index
    }

    /// Counts one query. `qtype` is nil when the question could not be read; `rcode` nil
    /// when no reply was sent.
    @inline(__always)
    public func record(tcp: Bool, rcode: RCode?, qtype: UInt16?, duration: Duration) {
        let rcodeSlots = Metrics.rcodes.count + 2
        let qtypeSlots = Metrics.qtypes.count + 1
        let r: Int
        if let rcode {
            r = Metrics.rcodes.firstIndex(of: rcode) ?? Metrics.rcodes.count
        } else {
            r = Metrics.rcodes.count + 1
        }
        let q = qtype.map { $0 < 256 ? qtypeIndex[Int($0)] : Metrics.qtypes.count } ?? Metrics.qtypes.count
        queries[((tcp ? 1 : 0) * rcodeSlots + r) * qtypeSlots + q].increment()
        latency[tcp ? 1 : 0].record(duration)
    }

    /// Counts a UDP response withheld (or sent truncated) by the rate limiter.
    public func recordRateLimited(slipped: Bool) {
        rateLimited[slipped ? 1 : 0].increment()
    }

    /// Counts target transitions (called by the health board when states change).
    public func record(_ events: [TargetEvent]) {
        for e in events {
            registry.makeCounter(descriptor: Metrics.transitions, labels: [("target", e.name), ("to", "\(e.to)")]).increment()
        }
    }

    /// Writes the health gauges from `snapshot` (called before each scrape). Targets and pools
    /// that left the configuration keep their last values until restart.
    public func update(health snapshot: HealthSnapshot?, reloads: (ok: Int, failed: Int), ready: Bool) {
        registry.makeGauge(descriptor: Metrics.ready).set(Int64(ready ? 1 : 0))
        registry.makeGauge(descriptor: Metrics.reloads, labels: [("result", "success")]).set(Int64(reloads.ok))
        registry.makeGauge(descriptor: Metrics.reloads, labels: [("result", "failure")]).set(Int64(reloads.failed))
        guard let snapshot else { return }
        for t in snapshot.targets {
            for s in [HealthState.up, .down, .unknown] {
                registry.makeGauge(descriptor: Metrics.targetState, labels: [("target", t.name), ("state", s.rawValue)])
                    .set(Int64(t.state == s ? 1 : 0))
            }
            registry.makeGauge(descriptor: Metrics.targetForced, labels: [("target", t.name)]).set(Int64(t.forced == nil ? 0 : 1))
        }
        for (i, p) in snapshot.pools.enumerated() {
            let name = snapshot.model.pools[i].name
            registry.makeGauge(descriptor: Metrics.poolTier, labels: [("pool", name)]).set(Int64(p.tier.map { $0 + 1 } ?? 0))
            registry.makeGauge(descriptor: Metrics.poolAnswers, labels: [("pool", name)]).set(Int64(p.sets.first?.count ?? 0))
        }
    }

    private static func name(_ metric: String, _ unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tack", metricName: metric, unitName: unit, helpText: help)
    }
    public static var queriesTotal: MetricNameDescriptor { name("queries", "total", "DNS queries, by transport, response code and query type.") }
    public static var rateLimitedTotal: MetricNameDescriptor { name("rate_limited", "total", "UDP responses limited by rate_limit: dropped, or slipped (sent truncated).") }
    public static var queryDuration: MetricNameDescriptor { name("query_duration", "seconds", "Time from a query reaching the handler to its reply being ready.") }
    public static var transitions: MetricNameDescriptor { name("target_transitions", "total", "Changes of a target's effective state.") }
    public static var ready: MetricNameDescriptor { name("ready", "", "1 when the zones are loaded and the first round of health checks is done.") }
    public static var reloads: MetricNameDescriptor { name("reloads", "", "Reloads since start, by result.") }
    public static var targetState: MetricNameDescriptor { name("target_state", "", "1 for a target's current effective state, 0 for the others.") }
    public static var targetForced: MetricNameDescriptor { name("target_forced", "", "1 while an operator forces the target's state.") }
    public static var poolTier: MetricNameDescriptor { name("pool_serving_tier", "", "The tier a pool answers from (1 is the first); 0 when every tier is served or none.") }
    public static var poolAnswers: MetricNameDescriptor { name("pool_answer_records", "", "Records in the pool's current answer.") }

    /// The exposition text.
    public func emit() -> [UInt8] {
        registry.emitToBuffer()
    }
}
