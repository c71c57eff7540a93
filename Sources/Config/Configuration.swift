import DNSWire

/// The validated configuration of a Tack server, decoded from one YAML file (see
/// docs/config.md). Every value is checked at load; nothing here needs validating again.
public struct Configuration: Sendable, Equatable {
    /// Addresses to serve DNS on, UDP and TCP.
    public var listen: [ListenAddress]
    /// The zones to serve, in file order.
    public var zones: [ZoneEntry]
    /// NSID and CHAOS identity answers.
    public var identity: IdentityConfiguration
    /// EDNS(0) settings.
    public var edns: EDNSConfiguration
    /// DNS cookies.
    public var cookies: CookieConfiguration
    /// Resource limits.
    public var limits: LimitsConfiguration
    /// Logging.
    public var logging: LoggingConfiguration
    /// Admin API.
    public var admin: AdminConfiguration
    /// Where health states survive restarts.
    public var health = HealthSettings()
    /// Response rate limiting (off by default).
    public var rateLimit = RateLimitConfiguration()
    /// BGP announcement of an anycast address through BIRD (`tack announce`), and draining;
    /// nil when the section is absent.
    public var anycast: AnycastConfiguration?
    /// Health-checked targets (docs/config.md, "targets").
    public var targets: [TargetConfiguration] = []
    /// Pools binding names to targets by health (docs/config.md, "pools").
    public var pools: [PoolConfiguration] = []

    /// A configuration; sections left out take their defaults.
    public init(listen: [ListenAddress], zones: [ZoneEntry], identity: IdentityConfiguration,
                edns: EDNSConfiguration = EDNSConfiguration(), cookies: CookieConfiguration = CookieConfiguration(),
                limits: LimitsConfiguration = LimitsConfiguration(), logging: LoggingConfiguration = LoggingConfiguration(),
                admin: AdminConfiguration = AdminConfiguration()) {
        self.listen = listen; self.zones = zones; self.identity = identity; self.edns = edns
        self.cookies = cookies; self.limits = limits; self.logging = logging; self.admin = admin
    }
}

/// One served zone: its apex, its master file, and who may transfer it.
public struct ZoneEntry: Sendable, Equatable {
    /// The zone apex, case as written.
    public var name: Name
    /// Absolute path of the zone file (a relative path in the YAML is relative to the
    /// configuration file's directory).
    public var file: String
    /// Sources allowed to transfer the zone (AXFR, and IXFR answered in full); empty (the
    /// default) refuses every transfer.
    public var allowTransfer: [AddressPrefix]

    public init(name: Name, file: String, allowTransfer: [AddressPrefix] = []) {
        self.name = name; self.file = file; self.allowTransfer = allowTransfer
    }
}

/// An address prefix from the configuration, such as 192.0.2.0/24 or 2001:db8::/32.
public struct AddressPrefix: Sendable, Hashable, CustomStringConvertible {
    /// 4 (IPv4) or 16 (IPv6) octets in network order.
    public var address: [UInt8]
    /// The prefix length in bits; a bare address has the full length.
    public var length: Int

    public init(address: [UInt8], length: Int) { self.address = address; self.length = length }

    public var description: String {
        let text = address.count == 4 ? address.map(String.init).joined(separator: ".")
            : stride(from: 0, to: 16, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }.joined(separator: ":")
        return "\(text)/\(length)"
    }
}

/// An identity answer: a text, or hidden.
public enum IdentitySetting: Sendable, Equatable {
    case text(String)
    /// Not revealed: CHAOS queries for it are REFUSED, NSID is not sent.
    case hidden
}

/// What the server says about itself (RFC 4892 CHAOS TXT, RFC 5001 NSID).
public struct IdentityConfiguration: Sendable, Equatable {
    /// NSID option payload (RFC 5001); default: the host name.
    public var nsid: IdentitySetting
    /// `id.server.` CH TXT; default: the host name.
    public var idServer: IdentitySetting
    /// `hostname.bind.` CH TXT; default: the host name.
    public var hostnameBind: IdentitySetting
    /// `version.server.` and `version.bind.` CH TXT; default: hidden.
    public var version: IdentitySetting

    /// The defaults for a host called `hostName`.
    public init(hostName: String) {
        nsid = .text(hostName); idServer = .text(hostName); hostnameBind = .text(hostName); version = .hidden
    }

    public init(nsid: IdentitySetting, idServer: IdentitySetting, hostnameBind: IdentitySetting, version: IdentitySetting) {
        self.nsid = nsid; self.idServer = idServer; self.hostnameBind = hostnameBind; self.version = version
    }
}

/// EDNS(0) settings (RFC 6891).
public struct EDNSConfiguration: Sendable, Equatable {
    /// The UDP payload size written in our OPT record: the largest UDP query we accept
    /// (RFC 6891 6.2.3). Default 1232.
    public var udpSize: Int

    public init(udpSize: Int = ConfigLimits.defaultUDPPayload) { self.udpSize = udpSize }
}

/// DNS cookies (RFC 7873, RFC 9018).
public struct CookieConfiguration: Sendable, Equatable {
    /// When false, COOKIE options are ignored. Default true.
    public var enabled: Bool
    /// The 16-octet server secret; nil means a random one per process (cookies then do not
    /// carry across the servers of an anycast set, or across restarts).
    public var secret: [UInt8]?
    /// The secret being rolled away from, still accepted (RFC 9018 5).
    public var previousSecret: [UInt8]?
    /// Answer BADCOOKIE over UDP to queries whose COOKIE has no valid server cookie.
    public var require: Bool

    public init(enabled: Bool = true, secret: [UInt8]? = nil, previousSecret: [UInt8]? = nil, require: Bool = false) {
        self.enabled = enabled; self.secret = secret; self.previousSecret = previousSecret; self.require = require
    }
}

/// Resource limits.
public struct LimitsConfiguration: Sendable, Equatable {
    /// How long an idle TCP connection is kept; also sent as edns-tcp-keepalive (RFC 7828).
    /// Default 10 s.
    public var tcpIdleTimeout: Duration
    /// Most TCP connections open at once. Default 1024.
    public var tcpMaxConnections: Int
    /// Most TCP connections open at once from one client address. Default 64.
    public var tcpMaxConnectionsPerSource: Int
    /// Largest UDP reply, whatever the client offers (RFC 6891 6.2.5). Default 1232.
    public var maxUDPPayload: Int
    /// UDP sockets (SO_REUSEPORT), each with its own thread, per listen address; nil (the
    /// default) means one per CPU the process may use.
    public var udpWorkers: Int?

    public init(tcpIdleTimeout: Duration = .seconds(10), tcpMaxConnections: Int = 1024, tcpMaxConnectionsPerSource: Int = 64,
                maxUDPPayload: Int = ConfigLimits.defaultUDPPayload, udpWorkers: Int? = nil) {
        self.tcpIdleTimeout = tcpIdleTimeout; self.tcpMaxConnections = tcpMaxConnections
        self.tcpMaxConnectionsPerSource = tcpMaxConnectionsPerSource
        self.maxUDPPayload = maxUDPPayload
        self.udpWorkers = udpWorkers
    }
}

/// Response rate limiting over UDP (the `rate_limit` section), in the manner of NSD and Knot.
public struct RateLimitConfiguration: Sendable, Equatable {
    /// Answers per second per source prefix; 0 turns rate limiting off (the default).
    public var responsesPerSecond: Int
    /// Budgets for error answers (REFUSED, FORMERR, SERVFAIL, NOTIMP) and for NXDOMAIN.
    public var errorsPerSecond: Int
    public var nxdomainsPerSecond: Int
    /// Every `slip`-th limited answer is sent truncated (TC) so real clients retry over TCP;
    /// 0 never slips, 1 slips every one.
    public var slip: Int
    /// Source prefix lengths the buckets are kept per.
    public var ipv4Prefix: Int
    public var ipv6Prefix: Int
    /// Sources never limited.
    public var exempt: [AddressPrefix]

    public init(responsesPerSecond: Int = 0, errorsPerSecond: Int? = nil, nxdomainsPerSecond: Int? = nil, slip: Int = 2,
                ipv4Prefix: Int = 24, ipv6Prefix: Int = 56, exempt: [AddressPrefix] = []) {
        self.responsesPerSecond = responsesPerSecond
        self.errorsPerSecond = errorsPerSecond ?? responsesPerSecond
        self.nxdomainsPerSecond = nxdomainsPerSecond ?? responsesPerSecond
        self.slip = slip; self.ipv4Prefix = ipv4Prefix; self.ipv6Prefix = ipv6Prefix; self.exempt = exempt
    }

}

/// Log verbosity, the swift-log levels by name.
public enum LogLevel: String, Sendable, Equatable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// Logging.
public struct LoggingConfiguration: Sendable, Equatable {
    /// Default `info`.
    public var level: LogLevel
    /// Log one line per query. Default off.
    public var queryLog: Bool

    public init(level: LogLevel = .info, queryLog: Bool = false) { self.level = level; self.queryLog = queryLog }
}

/// The HTTP admin API and metrics endpoint.
public struct AdminConfiguration: Sendable, Equatable {
    /// Default 127.0.0.1:8053.
    public var listen: ListenAddress
    /// Bearer token required on the API; mandatory when `listen` is not loopback.
    public var token: String?

    public init(listen: ListenAddress = ListenAddress(family: .ipv4, address: [127, 0, 0, 1], port: 8053),
                token: String? = nil) {
        self.listen = listen; self.token = token
    }
}

/// The `anycast` section: how `tack announce` checks the local server and drives BIRD, and how
/// long `tack serve` drains before it stops.
public struct AnycastConfiguration: Sendable, Equatable {
    /// Where the announcer sends its test queries (default: every `listen` address).
    public var check: [ListenAddress]
    /// The name asked (SOA); default: the first zone's apex.
    public var query: Name
    /// Time between checks, and how long one may take.
    public var interval: Duration
    public var timeout: Duration
    /// Consecutive passes to announce, failures to withdraw.
    public var rise: Int
    public var fall: Int
    /// BIRD's control socket and the `birdc` program.
    public var birdSocket: String
    public var birdc: String
    /// The BIRD protocols whose routes carry the anycast prefixes (enabled to announce).
    public var protocols: [String]
    /// While this file exists the announcer withdraws (a drain without stopping the server).
    public var drainFile: String?
    /// SIGTERM or `tack ctl drain`: withdraw, wait this long for traffic to move, then stop.
    public var drainPeriod: Duration

    public init(check: [ListenAddress], query: Name, interval: Duration = .milliseconds(200), timeout: Duration = .milliseconds(200),
                rise: Int = 3, fall: Int = 2, birdSocket: String = "/run/bird/bird.ctl", birdc: String = "/usr/sbin/birdc",
                protocols: [String] = ["anycast4", "anycast6"], drainFile: String? = nil, drainPeriod: Duration = .seconds(2)) {
        self.check = check; self.query = query; self.interval = interval; self.timeout = timeout; self.rise = rise
        self.fall = fall; self.birdSocket = birdSocket; self.birdc = birdc; self.protocols = protocols
        self.drainFile = drainFile; self.drainPeriod = drainPeriod
    }
}

/// Bounds the configuration enforces, with the reason for each.
public enum ConfigLimits {
    /// The DNS Flag Day 2020 EDNS size (RFC 9715 3).
    public static let defaultUDPPayload = 1232
    /// Smallest UDP payload size: the classic DNS limit (RFC 1035 4.2.1).
    public static let minUDPPayload = 512
    /// Largest UDP payload size accepted: above this, fragmentation makes answers unreliable
    /// (RFC 9715 3).
    public static let maxUDPPayload = 4096
    /// Longest identity text: one TXT character-string (RFC 1035 3.3).
    public static let maxIdentity = 255
    /// Longest TCP idle timeout: the edns-tcp-keepalive field holds 6553.5 s (RFC 7828 3.1).
    public static let maxTCPIdleTimeout = Duration.milliseconds(6_553_500)
    /// Most TCP connections: past this, file descriptors run out before the limit means anything.
    public static let maxTCPConnections = 1_000_000
}
