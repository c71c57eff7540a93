import DNSWire

/// Where a health-checked pool's owner may not go: onto static data of the same type (any
/// data for a CNAME pool, RFC 1034 3.6.2), or at/below a delegation (the name is not ours).
public struct PoolPlacement: Sendable {
    /// Why a pool cannot answer at its owner, with the zone file record at fault.
    public struct Conflict: Sendable, Hashable, CustomStringConvertible {
        /// What is wrong and what to do.
        public let message: String
        /// The static record in the way.
        public let location: SourceLocation

        public var description: String { "\(message) (\(location))" }
    }

    /// The pool's owner and kind, and the zone it answers in.
    public let owner: Name
    public let kind: RRType
    public let origin: Name
    /// The first record that puts the owner at or below a delegation or a DNAME, and the first
    /// static record at the owner that collides; the former wins.
    private var aboveConflict: Conflict?
    private var ownerConflict: Conflict?

    /// A check for a pool answering `owner` / `kind` in the zone `origin`; feed it the zone's
    /// records with `see(_:)` (as they parse), then read `conflict`.
    public init(owner: Name, kind: RRType, origin: Name) {
        self.owner = owner; self.kind = kind; self.origin = origin
    }

    /// The first conflict among the records seen, nil when the pool can answer at its owner.
    public var conflict: Conflict? { aboveConflict ?? ownerConflict }

    /// Looks at one record of the zone.
    public mutating func see(_ p: ParsedRecord) {
        let rr = p.record
        if aboveConflict == nil {
            if rr.type == .ns, rr.name != origin, owner.isSubdomain(of: rr.name) {
                aboveConflict = Conflict(message: "\(owner) is at or below the delegation to \(rr.name); a pool must answer a name of the zone itself",
                                         location: p.location)
            } else if rr.type == .dname, owner != rr.name, owner.isSubdomain(of: rr.name) {
                aboveConflict = Conflict(message: "\(owner) is below the DNAME at \(rr.name), which redirects it; move the pool or the DNAME",
                                         location: p.location)
            }
        }
        if ownerConflict == nil, rr.name == owner {
            let t = rr.type
            if kind == .cname && t != .rrsig && t != .nsec {
                ownerConflict = Conflict(message: "the CNAME pool collides with the static \(t) record at \(owner); a CNAME owner holds no other data — remove the record or use another owner",
                                         location: p.location)
            } else if t == kind || t == .cname {
                ownerConflict = Conflict(message: "the \(kind) pool collides with the static \(t) record at \(owner); remove the static record (the pool answers \(kind) there)",
                                         location: p.location)
            }
        }
    }

    /// The first conflict of a pool answering `owner` / `kind` in the zone `origin` made of
    /// `records`, or nil when the pool can answer there.
    public static func conflict(owner: Name, kind: RRType, origin: Name, records: [ParsedRecord]) -> Conflict? {
        var check = PoolPlacement(owner: owner, kind: kind, origin: origin)
        records.forEach { check.see($0) }
        return check.conflict
    }
}
