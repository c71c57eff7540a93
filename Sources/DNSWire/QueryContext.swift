#if canImport(Glibc)
import Glibc
#endif

/// The transport a query arrived on: it sets the reply size limit (RFC 1035 4.2) and whether
/// edns-tcp-keepalive applies (RFC 7828 3.2). One type from the socket to the reply.
public enum Transport: Sendable, Hashable, CustomStringConvertible {
    /// A UDP datagram: the answer must fit the requestor's UDP payload size (RFC 1035 4.2.1, RFC 6891 6.2.5).
    case udp
    /// A TCP stream with 2-byte length framing: answers up to 65535 octets (RFC 1035 4.2.2, RFC 7766 8).
    case tcp

    public var description: String {
        switch self {
        case .udp: "udp"
        case .tcp: "tcp"
        }
    }
}

/// A client's IP address held inline (no allocation per query), for binding server cookies to
/// it (RFC 9018 4.4). An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is stored as IPv4, so a
/// dual-stack socket and an IPv4 socket produce the same cookie.
public struct ClientAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family, which fixes how many octets go into the cookie hash.
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    /// IPv4 or IPv6.
    public let family: Family
    /// Octets 0..<8 (IPv6) or the 4 IPv4 octets in the low 32 bits, big-endian order.
    package let high: UInt64
    /// Octets 8..<16 (IPv6); zero for IPv4.
    package let low: UInt64

    /// An IPv4 address from its 4 octets in network order.
    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.init(family: .ipv4, high: UInt64(a) << 24 | UInt64(b) << 16 | UInt64(c) << 8 | UInt64(d), low: 0)
    }

    /// An IPv6 address from its two halves (octets 0..<8 and 8..<16 as big-endian integers).
    public init(ipv6High high: UInt64, low: UInt64) {
        self.init(family: .ipv6, high: high, low: low)
    }

    package init(family: Family, high: UInt64, low: UInt64) {
        self.family = family; self.high = high; self.low = low
    }

    /// An address from 4 (IPv4) or 16 (IPv6) octets in network order; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        let b = Array(bytes)
        switch b.count {
        case 4:
            self.init(ipv4: b[0], b[1], b[2], b[3])
        case 16:
            var hi: UInt64 = 0, lo: UInt64 = 0
            for i in 0..<8 { hi = hi << 8 | UInt64(b[i]) }
            for i in 8..<16 { lo = lo << 8 | UInt64(b[i]) }
            if hi == 0 && lo >> 32 == 0xFFFF {
                self.init(ipv4: b[12], b[13], b[14], b[15])
            } else {
                self.init(family: .ipv6, high: hi, low: lo)
            }
        default:
            return nil
        }
    }

    /// The address octets in network order (4 or 16).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        feed { out.append($0) }
        return out
    }

    /// Hands each octet, in network order, to `sink` (used to hash without allocating).
    @inline(__always)
    package func feed(_ sink: (UInt8) -> Void) {
        switch family {
        case .ipv4:
            for s in stride(from: 24, through: 0, by: -8) { sink(UInt8(truncatingIfNeeded: high >> UInt64(s))) }
        case .ipv6:
            for s in stride(from: 56, through: 0, by: -8) { sink(UInt8(truncatingIfNeeded: high >> UInt64(s))) }
            for s in stride(from: 56, through: 0, by: -8) { sink(UInt8(truncatingIfNeeded: low >> UInt64(s))) }
        }
    }

    public var description: String {
        var parts: [String] = []
        switch family {
        case .ipv4:
            feed { parts.append(String($0)) }
            return parts.joined(separator: ".")
        case .ipv6:
            let b = bytes
            for i in stride(from: 0, to: 16, by: 2) {
                parts.append(String(UInt16(b[i]) << 8 | UInt16(b[i + 1]), radix: 16))
            }
            return parts.joined(separator: ":")
        }
    }
}

/// What the transport knows about one query besides its bytes: the one context type from the
/// socket through the protocol layer, rate limiting, metrics and the query log.
public struct QueryContext: Sendable, Hashable {
    /// UDP or TCP.
    public var transport: Transport
    /// The source address, for server cookies (RFC 9018 4.4) and rate limiting.
    public var client: ClientAddress
    /// The source port (for the query log).
    public var clientPort: UInt16
    /// When the query was received: Unix time in seconds, modulo 2^32 (the cookie Timestamp,
    /// RFC 9018 4.3, compared with serial-number arithmetic, RFC 1982).
    public var receiveTime: UInt32

    /// The context of one received query.
    public init(transport: Transport, client: ClientAddress, clientPort: UInt16 = 0, receiveTime: UInt32) {
        self.transport = transport
        self.client = client
        self.clientPort = clientPort
        self.receiveTime = receiveTime
    }

    /// The context of a query from `peer` (a `sockaddr_in` or `sockaddr_in6`) received now;
    /// read straight from the socket address, without allocating.
    public init(transport: Transport, peer: UnsafePointer<sockaddr>) {
        let (address, port) = ClientAddress.read(peer)
        self.init(transport: transport, client: address, clientPort: port,
                  receiveTime: UInt32(truncatingIfNeeded: time(nil)))
    }

    /// `ADDRESS#PORT`, as the query log and dig print a peer.
    public var peerDescription: String { "\(client)#\(clientPort)" }
}

extension ClientAddress {
    /// The address and port of a `sockaddr_in` or `sockaddr_in6` (0.0.0.0 port 0 for another
    /// family, which no DNS socket delivers).
    public static func read(_ sa: UnsafePointer<sockaddr>) -> (ClientAddress, UInt16) {
        let raw = UnsafeRawPointer(sa)
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            let x = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!, as: UInt32.self))
            let port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_port)!, as: UInt16.self))
            return (ClientAddress(family: .ipv4, high: UInt64(x), low: 0), port)
        case AF_INET6:
            let at = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
            let port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<sockaddr_in6>.offset(of: \.sin6_port)!, as: UInt16.self))
            return (ClientAddress(ipv6High: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
                                  low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))), port)
        default:
            return (ClientAddress(ipv4: 0, 0, 0, 0), 0)
        }
    }
}

/// Why a query gets no reply at all.
public enum DropReason: Sendable, Hashable, CustomStringConvertible {
    /// Shorter than the 12-octet header: there is no ID to answer to (RFC 1035 4.1.1).
    case tooShort
    /// QR is set: a response must never be answered, or two servers could loop (RFC 1035 4.1.1).
    case response
    /// Withheld by response rate limiting.
    case rateLimited

    public var description: String {
        switch self {
        case .tooShort: "shorter than a DNS header"
        case .response: "QR set (a response, not a query)"
        case .rateLimited: "withheld by rate limiting"
        }
    }
}

/// What became of one query: the one outcome type of the protocol layer, the query handler and
/// the transports. A reply's bytes are in the `WireWriter` the caller passed in.
public enum QueryOutcome: Sendable, Hashable {
    /// A reply was written; its full RCODE (RFC 6891 6.1.3) and whether TC was set, for logs
    /// and metrics.
    case reply(rcode: RCode, truncated: Bool)
    /// A zone transfer (TCP only): send these messages in order; the writer is empty.
    case transfer([[UInt8]])
    /// Nothing was written; send nothing.
    case drop(DropReason)
}
