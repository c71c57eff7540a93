import NIOCore
import DNSWire

/// How `DNSServer` listens and what it tolerates; every limit has a default.
public struct ServerOptions: Sendable {
    /// Default TCP idle timeout: RFC 7766 6.2.3 recommends seconds, not minutes.
    public static let defaultTCPIdleTimeout: Duration = .seconds(10)
    /// Default cap on simultaneous TCP connections across all listeners.
    public static let defaultMaxTCPConnections = 1024
    /// Per client address: enough for a resolver farm behind one NAT address, far below the total.
    public static let defaultMaxTCPConnectionsPerSource = 64
    /// Largest DNS message on TCP: the 2-octet length prefix (RFC 1035 4.2.2, RFC 7766 8).
    public static let maxTCPMessage = 65535
    /// Default receive slot per datagram. Queries are small; a larger datagram is cut by the
    /// kernel and the protocol layer sees a malformed message.
    public static let defaultMaxUDPQuerySize = 4096
    /// Default number of datagrams read per `recvmmsg` call.
    public static let defaultUDPBatchSize = 32

    /// The listeners; each gets UDP sockets and one TCP socket on the same port.
    public var listeners: [ListenAddress]
    /// UDP sockets per listener, bound with SO_REUSEPORT, each served by a thread of its own.
    public var udpSocketsPerListener: Int
    /// Datagrams read per `recvmmsg` call (and replies sent per `sendmmsg`).
    public var udpBatchSize: Int
    /// Receive slot size per datagram.
    public var maxUDPQuerySize: Int
    /// A TCP connection with no complete query for this long is closed (RFC 7766 6.2.3).
    public var tcpIdleTimeout: Duration
    /// Connections beyond this many are closed as soon as they are accepted (RFC 7766 6.2.2).
    public var maxTCPConnections: Int
    /// Connections from one client address beyond this many are closed the same way, so one
    /// client (a slowloris) cannot take every slot.
    public var maxTCPConnectionsPerSource: Int
    /// Pending-connection queue length for the TCP listeners.
    public var tcpBacklog: Int32
    /// How long shutdown waits for open TCP connections to finish their queries.
    public var shutdownGracePeriod: Duration
    /// One log line per query (client, qname, qtype, rcode, size, transport) at info level.
    public var queryLog: Bool

    /// Options with defaults for everything but the listeners.
    public init(listeners: [ListenAddress],
                udpSocketsPerListener: Int = System.coreCount,
                udpBatchSize: Int = ServerOptions.defaultUDPBatchSize,
                maxUDPQuerySize: Int = ServerOptions.defaultMaxUDPQuerySize,
                tcpIdleTimeout: Duration = ServerOptions.defaultTCPIdleTimeout,
                maxTCPConnections: Int = ServerOptions.defaultMaxTCPConnections,
                maxTCPConnectionsPerSource: Int = ServerOptions.defaultMaxTCPConnectionsPerSource,
                tcpBacklog: Int32 = 256,
                shutdownGracePeriod: Duration = .seconds(5),
                queryLog: Bool = false) {
        self.listeners = listeners
        self.udpSocketsPerListener = udpSocketsPerListener
        self.udpBatchSize = udpBatchSize
        self.maxUDPQuerySize = maxUDPQuerySize
        self.tcpIdleTimeout = tcpIdleTimeout
        self.maxTCPConnections = maxTCPConnections
        self.maxTCPConnectionsPerSource = maxTCPConnectionsPerSource
        self.tcpBacklog = tcpBacklog
        self.shutdownGracePeriod = shutdownGracePeriod
        self.queryLog = queryLog
    }

    /// Checks the ranges; the error names the option and the accepted range.
    public func validate() throws(ServerError) {
        if listeners.isEmpty {
            throw ServerError(.invalidOption, "listeners", "no listener given; add at least one ADDRESS:PORT")
        }
        if udpSocketsPerListener < 1 || udpSocketsPerListener > 256 {
            throw ServerError(.invalidOption, "udpSocketsPerListener", "\(udpSocketsPerListener) is out of range 1...256")
        }
        if udpBatchSize < 1 || udpBatchSize > 1024 {
            throw ServerError(.invalidOption, "udpBatchSize", "\(udpBatchSize) is out of range 1...1024")
        }
        if maxUDPQuerySize < 512 || maxUDPQuerySize > 65535 {
            throw ServerError(.invalidOption, "maxUDPQuerySize", "\(maxUDPQuerySize) is out of range 512...65535")
        }
        if tcpIdleTimeout <= .zero {
            throw ServerError(.invalidOption, "tcpIdleTimeout", "must be positive, e.g. 10s")
        }
        if maxTCPConnections < 1 {
            throw ServerError(.invalidOption, "maxTCPConnections", "\(maxTCPConnections) must be at least 1")
        }
        if tcpBacklog < 1 {
            throw ServerError(.invalidOption, "tcpBacklog", "\(tcpBacklog) must be at least 1")
        }
        if shutdownGracePeriod < .zero {
            throw ServerError(.invalidOption, "shutdownGracePeriod", "must not be negative")
        }
    }
}

extension TimeAmount {
    /// The same span in NIO's nanosecond representation (saturating).
    init(_ duration: Duration) {
        self = .nanoseconds(duration.inNanoseconds)
    }
}
