/// The transport a query arrived on: it sets the reply size limit (RFC 1035 4.2) and whether
/// edns-tcp-keepalive applies (RFC 7828 3.2).
public enum Transport: Sendable, Hashable {
    case udp
    case tcp
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
    let high: UInt64
    /// Octets 8..<16 (IPv6); zero for IPv4.
    let low: UInt64

    /// An IPv4 address from its 4 octets in network order.
    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.init(family: .ipv4, high: UInt64(a) << 24 | UInt64(b) << 16 | UInt64(c) << 8 | UInt64(d), low: 0)
    }

    /// An IPv6 address from its two halves (octets 0..<8 and 8..<16 as big-endian integers).
    public init(ipv6High high: UInt64, low: UInt64) {
        self.init(family: .ipv6, high: high, low: low)
    }

    init(family: Family, high: UInt64, low: UInt64) {
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
    func feed(_ sink: (UInt8) -> Void) {
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

/// What the transport knows about one query besides its bytes.
public struct QueryContext: Sendable, Hashable {
    /// UDP or TCP.
    public var transport: Transport
    /// The source address, for server cookies (RFC 9018 4.4).
    public var client: ClientAddress
    /// When the query was received: Unix time in seconds, modulo 2^32 (the cookie Timestamp,
    /// RFC 9018 4.3, compared with serial-number arithmetic, RFC 1982).
    public var receiveTime: UInt32

    /// The context of one received query.
    public init(transport: Transport, client: ClientAddress, receiveTime: UInt32) {
        self.transport = transport
        self.client = client
        self.receiveTime = receiveTime
    }
}
