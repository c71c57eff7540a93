import DNSWire

/// The zones a server answers from, as one immutable snapshot: selects the zone for a name by
/// longest match on the apex, probing suffixes of the name's key in place.
public final class ZoneSet: Sendable {
    /// The zones, in the order given.
    public let zones: [Zone]
    /// Folded apex name to index in `zones`.
    public let table: NameTable

    /// Builds the set; two zones with the same apex are an error.
    public convenience init(_ zones: [Zone]) throws(ZoneError) {
        var seen: [[UInt8]: Int] = [:]
        for (i, z) in zones.enumerated() {
            if seen[z.origin.key] != nil {
                throw ZoneError(.duplicateZone, zone: z.origin, owner: z.origin, location: nil,
                                message: "zone \(z.origin) is given twice",
                                hint: "serve each zone once: remove one of the two definitions")
            }
            seen[z.origin.key] = i
        }
        self.init(validated: zones)
    }

    private init(validated zones: [Zone]) {
        self.zones = zones
        self.table = NameTable(keys: zones.map(\.origin.key))
    }

    /// The empty set: every question is refused.
    public static let empty = ZoneSet(validated: [])

    /// Index of the zone with the longest apex at or above `name`, or nil when no served zone
    /// contains it.
    @inlinable
    public func zoneIndex(for name: Name) -> Int? {
        let (i, _) = table.longestSuffix(of: name.key)
        return i < 0 ? nil : Int(i)
    }

    /// The zone that answers a question of `type` for `name`: the longest match, except that
    /// DS at the apex of a zone whose parent zone is also served is answered from the parent
    /// side of the cut (RFC 4035 3.1.4.1).
    public func zoneIndex(for name: Name, type: RRType) -> Int? {
        let key = name.key
        return key.withUnsafeBufferPointer { all -> Int? in
            var i = 0
            var found: Int? = nil
            while true {
                let e = table.find(UnsafeBufferPointer(rebasing: all[i...]))
                if e >= 0 {
                    // DS at this apex: keep looking for a parent zone above it.
                    if i == 0 && type == .ds && !name.isRoot {
                        found = Int(e)
                    } else {
                        return Int(e)
                    }
                }
                let len = Int(all[i])
                if len == 0 { return found }
                i += len + 1
            }
        }
    }

    /// The zone with apex `origin`, if served.
    public func zone(origin: Name) -> Zone? {
        let i = table.find(origin.key)
        return i < 0 ? nil : zones[Int(i)]
    }
}
