import DNSWire

/// A validated pool with target names resolved to indices and answers precomputed per member.
public struct Pool: Sendable, Hashable {
    /// The pool index in the model.
    public let index: Int
    /// The pool name.
    public let name: String
    /// The owner name.
    public let owner: Name
    /// A, AAAA or CNAME.
    public let kind: RRType
    /// Tiers of target indices.
    public let tiers: [[Int]]
    /// Weights, parallel to `tiers`.
    public let weights: [[UInt32]]
    /// The records each member contributes, parallel to `tiers`.
    public let records: [[[RData]]]
    /// The policy.
    public let policy: PoolPolicy
    /// Healthy members a tier needs.
    public let minHealthy: Int
    /// The all-down mode (default resolved).
    public let allDown: AllDownMode
    /// The normal TTL.
    public let ttl: UInt32
    /// The degraded TTL.
    public let degradedTTL: UInt32
}
