import DNSWire

/// A pool's current answer, precomputed whenever one of its targets changes state.
///
/// Every policy is reduced to the same shape: a few ready record sets and a table of indices into
/// them. A query picks `sets[table[selector % table.count]]`: failover has one set and one entry,
/// multivalue one rotation per entry, weighted one member per entry in smooth weighted
/// round-robin order. No allocation, lock or formatting per query.
public struct PoolAnswer: Sendable, Hashable {
    /// What kind of answer this is.
    public enum Outcome: Sendable, Hashable {
        /// Records (from `sets`).
        case records
        /// An empty answer.
        case nodata
        /// SERVFAIL.
        case servfail
    }

    /// The pool index.
    public let pool: Int
    /// Records, NODATA or SERVFAIL.
    public let outcome: Outcome
    /// Primary, degraded, unchecked or all down.
    public let status: PoolStatus
    /// The tier being served (0 is the first), nil when all tiers are served or none is.
    public let tier: Int?
    /// The TTL to answer with.
    public let ttl: UInt32
    /// Why the pool answers as it does, for logs and `/v1/explain`.
    public let reason: String
    /// The distinct record sets a query may get.
    public let sets: [[RData]]
    /// Indices into `sets`; a query picks one by `selector % table.count`.
    public let table: [Int32]
    /// The targets whose records are being served (for explain).
    public let servedTargets: [Int]

    /// The answer for one query; `selector` is any per-query number (a counter or the query ID)
    /// that rotates multivalue answers and spreads weighted picks.
    @inlinable
    public func select(_ selector: UInt32) -> PoolSelection {
        switch outcome {
        case .records:
            let i = Int(table[Int(selector % UInt32(truncatingIfNeeded: table.count))])
            return .records(sets[i], ttl: ttl)
        case .nodata:
            return .nodata(ttl: ttl)
        case .servfail:
            return .servfail
        }
    }

    /// Evaluates `pool` against the targets' effective `states` (`reasons` explain them).
    ///
    /// Tier selection: the first tier with at least min(min_healthy, tier size) members `up`
    /// serves its `up` members. Unknown targets count as down, except that when every target of
    /// the pool is unknown (nothing checked yet) the first tier is served in full, so answers
    /// before the first check are the configured primary rather than an all-down fallback.
    public static func evaluate(_ pool: Pool, states: [HealthState], reasons: [String], names: [String]) -> PoolAnswer {
        let allUnknown = pool.tiers.allSatisfy { $0.allSatisfy { states[$0] == .unknown } }
        if allUnknown {
            let members = Array(pool.tiers[0].indices)
            return make(pool, tier: 0, members: members, status: .unchecked, ttl: pool.degradedTTL,
                        reason: "no target checked yet: serving tier 1 (the configured primary) until the first results arrive")
        }
        var notes: [String] = []
        for (ti, tier) in pool.tiers.enumerated() {
            let healthy = tier.indices.filter { states[tier[$0]] == .up }
            let need = min(pool.minHealthy, tier.count)
            let summary = describe(pool, tier: ti, healthy: healthy.count, need: need, states: states, reasons: reasons, names: names)
            if healthy.count >= need {
                let full = ti == 0 && healthy.count == tier.count
                let served = "serving tier \(ti + 1): \(summary)"
                let reason = notes.isEmpty ? served : (notes + [served]).joined(separator: "; ")
                return make(pool, tier: ti, members: healthy, status: full ? .primary : .degraded,
                            ttl: full ? pool.ttl : pool.degradedTTL, reason: reason)
            }
            notes.append("tier \(ti + 1) not served: \(summary)")
        }
        let mode = pool.allDown
        let reason = (notes + ["no tier has enough healthy targets: all-down mode \(mode.rawValue)"]).joined(separator: "; ")
        switch mode {
        case .firstTier:
            return make(pool, tier: 0, members: Array(pool.tiers[0].indices), status: .allDown(mode), ttl: pool.degradedTTL, reason: reason)
        case .all:
            return make(pool, tier: nil, members: [], status: .allDown(mode), ttl: pool.degradedTTL, reason: reason)
        case .nodata, .servfail:
            return PoolAnswer(pool: pool.index, outcome: mode == .nodata ? .nodata : .servfail, status: .allDown(mode), tier: nil,
                              ttl: pool.degradedTTL, reason: reason, sets: [], table: [], servedTargets: [])
        }
    }

    private static func describe(_ pool: Pool, tier: Int, healthy: Int, need: Int, states: [HealthState],
                                 reasons: [String], names: [String]) -> String {
        let members = pool.tiers[tier]
        var s = "\(healthy)/\(members.count) healthy, needs \(need)"
        let sick = members.filter { states[$0] != .up }
        if !sick.isEmpty {
            s += " (" + sick.map { "\(names[$0]) \(states[$0]): \(reasons[$0])" }.joined(separator: "; ") + ")"
        }
        return s
    }

    /// Builds the record sets and table for members of `tier` (nil: every member of every tier).
    private static func make(_ pool: Pool, tier: Int?, members: [Int], status: PoolStatus, ttl: UInt32, reason: String) -> PoolAnswer {
        var recs: [[RData]] = [], weights: [UInt32] = [], targets: [Int] = []
        if let t = tier {
            for m in members { recs.append(pool.records[t][m]); weights.append(pool.weights[t][m]); targets.append(pool.tiers[t][m]) }
        } else {
            for t in pool.tiers.indices {
                for m in pool.tiers[t].indices { recs.append(pool.records[t][m]); weights.append(pool.weights[t][m]); targets.append(pool.tiers[t][m]) }
            }
        }
        let single = pool.kind == .cname // a CNAME RRset has one record (RFC 1034 3.6.2)
        var sets: [[RData]] = [], table: [Int32] = []
        switch pool.policy {
        case .failover:
            sets = [single ? [recs[0][0]] : recs.flatMap { $0 }]
            table = [0]
        case .multivalue(let maxAnswers):
            let flat = recs.flatMap { $0 }
            let cap = single ? 1 : maxAnswers
            for k in flat.indices {
                let rotated = Array(flat[k...] + flat[..<k])
                sets.append(Array(rotated.prefix(cap)))
                table.append(Int32(k))
            }
        case .weighted:
            sets = recs.map { single ? [$0[0]] : $0 }
            table = smoothWeightedTable(weights).map { Int32($0) }
        }
        return PoolAnswer(pool: pool.index, outcome: .records, status: status, tier: tier, ttl: ttl, reason: reason,
                          sets: sets, table: table, servedTargets: targets)
    }

    /// A table in which member i appears in proportion to `weights[i]`, interleaved by smooth
    /// weighted round-robin (as nginx does) so that a counter selector spreads picks evenly.
    static func smoothWeightedTable(_ weights: [UInt32]) -> [Int] {
        func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : gcd(b, a % b) }
        var w = weights.map { UInt64($0) }
        let g = w.reduce(0, gcd)
        if g > 1 { w = w.map { $0 / g } }
        let sum = w.reduce(0, +)
        let limit = UInt64(HealthLimits.maxWeightTable)
        if sum > limit { w = w.map { max(1, $0 * limit / sum) } }
        let total = Int64(w.reduce(0, +))
        var current = Array(repeating: Int64(0), count: w.count)
        var table: [Int] = []
        table.reserveCapacity(Int(total))
        for _ in 0..<total {
            var best = 0
            for i in w.indices {
                current[i] += Int64(w[i])
                if current[i] > current[best] { best = i }
            }
            current[best] -= total
            table.append(best)
        }
        return table
    }
}
