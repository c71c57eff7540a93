import DNSWire
import Synchronization

/// A cache of whole responses for the common query shape, so a repeated question skips
/// decoding, lookup and encoding: one QUERY with one question (not AXFR or IXFR), no records
/// but at most an OPT whose only option is an empty NSID request. Anything else (cookies, other
/// options, odd counts, transfers) takes the full path.
///
/// The key is the question with the name lower-cased, the header bits a response copies (RD, CD),
/// the OPT's presence, payload size, DO bit and NSID request, and the transport: everything
/// the responder's output depends on for such a query. A hit returns the stored response with
/// the query's ID and the query's spelling of the name in the question (answer owners compressed
/// to it follow). The cache belongs to one immutable snapshot of zones and health: a reload or a
/// health change publishes a new snapshot with a new, empty cache, so nothing is ever stale.
/// Pools that rotate their answers per query (multivalue, weighted) make responses depend on
/// the query ID; their snapshots get no cache.
///
/// A fixed table (no growth) with bounded linear probing: a key lives in one of the
/// `probeLimit` slots from its home slot (picked by hashing), in the first free one; only when
/// all are taken does a new key replace the one at home. A direct-mapped table lost about a
/// third of a zone's questions to collisions when they were asked in a cycle (dnsperf replays
/// its file in order: two questions in one slot evict each other on every pass); probing keeps
/// all but about one question in a thousand while the table is at most half full (a
/// probe sequence longer than `probeLimit` is that rare at load 1/2). Nothing is ever removed, so a
/// lookup stops at the first free slot. Thread-safe with striped locks.
public final class ResponseCache: Sendable {
    /// One slot. A lookup reads `hash` (in the table itself) before touching anything else,
    /// and a hit then reads one buffer: the key and the response end to end.
    private struct Entry {
        /// The key's hash with the low bit set; 0 marks a free slot.
        var hash: UInt64 = 0
        var keyLength: Int = 0
        var rcode: RCode = .noError
        /// The key (the query after its header, name lower-cased, then the transport), then
        /// the response.
        var data: [UInt8] = []
    }
    private final class Stripe: Sendable {
        let entries: Mutex<[Entry]>
        init(slots: Int) { entries = Mutex(Array(repeating: Entry(), count: slots)) }
    }
    private static let stripes = 32
    private let slotsPerStripe: Int
    private let table: [Stripe]
    /// Responses larger than this are not kept.
    public static let maxResponse = 1232
    /// Slots a key may live in, from its home slot on.
    static let probeLimit = 16

    /// How many responses it holds at most.
    public var capacity: Int { slotsPerStripe * ResponseCache.stripes }

    /// A cache of about `capacity` responses.
    public init(capacity: Int = 8192) {
        slotsPerStripe = max(1, capacity / ResponseCache.stripes)
        table = (0..<ResponseCache.stripes).map { _ in Stripe(slots: max(1, capacity / ResponseCache.stripes)) }
    }

    /// Where a cacheable query's name ends, and the key's hash; nil for any other query.
    public struct Shape: Sendable {
        /// Offset just past the question name.
        let nameEnd: Int
        let hash: UInt64
    }

    /// The shape of `query`, when it is one the cache handles.
    @inlinable
    public static func shape(of query: [UInt8], tcp: Bool) -> Shape? {
        query.withUnsafeBufferPointer { shape($0, tcp: tcp) }
    }

    /// The shape of the query in `q`, when it is one the cache handles.
    public static func shape(_ q: UnsafeBufferPointer<UInt8>, tcp: Bool) -> Shape? {
        let n = q.count
        // Header: QR clear, opcode QUERY, one question, no answer or authority, at most one
        // additional (the OPT), no Z bit.
        guard n >= 17, q[2] & 0xF8 == 0, q[3] & 0x40 == 0, q[4] == 0, q[5] == 1, q[6] == 0, q[7] == 0, q[8] == 0, q[9] == 0,
              q[10] == 0, q[11] <= 1 else { return nil }
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        var i = 12
        while true {
            guard i < n else { return nil }
            let len = Int(q[i])
            mix(q[i])
            i += 1
            if len == 0 { break }
            guard len <= 63, i + len <= n, i - 12 + len < 255 else { return nil }
            for k in i..<(i + len) { mix(lower(q[k])) }
            i += len
        }
        let nameEnd = i
        guard i + 4 <= n else { return nil }
        // Zone transfers depend on who asks (the zone's ACL), which the key leaves out.
        guard q[i] != 0 || (q[i + 1] != 251 && q[i + 1] != 252) else { return nil }
        for k in i..<(i + 4) { mix(q[k]) }  // type and class
        i += 4
        mix(q[2] & 0x01)                   // RD
        mix(q[3] & 0x10)                   // CD
        mix(tcp ? 1 : 0)
        if q[11] == 1 {
            // OPT: root owner, type 41, payload size, extended RCODE 0, version 0, DO, RDLENGTH,
            // then nothing or an empty NSID request.
            guard i + 11 <= n, q[i] == 0, q[i + 1] == 0, q[i + 2] == 41, q[i + 5] == 0, q[i + 6] == 0 else { return nil }
            let rdlen = Int(q[i + 9]) << 8 | Int(q[i + 10])
            guard i + 11 + rdlen == n else { return nil }
            let nsid = rdlen == 4 && q[i + 11] == 0 && q[i + 12] == 3 && q[i + 13] == 0 && q[i + 14] == 0
            guard rdlen == 0 || nsid else { return nil }
            mix(1); mix(q[i + 3]); mix(q[i + 4]); mix(q[i + 7] & 0x80); mix(nsid ? 1 : 0)
        } else {
            guard i == n else { return nil }
            mix(0)
        }
        return Shape(nameEnd: nameEnd, hash: h)
    }

    @inline(__always) @usableFromInline
    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// Whether `key` (stored lower-cased) is the key of `query`: the question name compared
    /// case-insensitively, the rest as bytes.
    private static func matches(_ key: UnsafeRawBufferPointer, _ query: UnsafeBufferPointer<UInt8>, tcp: Bool) -> Bool {
        guard key.count == query.count - 12 + 1, key[key.count - 1] == (tcp ? 1 : 0) else { return false }
        for j in 0..<(query.count - 12) {
            let a = key[j], b = query[12 + j]
            if a != b && a != lower(b) { return false }
        }
        return true
    }

    /// The key as stored: the query after the header (name lower-cased), then the transport;
    /// with room for `extra` more octets (the response, appended in place).
    private static func makeKey(_ query: [UInt8], nameEnd: Int, tcp: Bool, reserving extra: Int) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(query.count - 12 + 1 + extra)
        key.append(contentsOf: query[12...])
        for j in 0..<(nameEnd - 12) { key[j] = lower(key[j]) }
        key.append(tcp ? 1 : 0)
        return key
    }

    /// The hash as kept in a slot: never 0, which marks a free one.
    @inline(__always)
    private static func slotHash(_ shape: Shape) -> UInt64 { shape.hash | 1 }

    /// Writes the cached response for `query` into `out` with the query's ID and spelling of
    /// the name; returns its length and RCODE, or nil when the cache does not have it (or `out`
    /// is too small). Allocation-free: the UDP loop answers a hit straight into its reply slot.
    public func answer(_ q: UnsafeBufferPointer<UInt8>, shape: Shape, tcp: Bool,
                       into out: UnsafeMutableRawBufferPointer) -> (count: Int, rcode: RCode)? {
        let (stripe, home) = position(shape.hash)
        let h = ResponseCache.slotHash(shape)
        let found: (count: Int, rcode: RCode)? = table[stripe].entries.withLock { entries in
            var slot = home
            for _ in 0..<ResponseCache.probeLimit {
                let e = entries[slot].hash
                if e == 0 { return nil }
                if e == h {
                    let found = entries[slot].data.withUnsafeBytes { d -> (count: Int, rcode: RCode)? in
                        let k = entries[slot].keyLength
                        guard ResponseCache.matches(UnsafeRawBufferPointer(rebasing: d[..<k]), q, tcp: tcp) else { return nil }
                        let r = UnsafeRawBufferPointer(rebasing: d[k...])
                        // The header flags RD and CD are part of the response: compare them too.
                        guard r.count <= out.count, r[2] & 0x01 == q[2] & 0x01, r[3] & 0x10 == q[3] & 0x10 else { return nil }
                        out.copyMemory(from: r)
                        return (r.count, entries[slot].rcode)
                    }
                    if found != nil { return found }
                }
                slot = slot + 1 == slotsPerStripe ? 0 : slot + 1
            }
            return nil
        }
        guard let found else { return nil }
        out[0] = q[0]
        out[1] = q[1]
        for j in 12..<shape.nameEnd { out[j] = q[j] }
        return found
    }

    /// Keeps `response` (the full path's answer to `query`).
    public func store(_ query: [UInt8], shape: Shape, tcp: Bool, response: [UInt8], rcode: RCode) {
        guard response.count <= ResponseCache.maxResponse, response.count >= shape.nameEnd else { return }
        var data = ResponseCache.makeKey(query, nameEnd: shape.nameEnd, tcp: tcp, reserving: response.count)
        let keyLength = data.count
        data.append(contentsOf: response)
        let (stripe, home) = position(shape.hash)
        let h = ResponseCache.slotHash(shape)
        table[stripe].entries.withLock { entries in
            // The first free slot in reach, or the key's own; when every one is taken by other
            // keys, the newcomer replaces the key at home.
            var slot = home, chosen = home
            for _ in 0..<ResponseCache.probeLimit {
                if entries[slot].hash == 0 || (entries[slot].hash == h && entries[slot].keyLength == keyLength
                    && entries[slot].data[..<keyLength].elementsEqual(data[..<keyLength])) {
                    chosen = slot
                    break
                }
                slot = slot + 1 == slotsPerStripe ? 0 : slot + 1
            }
            entries[chosen] = Entry(hash: h, keyLength: keyLength, rcode: rcode, data: data)
        }
    }

    private func position(_ hash: UInt64) -> (Int, Int) {
        let stripe = Int(hash % UInt64(ResponseCache.stripes))
        return (stripe, Int((hash / UInt64(ResponseCache.stripes)) % UInt64(slotsPerStripe)))
    }
}
