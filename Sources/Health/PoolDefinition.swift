import DNSWire

/// A pool member as configured: a target name and a weight (used by the weighted policy).
public struct PoolMemberDefinition: Sendable, Hashable {
    /// The target name.
    public let target: String
    /// The relative weight, 1...HealthLimits.maxWeight (ignored by failover and multivalue).
    public let weight: UInt32

    /// A member.
    public init(target: String, weight: UInt32 = 1) {
        self.target = target
        self.weight = weight
    }
}

/// How a pool answers from the healthy members of the tier it serves.
public enum PoolPolicy: Sendable, Hashable {
    /// All healthy members of the first tier with enough healthy members, in configured order.
    case failover
    /// All healthy members, at most `maxAnswers` records, rotated from query to query.
    case multivalue(maxAnswers: Int)
    /// One healthy member, picked by weight.
    case weighted

    /// What to serve when every tier is below `minHealthy`, unless the pool says otherwise.
    public var defaultAllDown: AllDownMode {
        switch self {
        case .failover: .firstTier
        case .multivalue, .weighted: .all
        }
    }
}

/// What a pool serves when no tier has enough healthy members.
public enum AllDownMode: String, Sendable, Hashable, CaseIterable {
    /// The first tier, as if it were healthy (a failed primary is a better guess than nothing).
    case firstTier = "first-tier"
    /// Every member of every tier.
    case all
    /// An empty answer (NODATA).
    case nodata
    /// SERVFAIL.
    case servfail
}

/// A pool as configured: owner name, record kind, ordered tiers of members and a policy.
public struct PoolDefinition: Sendable, Hashable {
    /// The unique pool name.
    public let name: String
    /// The owner name the pool answers for.
    public let owner: Name
    /// A, AAAA or CNAME.
    public let kind: RRType
    /// Ordered tiers: tier 0 is the primary, the next ones are fallbacks.
    public let tiers: [[PoolMemberDefinition]]
    /// How to answer from the serving tier.
    public let policy: PoolPolicy
    /// Healthy members a tier needs to be served (clamped to the tier's size).
    public let minHealthy: Int
    /// What to serve when no tier qualifies (nil: the policy's default).
    public let allDown: AllDownMode?
    /// TTL of answers while the first tier is served in full.
    public let ttl: UInt32
    /// TTL of answers otherwise (fallback tier, missing members, all down, not yet checked), so
    /// that clients come back sooner when things recover. Default: min(ttl, 30).
    public let degradedTTL: UInt32?

    /// A pool definition.
    public init(name: String, owner: Name, kind: RRType, tiers: [[PoolMemberDefinition]], policy: PoolPolicy = .failover,
                minHealthy: Int = 1, allDown: AllDownMode? = nil, ttl: UInt32, degradedTTL: UInt32? = nil) {
        self.name = name
        self.owner = owner
        self.kind = kind
        self.tiers = tiers
        self.policy = policy
        self.minHealthy = minHealthy
        self.allDown = allDown
        self.ttl = ttl
        self.degradedTTL = degradedTTL
    }
}
