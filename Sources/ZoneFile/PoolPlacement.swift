import DNSWire

/// Where a health-checked pool's owner may not go: onto static data of the same type (any
/// data for a CNAME pool, RFC 1034 3.6.2), or at/below a delegation (the name is not ours).
public enum PoolPlacement {
    /// Why a pool cannot answer at its owner, with the zone file record at fault.
    public struct Conflict: Sendable, Hashable, CustomStringConvertible {
        /// What is wrong and what to do.
        public let message: String
        /// The static record in the way.
        public let location: SourceLocation

        public var description: String { "\(message) (\(location))" }
    }

    /// The first conflict of a pool answering `owner` / `kind` with the zone `origin` made of
    /// `records`, or nil when the pool can answer there.
    public static func conflict(owner: Name, kind: RRType, origin: Name, records: [ParsedRecord]) -> Conflict? {
        for p in records {
            let rr = p.record
            if rr.type == .ns, rr.name != origin, owner.isSubdomain(of: rr.name) {
                return Conflict(message: "\(owner) is at or below the delegation to \(rr.name); a pool must answer a name of the zone itself",
                                location: p.location)
            }
            if rr.type == .dname, owner != rr.name, owner.isSubdomain(of: rr.name) {
                return Conflict(message: "\(owner) is below the DNAME at \(rr.name), which redirects it; move the pool or the DNAME",
                                location: p.location)
            }
        }
        for p in records where p.record.name == owner {
            let t = p.record.type
            if kind == .cname && t != .rrsig && t != .nsec {
                return Conflict(message: "the CNAME pool collides with the static \(t) record at \(owner); a CNAME owner holds no other data — remove the record or use another owner",
                                location: p.location)
            }
            if t == kind || t == .cname {
                return Conflict(message: "the \(kind) pool collides with the static \(t) record at \(owner); remove the static record (the pool answers \(kind) there)",
                                location: p.location)
            }
        }
        return nil
    }
}
