import DNSWire

/// What the query path gets for one query: records with their TTL, NODATA, or SERVFAIL.
public enum PoolSelection: Sendable, Hashable {
    /// Answer with these records (one RRset of the pool's kind) and this TTL.
    case records([RData], ttl: UInt32)
    /// Answer NODATA (the TTL is the pool's degraded TTL; the engine may prefer the SOA minimum).
    case nodata(ttl: UInt32)
    /// Answer SERVFAIL.
    case servfail
}
