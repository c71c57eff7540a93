import DNSWire

/// The validated health configuration: targets and pools with every name resolved to an index.
/// Built once at load; the state machines, the board and the snapshots refer to it.
public struct HealthModel: Sendable {
    /// The targets, by index.
    public let targets: [TargetDefinition]
    /// The pools, by index.
    public let pools: [Pool]
    /// For each target, the pools it belongs to (to recompute only those on a change).
    public let poolsOfTarget: [[Int]]
    private let targetIndexByName: [String: Int]
    private let poolIndexByName: [String: Int]
    private let poolIndexByOwner: [PoolKey: Int]

    private struct PoolKey: Hashable {
        let owner: Name
        let kind: RRType
    }

    /// Validates and resolves; throws a `HealthError` naming the pool or target at fault.
    public init(targets: [TargetDefinition], pools: [PoolDefinition]) throws(HealthError) {
        var tIndex: [String: Int] = [:]
        for (i, t) in targets.enumerated() {
            guard !t.name.isEmpty else { throw HealthError(.invalidTarget, "target #\(i + 1) has an empty name; give every target a name") }
            guard tIndex.updateValue(i, forKey: t.name) == nil else {
                throw HealthError(.duplicateName, "target '\(t.name)' is defined twice; target names must be unique")
            }
            // Validates quorum and monitor names.
            _ = try TargetStateMachine(index: i, name: t.name, monitors: t.monitors.map { ($0.name, $0.thresholds) }, quorum: t.quorum)
            let cnames = t.answers.filter { $0.type == .cname }.count
            if cnames > 1 || (cnames == 1 && t.answers.count > 1) {
                throw HealthError(.invalidTarget, "target '\(t.name)': a CNAME answer must be the target's only answer (RFC 1034 3.6.2)")
            }
            for a in t.answers where ![RRType.a, .aaaa, .cname].contains(a.type) {
                throw HealthError(.invalidTarget, "target '\(t.name)': answer type \(a.type) is not supported; use A, AAAA or CNAME")
            }
        }
        var pIndex: [String: Int] = [:]
        var ownerIndex: [PoolKey: Int] = [:]
        var resolved: [Pool] = []
        var ofTarget = Array(repeating: [Int](), count: targets.count)
        for (pi, p) in pools.enumerated() {
            let at = "pool '\(p.name)'"
            guard pIndex.updateValue(pi, forKey: p.name) == nil else {
                throw HealthError(.duplicateName, "\(at) is defined twice; pool names must be unique")
            }
            guard [RRType.a, .aaaa, .cname].contains(p.kind) else {
                throw HealthError(.invalidPool, "\(at): record kind \(p.kind) is not supported; use A, AAAA or CNAME")
            }
            guard ownerIndex.updateValue(pi, forKey: PoolKey(owner: p.owner, kind: p.kind)) == nil else {
                throw HealthError(.duplicateName, "\(at): another pool already answers \(p.owner) \(p.kind); use one pool per owner and type")
            }
            guard !p.tiers.isEmpty else { throw HealthError(.invalidPool, "\(at) has no tiers; list at least one tier of targets") }
            guard p.minHealthy >= 1 else {
                throw HealthError(.invalidPool, "\(at): min_healthy is \(p.minHealthy); it must be at least 1")
            }
            if case .multivalue(let n) = p.policy, n < 1 {
                throw HealthError(.invalidPool, "\(at): max_answers is \(n); it must be at least 1")
            }
            let degraded = p.degradedTTL ?? min(p.ttl, 30)
            guard degraded <= p.ttl else {
                throw HealthError(.invalidPool, "\(at): degraded_ttl \(degraded) is longer than ttl \(p.ttl); it should be shorter")
            }
            guard p.ttl <= 0x7FFF_FFFF else {
                throw HealthError(.invalidPool, "\(at): ttl \(p.ttl) exceeds 2^31-1 (RFC 2181 8)")
            }
            var tiers: [[Int]] = [], weights: [[UInt32]] = [], records: [[[RData]]] = []
            var seen = Set<Int>()
            for (ti, tier) in p.tiers.enumerated() {
                guard !tier.isEmpty else { throw HealthError(.invalidPool, "\(at): tier \(ti + 1) is empty; remove it or add targets") }
                var ids: [Int] = [], ws: [UInt32] = [], rs: [[RData]] = []
                for m in tier {
                    guard let t = tIndex[m.target] else {
                        throw HealthError(.unknownTarget, "\(at), tier \(ti + 1): target '\(m.target)' is not defined; define it under targets or fix the name")
                    }
                    guard seen.insert(t).inserted else {
                        throw HealthError(.invalidPool, "\(at): target '\(m.target)' appears more than once; list each target in one tier only")
                    }
                    guard (1...HealthLimits.maxWeight).contains(m.weight) else {
                        throw HealthError(.invalidPool, "\(at): weight \(m.weight) of '\(m.target)' must be between 1 and \(HealthLimits.maxWeight)")
                    }
                    let answers = targets[t].answers.filter { $0.type == p.kind }
                    guard !answers.isEmpty else {
                        throw HealthError(.invalidPool, "\(at): target '\(m.target)' has no \(p.kind) answer; give it one or remove it from this pool")
                    }
                    ids.append(t); ws.append(m.weight); rs.append(answers)
                    ofTarget[t].append(pi)
                }
                tiers.append(ids); weights.append(ws); records.append(rs)
            }
            resolved.append(Pool(index: pi, name: p.name, owner: p.owner, kind: p.kind, tiers: tiers, weights: weights,
                                 records: records, policy: p.policy, minHealthy: p.minHealthy,
                                 allDown: p.allDown ?? p.policy.defaultAllDown, ttl: p.ttl, degradedTTL: degraded))
        }
        self.targets = targets
        self.pools = resolved
        self.poolsOfTarget = ofTarget
        self.targetIndexByName = tIndex
        self.poolIndexByName = pIndex
        self.poolIndexByOwner = ownerIndex
    }

    /// The index of the target called `name`.
    public func targetIndex(named name: String) -> Int? { targetIndexByName[name] }

    /// The index of the pool called `name`.
    public func poolIndex(named name: String) -> Int? { poolIndexByName[name] }

    /// The index of the pool answering `owner` / `kind`, if any (resolve at zone load).
    public func poolIndex(owner: Name, kind: RRType) -> Int? { poolIndexByOwner[PoolKey(owner: owner, kind: kind)] }

    /// Fresh state machines for every target.
    public func makeStateMachines() -> [TargetStateMachine] {
        targets.enumerated().map { i, t in
            // Validated in init, so this cannot throw.
            try! TargetStateMachine(index: i, name: t.name, monitors: t.monitors.map { ($0.name, $0.thresholds) }, quorum: t.quorum)
        }
    }
}
