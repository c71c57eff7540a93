import DNSWire

/// One loaded zone: an immutable arena of nodes indexed by a name hash table, with glue,
/// zone cuts, wildcard children and empty non-terminals computed at load. Built by
/// `Zone.check(origin:records:locations:)` or `Zone.load(origin:records:locations:)`.
public final class Zone: Sendable {
    /// The zone origin (apex name).
    public let origin: Name
    /// All nodes, in canonical order (RFC 4034 6.1); node 0 is the apex.
    public let nodes: [ZoneNode]
    /// Folded wire name to node index.
    public let table: NameTable
    /// The apex SOA record.
    public let soa: ResourceRecord
    /// The TTL of the SOA in negative answers: min(SOA TTL, SOA MINIMUM) (RFC 2308 3).
    public let negativeTTL: UInt32

    /// Index of the apex node.
    public static let apexIndex: Int32 = 0

    init(origin: Name, nodes: [ZoneNode], soa: ResourceRecord) {
        self.origin = origin
        self.nodes = nodes
        self.table = NameTable(keys: nodes.map(\.name.key))
        self.soa = soa
        if case .soa(let s) = soa.rdata { negativeTTL = min(soa.ttl, s.minimum) } else { negativeTTL = soa.ttl }
    }

    /// The node index of exactly `name`, or -1.
    @inlinable
    public func find(_ name: Name) -> Int32 { table.find(name.key) }

    /// The closest encloser of `name` (RFC 4592 3.3.1): the node of the longest existing
    /// ancestor-or-self, and whether it is `name` itself. `name` must be in the zone; the
    /// apex is returned otherwise. Probes suffixes of `name.key` in place, allocation-free.
    public func closestEncloser(_ name: Name) -> (node: Int32, exact: Bool) {
        let (index, offset) = table.longestSuffix(of: name.key)
        if index < 0 { return (Zone.apexIndex, false) }
        return (index, offset == 0)
    }

    /// All records of the zone, in canonical name order and type order (for printing and
    /// for writing the zone back out).
    public var records: [ResourceRecord] {
        nodes.flatMap { $0.rrsets.flatMap(\.records) }
    }
}
