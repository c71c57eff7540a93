extension RData {
    /// True when `a` sorts before `b` in canonical RDATA order: canonical wire forms compared
    /// as left-justified unsigned octet strings, a missing octet before a zero (RFC 4034 6.3).
    public static func canonicalLess(_ a: RData, _ b: RData) -> Bool {
        a.wire(names: .canonical).lexicographicallyPrecedes(b.wire(names: .canonical))
    }

    /// The RDATA of one RRset in canonical order (RFC 4034 6.3), with RDATA whose canonical
    /// forms are equal kept once (an RRset has no duplicates, RFC 2181 5).
    public static func canonicalOrder(_ rrset: [RData]) -> [RData] {
        canonicalOrderIndices(rrset.map { $0.wire(names: .canonical) }).map { rrset[$0] }
    }

    /// Indices of `keys` sorted, keeping the first of equal keys.
    static func canonicalOrderIndices(_ keys: [[UInt8]]) -> [Int] {
        let sorted = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) || (keys[$0] == keys[$1] && $0 < $1) }
        var out: [Int] = []
        out.reserveCapacity(sorted.count)
        for i in sorted where out.last.map({ keys[$0] != keys[i] }) ?? true { out.append(i) }
        return out
    }
}

extension ResourceRecord {
    /// The records of one RRset (same owner, class and type) in canonical order of their RDATA
    /// (RFC 4034 6.3), duplicates kept once; the order a signer or validator hashes them in.
    public static func canonicalOrder(_ rrset: [ResourceRecord]) -> [ResourceRecord] {
        RData.canonicalOrderIndices(rrset.map { $0.rdata.wire(names: .canonical) }).map { rrset[$0] }
    }
}
