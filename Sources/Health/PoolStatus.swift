/// How a pool's current answer relates to its configuration.
public enum PoolStatus: Sendable, Hashable {
    /// The first tier is served with every member healthy.
    case primary
    /// Serving with fewer members than configured, or a fallback tier.
    case degraded
    /// No target of the pool has been checked yet: the first tier is served as configured.
    case unchecked
    /// No tier has enough healthy members: the all-down mode applies.
    case allDown(AllDownMode)
}
