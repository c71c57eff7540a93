import DNSWire

/// Limits of the interoperable server cookie (RFC 9018).
public enum CookieLimits {
    /// Client cookie length (RFC 7873 4).
    public static let clientLength = 8
    /// Length of an RFC 9018 server cookie: version, reserved, timestamp, hash (RFC 9018 4.2).
    public static let serverLength = 16
    /// The only server cookie version defined (RFC 9018 4.1).
    public static let version: UInt8 = 1
    /// Oldest accepted cookie, in seconds (RFC 9018 4.3: one hour in the past).
    public static let maxAge: Int32 = 3600
    /// Furthest accepted clock skew into the future, in seconds (RFC 9018 4.3: five minutes).
    public static let maxFuture: Int32 = 300
    /// Age from which a valid cookie is replaced by a fresh one (RFC 9018 4.3: half an hour).
    public static let refreshAge: Int32 = 1800
}

/// A 16-octet server secret, the SipHash-2-4 key (RFC 9018 4.4). Every server of an anycast set
/// that shares it accepts the others' cookies.
public struct CookieSecret: Sendable, Hashable {
    let k0: UInt64
    let k1: UInt64

    /// A secret from exactly 16 octets; nil otherwise.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        k0 = SipHash24.littleEndian(bytes, 0)
        k1 = SipHash24.littleEndian(bytes, 8)
    }

    /// A fresh random secret, for a server whose configuration gives none (cookies then work for
    /// this process only, RFC 7873 7.1).
    public static func random() -> CookieSecret {
        var g = SystemRandomNumberGenerator()
        return CookieSecret(k0: g.next(), k1: g.next())
    }

    init(k0: UInt64, k1: UInt64) { self.k0 = k0; self.k1 = k1 }
}

/// How the responder treats DNS cookies (RFC 7873 5.2).
public struct CookiePolicy: Sendable, Hashable {
    /// The secret new cookies are made with.
    public var secret: CookieSecret
    /// A former secret still accepted during a rollover (RFC 9018 5).
    public var previousSecret: CookieSecret?
    /// Answer BADCOOKIE over UDP when the query's COOKIE lacks a valid server cookie (RFC 7873
    /// 5.2.2, 5.2.3). Queries without a COOKIE option are always answered (RFC 7873 5.2.1), and
    /// TCP is never refused (RFC 7873 5.2.3).
    public var requireValid: Bool

    /// A policy with the current secret, an optional previous one, not requiring cookies by default.
    public init(secret: CookieSecret, previousSecret: CookieSecret? = nil, requireValid: Bool = false) {
        self.secret = secret
        self.previousSecret = previousSecret
        self.requireValid = requireValid
    }
}

/// The server's judgement of a query's COOKIE option (RFC 7873 5.2).
public enum CookieVerdict: Sendable, Hashable {
    /// Only a client cookie (RFC 7873 5.2.2).
    case clientOnly
    /// A server cookie we did not make, or made too long ago / too far in the future, or
    /// for another client (RFC 7873 5.2.3).
    case invalid
    /// A valid server cookie (RFC 7873 5.2.4); `reuse` when it was made with the current
    /// secret less than half an hour ago, so it can be echoed unchanged (RFC 9018 4.3).
    case valid(reuse: Bool)
}

/// Builds and checks interoperable server cookies (RFC 9018 4): Version 1, Reserved, a 32-bit
/// Timestamp and SipHash-2-4 over Client Cookie | Version | Reserved | Timestamp | Client-IP.
public enum ServerCookie {
    /// The 8-octet hash of a server cookie (RFC 9018 4.4), computed over the octets as received
    /// (so nonzero Reserved octets from another implementation still verify).
    static func hash(secret: CookieSecret, client: [UInt8], version: UInt8, reserved: (UInt8, UInt8, UInt8),
                     timestamp: UInt32, address: ClientAddress) -> UInt64 {
        var h = SipHash24(k0: secret.k0, k1: secret.k1)
        h.append(contentsOf: client)
        h.append(version)
        h.append(reserved.0); h.append(reserved.1); h.append(reserved.2)
        h.append(UInt8(truncatingIfNeeded: timestamp >> 24))
        h.append(UInt8(truncatingIfNeeded: timestamp >> 16))
        h.append(UInt8(truncatingIfNeeded: timestamp >> 8))
        h.append(UInt8(truncatingIfNeeded: timestamp))
        address.feed { h.append($0) }
        return h.finalize()
    }

    /// A fresh 16-octet server cookie for `client` (8 octets) at `now` (RFC 9018 4.2).
    public static func make(secret: CookieSecret, client: [UInt8], address: ClientAddress, now: UInt32) -> [UInt8] {
        let mac = hash(secret: secret, client: client, version: CookieLimits.version, reserved: (0, 0, 0),
                       timestamp: now, address: address)
        var out: [UInt8] = [CookieLimits.version, 0, 0, 0,
                            UInt8(truncatingIfNeeded: now >> 24), UInt8(truncatingIfNeeded: now >> 16),
                            UInt8(truncatingIfNeeded: now >> 8), UInt8(truncatingIfNeeded: now)]
        // SipHash output is the little-endian encoding of the 64-bit result.
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: mac >> UInt64(8 * i))) }
        return out
    }

    /// Judges a COOKIE option (client and server parts already split, lengths already checked
    /// by the codec, RFC 7873 5.2.2) received from `address` at `now`.
    public static func verify(client: [UInt8], server: [UInt8], address: ClientAddress, now: UInt32,
                              policy: CookiePolicy) -> CookieVerdict {
        if server.isEmpty { return .clientOnly }
        guard server.count == CookieLimits.serverLength, server[0] == CookieLimits.version else { return .invalid }
        let ts = UInt32(server[4]) << 24 | UInt32(server[5]) << 16 | UInt32(server[6]) << 8 | UInt32(server[7])
        // Serial-number arithmetic (RFC 1982) so the window works across the 2^32 wrap.
        let age = Int32(bitPattern: now &- ts)
        guard age <= CookieLimits.maxAge, age >= -CookieLimits.maxFuture else { return .invalid }
        var received: UInt64 = 0
        for i in (8..<16).reversed() { received = received << 8 | UInt64(server[i]) }
        let reserved = (server[1], server[2], server[3])
        let current = hash(secret: policy.secret, client: client, version: server[0], reserved: reserved,
                           timestamp: ts, address: address)
        if current == received {
            return .valid(reuse: age < CookieLimits.refreshAge && reserved == (0, 0, 0))
        }
        if let previous = policy.previousSecret,
           hash(secret: previous, client: client, version: server[0], reserved: reserved,
                timestamp: ts, address: address) == received {
            return .valid(reuse: false)  // re-issue under the current secret (RFC 9018 5)
        }
        return .invalid
    }
}
