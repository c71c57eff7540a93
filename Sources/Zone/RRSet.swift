import DNSWire

/// The records of one type at one name, with the TTL made uniform at load and the targets of
/// additional-section processing resolved to node indices (RFC 1034 3.6, RFC 2181 5).
public struct RRSet: Sendable {
    /// The record type.
    public let type: RRType
    /// The RRset's TTL (the first record's, RFC 2181 5.2).
    public let ttl: UInt32
    /// The records, all with `ttl` and with the owner spelt as the node's name (as first
    /// written in the zone).
    public let records: [ResourceRecord]
    /// For NS, MX and SRV: per record, the node index in the same zone of the name whose
    /// A/AAAA go to the additional section (RFC 1034 3.6.2 step 6), -1 when that name has no
    /// node in this zone. Empty for other types.
    public let additionalNodes: [Int32]
    /// For NS, MX and SRV: per record, the target name (nil for SRV ".", RFC 2782), so that
    /// targets outside this zone are looked up in the other served zones without decoding
    /// RDATA at query time. Empty for other types.
    public let additionalNames: [Name?]

    public init(type: RRType, ttl: UInt32, records: [ResourceRecord], additionalNodes: [Int32], additionalNames: [Name?]) {
        self.type = type; self.ttl = ttl; self.records = records
        self.additionalNodes = additionalNodes; self.additionalNames = additionalNames
    }

    /// The name whose addresses belong in the additional section for this RDATA: the NS host,
    /// the MX exchange or the SRV target (RFC 1035 3.3.11, 3.3.9; RFC 2782); nil otherwise.
    public static func additionalTarget(of rdata: RData) -> Name? {
        switch rdata {
        case .ns(let n): return n
        case .mx(let mx): return mx.exchange
        case .srv(let srv):
            return srv.target.isRoot ? nil : srv.target  // "." means no service (RFC 2782).
        default: return nil
        }
    }
}

/// Node flags computed at load (Knot's "adjust" step), so the query path only tests bits.
public struct NodeFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The zone apex.
    public static let apex = NodeFlags(rawValue: 1 << 0)
    /// A zone cut: NS records at a name other than the apex (RFC 1034 4.2.1).
    public static let delegation = NodeFlags(rawValue: 1 << 1)
    /// Strictly below a zone cut: glue or occluded data, never authoritative.
    public static let nonAuthoritative = NodeFlags(rawValue: 1 << 2)
    /// Has a CNAME RRset.
    public static let hasCNAME = NodeFlags(rawValue: 1 << 3)
    /// Has a DNAME RRset.
    public static let hasDNAME = NodeFlags(rawValue: 1 << 4)
    /// Has no records: an empty non-terminal (RFC 4592 2.2.2), created at load.
    public static let emptyNonTerminal = NodeFlags(rawValue: 1 << 5)
}

/// One name in a zone: its RRsets sorted by type and the facts precomputed at load.
public struct ZoneNode: Sendable {
    /// The owner name, case as first written in the zone.
    public let name: Name
    /// Index of the parent node, -1 for the apex.
    public let parent: Int32
    /// RRsets sorted by type code.
    public let rrsets: [RRSet]
    /// Flags computed at load.
    public let flags: NodeFlags
    /// Index of the `*` child (RFC 4592 2.1.1 "source of synthesis"), -1 when there is none.
    public let wildcardChild: Int32
    /// For a delegation or a node below one: the index of the topmost zone cut at or above it,
    /// whose NS RRset a referral carries; -1 for authoritative nodes.
    public let cut: Int32

    public init(name: Name, parent: Int32, rrsets: [RRSet], flags: NodeFlags, wildcardChild: Int32, cut: Int32) {
        self.name = name; self.parent = parent; self.rrsets = rrsets; self.flags = flags
        self.wildcardChild = wildcardChild; self.cut = cut
    }

    /// Index in `rrsets` of the RRset of `type`, or nil.
    @inlinable
    public func rrsetIndex(_ type: RRType) -> Int? {
        for i in rrsets.indices where rrsets[i].type == type { return i }
        return nil
    }

    /// The RRset of `type`, or nil.
    @inlinable
    public func rrset(_ type: RRType) -> RRSet? {
        rrsetIndex(type).map { rrsets[$0] }
    }
}
