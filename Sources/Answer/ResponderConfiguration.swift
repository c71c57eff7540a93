import DNSWire

/// Size limits the responder applies to replies.
public enum ResponseLimits {
    /// The UDP payload every DNS implementation accepts, used without EDNS and as the floor for
    /// a smaller advertised size (RFC 1035 4.2.1, RFC 6891 6.2.5).
    public static let minimumUDP = 512
    /// Default EDNS UDP payload size: advertised, and the cap on UDP replies (DNS Flag Day 2020,
    /// recommended by RFC 9715 3).
    public static let defaultUDPPayload: UInt16 = 1232
    /// Largest message over TCP, set by its 16-bit length prefix (RFC 1035 4.2.2).
    public static let tcp = 65535
    /// Longest identity string answered as one TXT character-string (RFC 1035 3.3).
    public static let maxIdentityLength = 255
}

/// The answer to one CHAOS-class identity name (RFC 4892): a text, or hidden (REFUSED).
public enum IdentityAnswer: Sendable, Hashable {
    /// Answer with this text as a single TXT string (at most 255 octets).
    case text([UInt8])
    /// Refuse the query (RCODE REFUSED), as NSD's `hide-identity`/`hide-version` and Knot's
    /// empty `identity`/`version` do: a policy refusal (RFC 1035 4.1.1, RCODE 5).
    case hidden

    /// A text answer from a string (UTF-8 octets).
    public static func text(_ s: String) -> IdentityAnswer { .text(Array(s.utf8)) }
}

/// What the server says about itself (RFC 4892 CHAOS TXT names, RFC 5001 NSID).
public struct ServerIdentity: Sendable, Hashable {
    /// `id.server.` CH TXT (RFC 4892 2.3).
    public var idServer: IdentityAnswer
    /// `hostname.bind.` CH TXT (BIND convention, RFC 4892 2.1).
    public var hostnameBind: IdentityAnswer
    /// `version.server.` and `version.bind.` CH TXT (RFC 4892 2.3).
    public var version: IdentityAnswer
    /// NSID payload (RFC 5001 2.3); nil sends no NSID.
    public var nsid: [UInt8]?
    /// `fingerprint.server.` CH TXT: a digest of the served data, so instances behind one
    /// anycast address can be compared (split into 255-octet strings when longer).
    public var fingerprint: IdentityAnswer

    /// Everything hidden and no NSID unless given.
    public init(idServer: IdentityAnswer = .hidden, hostnameBind: IdentityAnswer = .hidden,
                version: IdentityAnswer = .hidden, nsid: [UInt8]? = nil, fingerprint: IdentityAnswer = .hidden) {
        self.idServer = idServer; self.hostnameBind = hostnameBind; self.version = version; self.nsid = nsid
        self.fingerprint = fingerprint
    }
}

/// Everything the responder needs besides the answer source; immutable and built once at load.
public struct ResponderConfiguration: Sendable, Hashable {
    /// UDP payload size written in the reply's OPT: the largest UDP query this server accepts
    /// (RFC 6891 6.2.3, 6.2.5). The transport's receive buffer must be at least this big.
    public var advertisedUDPSize: UInt16
    /// Cap on UDP replies whatever the client offers (RFC 6891 6.2.5); at least 512.
    public var maxUDPPayload: Int
    /// CHAOS identity answers and NSID.
    public var identity: ServerIdentity
    /// DNS cookies (RFC 7873, RFC 9018); nil ignores COOKIE options like a server without
    /// cookie support (RFC 7873 5.2).
    public var cookies: CookiePolicy?
    /// edns-tcp-keepalive TIMEOUT in units of 100 ms sent over TCP when the query asks
    /// (RFC 7828 3.3.2); nil never sends the option.
    public var tcpKeepalive: UInt16?
    /// Who may transfer each zone (AXFR/IXFR), by the zone apex's lower-case wire key; a zone
    /// absent here is never transferred.
    public var transferACL: [[UInt8]: [ClientPrefix]]

    /// Sizes are clamped to 512...65535; cookies and keepalive off unless given.
    public init(advertisedUDPSize: UInt16 = ResponseLimits.defaultUDPPayload,
                maxUDPPayload: Int = Int(ResponseLimits.defaultUDPPayload),
                identity: ServerIdentity = ServerIdentity(), cookies: CookiePolicy? = nil,
                tcpKeepalive: UInt16? = nil, transferACL: [[UInt8]: [ClientPrefix]] = [:]) {
        self.advertisedUDPSize = max(advertisedUDPSize, UInt16(ResponseLimits.minimumUDP))
        self.maxUDPPayload = min(max(maxUDPPayload, ResponseLimits.minimumUDP), ResponseLimits.tcp)
        self.identity = identity
        self.cookies = cookies
        self.tcpKeepalive = tcpKeepalive
        self.transferACL = transferACL
    }

    /// The keepalive TIMEOUT (RFC 7828 3.1, units of 100 ms, saturating at 65535) for an idle
    /// timeout in milliseconds.
    public static func keepaliveUnits(milliseconds: Int) -> UInt16 {
        UInt16(clamping: milliseconds / 100)
    }
}
