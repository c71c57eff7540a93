import DNSWire
import Synchronization

/// Response rate limiting for UDP, in the manner of NSD and Knot (RRL): a token bucket per
/// (source prefix, kind of answer). A source over its budget gets no answer, except that every
/// `slip`-th limited answer goes out truncated (TC set, no records) so that a real client behind
/// a spoofed flood retries over TCP, which a spoofer cannot do. TCP is never limited.
///
/// Buckets live in a fixed table (no growth however many sources there are): a slot is found
/// by hashing the key, and a colliding key takes the slot over with a full bucket, which errs
/// on the side of answering. Thread-safe with striped locks; time is passed in (milliseconds
/// on any monotonic clock), so the limiter is tested with an injected clock.
public final class RateLimiter: Sendable {
    /// What kind of answer a response is; each has its own budget.
    public enum Kind: Int, Sendable, CaseIterable {
        /// Answers and referrals, NODATA included.
        case answer
        /// NXDOMAIN: random-subdomain floods.
        case nxdomain
        /// REFUSED, FORMERR, SERVFAIL, NOTIMP and the like.
        case error
    }

    /// What to do with one response.
    public enum Verdict: Sendable, Equatable {
        case send
        case drop
        /// Send a truncated, empty response with TC set.
        case slip
    }

    /// Per-kind answers per second (0: that kind is not limited).
    public let rates: [Int]
    public let slip: Int
    public let ipv4Prefix: Int
    public let ipv6Prefix: Int
    private let exempt: [ClientPrefix]

    private struct Bucket {
        var key: UInt64 = 0
        var used = false
        /// Credit in thousandths of a response; at most one second's worth.
        var credit: Int64 = 0
        var lastMs: Int64 = 0
        var limited: UInt32 = 0
    }
    private static let stripes = 64
    private static let slotsPerStripe = 1024
    private final class Stripe: Sendable {
        let buckets = Mutex(Array(repeating: Bucket(), count: RateLimiter.slotsPerStripe))
    }
    private let table: [Stripe]

    /// A limiter; sources inside an `exempt` prefix are never limited.
    public init(answersPerSecond: Int, nxdomainsPerSecond: Int, errorsPerSecond: Int, slip: Int,
                ipv4Prefix: Int = 24, ipv6Prefix: Int = 56, exempt: [ClientPrefix] = []) {
        rates = [answersPerSecond, nxdomainsPerSecond, errorsPerSecond]
        self.slip = slip
        self.ipv4Prefix = ipv4Prefix
        self.ipv6Prefix = ipv6Prefix
        self.exempt = exempt
        table = (0..<RateLimiter.stripes).map { _ in Stripe() }
    }

    /// Whether any kind is limited.
    public var isEnabled: Bool { rates.contains { $0 > 0 } }

    /// The kind of a response by its RCODE.
    @inlinable
    public static func kind(of rcode: UInt16) -> Kind {
        switch rcode {
        case 0: .answer
        case 3: .nxdomain
        default: .error
        }
    }

    /// Decides about one UDP response to `client`, made at `nowMs`.
    public func check(_ client: ClientAddress, kind: Kind, nowMs: Int64) -> Verdict {
        let rate = rates[kind.rawValue]
        guard rate > 0 else { return .send }
        if exempt.contains(where: { $0.contains(client) }) { return .send }
        let (h, l) = client.masked(to: client.family == .ipv4 ? ipv4Prefix : ipv6Prefix)
        var key = h &* 0x9E37_79B9_7F4A_7C15 ^ (l &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        key ^= UInt64(kind.rawValue + 1) &* 0x94D0_49BB_1331_11EB ^ (client.family == .ipv6 ? 1 : 0)
        key ^= key >> 31
        let stripe = Int(key % UInt64(RateLimiter.stripes))
        let slot = Int((key / UInt64(RateLimiter.stripes)) % UInt64(RateLimiter.slotsPerStripe))
        let full = Int64(rate) * 1000
        return table[stripe].buckets.withLock { buckets in
            var b = buckets[slot]
            if !b.used || b.key != key {
                b = Bucket(key: key, used: true, credit: full, lastMs: nowMs, limited: 0)
            } else if nowMs > b.lastMs {
                b.credit = min(full, b.credit + (nowMs - b.lastMs) * Int64(rate))
                b.lastMs = nowMs
            }
            let verdict: Verdict
            if b.credit >= 1000 {
                b.credit -= 1000
                verdict = .send
            } else {
                b.limited &+= 1
                verdict = slip > 0 && b.limited % UInt32(slip) == 0 ? .slip : .drop
            }
            buckets[slot] = b
            return verdict
        }
    }

    /// The address with every bit past `prefix` cleared, as (high, low).
    /// Applies the limit to a UDP reply for `client`: the first `count` octets of `reply`.
    /// Returns the octets to send (0: none; a slip rewrites the reply in place) and the
    /// verdict. Allocation-free.
    public func limit(_ reply: UnsafeMutableRawBufferPointer, count: Int, rcode: RCode, client: ClientAddress,
                      nowMs: Int64) -> (count: Int, verdict: Verdict) {
        switch check(client, kind: RateLimiter.kind(of: rcode.rawValue), nowMs: nowMs) {
        case .send: (count, .send)
        case .drop: (0, .drop)
        case .slip: (RateLimiter.slip(UnsafeMutableRawBufferPointer(rebasing: reply[0..<count])) ?? 0, .slip)
        }
    }

    /// A slip, in place: the full reply in `r` is cut after its question, with TC set and the
    /// record counts zeroed. Returns the slipped length, or nil when the question cannot be
    /// found. Allocation-free.
    public static func slip(_ r: UnsafeMutableRawBufferPointer) -> Int? {
        guard r.count >= 12 else { return nil }
        var end = 12
        if r[4] != 0 || r[5] != 0 {  // one question: skip its name, then type and class
            while end < r.count {
                let len = Int(r[end])
                if len == 0 { end += 1; break }
                if len & 0xC0 == 0xC0 { end += 2; break }
                end += len + 1
            }
            end += 4
            guard end <= r.count else { return nil }
        }
        r[2] |= 0x02                          // TC
        r[3] &= 0xF0                          // RCODE NOERROR: "retry over TCP", not an error
        for i in 6..<12 { r[i] = 0 }          // no answer, authority or additional records
        return end
    }
}
