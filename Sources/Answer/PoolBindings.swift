import DNSWire
import Health
import Zone

/// The pools bound to zone nodes, resolved once at load so that the query path finds a node's
/// pools by index, with no string or dictionary work beyond the static lookup.
public final class PoolBindings: Sendable {
    /// The pool indices (into `HealthModel.pools`) of one owner; -1 where no pool answers.
    struct Slots: Sendable, Equatable {
        var a: Int32 = -1
        var aaaa: Int32 = -1
        var cname: Int32 = -1
        static let none = Slots()
    }

    /// Per zone, per node: the node's pools (empty for a zone without pools).
    let nodeSlots: [[Slots]]
    /// Per zone: pool owners that have no node of their own (no static data at all), and
    /// their pools, parallel to the table entries.
    let extraTables: [NameTable?]
    let extraSlots: [[Slots]]

    /// Binds each pool of `model` to the node of its owner in `zones`; a pool whose owner is
    /// outside every served zone is not bound (`tack check` reports it before this runs).
    public init(zones: ZoneSet, model: HealthModel) {
        var nodeSlots = zones.zones.map { _ in [Slots]() }
        var extraKeys = zones.zones.map { _ in [[UInt8]]() }
        var extraSlots = zones.zones.map { _ in [Slots]() }
        for pool in model.pools {
            guard let zi = zones.zoneIndex(for: pool.owner) else { continue }
            let zone = zones.zones[zi]
            func set(_ s: inout Slots) {
                switch pool.kind {
                case .a: s.a = Int32(pool.index)
                case .aaaa: s.aaaa = Int32(pool.index)
                default: s.cname = Int32(pool.index)
                }
            }
            let node = zone.find(pool.owner)
            if node >= 0 {
                if nodeSlots[zi].isEmpty { nodeSlots[zi] = Array(repeating: .none, count: zone.nodes.count) }
                set(&nodeSlots[zi][Int(node)])
            } else if let k = extraKeys[zi].firstIndex(of: pool.owner.key) {
                set(&extraSlots[zi][k])
            } else {
                var s = Slots.none
                set(&s)
                extraKeys[zi].append(pool.owner.key)
                extraSlots[zi].append(s)
                // Ancestors without a node become empty non-terminals: NODATA, not NXDOMAIN
                // (RFC 8020, RFC 4592 2.2.2).
                var p = pool.owner.parent
                while p != zone.origin && p.isSubdomain(of: zone.origin) && zone.find(p) < 0 {
                    if !extraKeys[zi].contains(p.key) {
                        extraKeys[zi].append(p.key)
                        extraSlots[zi].append(.none)
                    }
                    p = p.parent
                }
            }
        }
        self.nodeSlots = nodeSlots
        self.extraTables = extraKeys.map { $0.isEmpty ? nil : NameTable(keys: $0) }
        self.extraSlots = extraSlots
    }

    /// The pools of node `node` in zone `zone`.
    @inline(__always)
    func slots(zone: Int, node: Int32) -> Slots {
        let z = nodeSlots[zone]
        return z.isEmpty ? .none : z[Int(node)]
    }

    /// Whether any pool owner in the zone `zone` has no node.
    @inline(__always)
    func extraSlots(zone: Int, name: Name) -> Slots? {
        guard let table = extraTables[zone] else { return nil }
        let i = table.find(name.key)
        return i < 0 ? nil : extraSlots[zone][Int(i)]
    }
}
