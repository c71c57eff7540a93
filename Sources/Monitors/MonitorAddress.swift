import DNSWire
import NIOCore

/// An IP literal and port checked by a monitor (which may differ from the answered address).
public struct MonitorAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IP literal as given ("192.0.2.1", "2001:db8::1").
    public let host: String
    /// The port.
    public let port: Int
    /// True for IPv6.
    public let isIPv6: Bool
    /// The socket address, resolved once at load.
    public let socketAddress: SocketAddress

    /// Validates an IPv4 or IPv6 literal (no names: monitors never resolve) and a port.
    public init(host: String, port: Int) throws(MonitorError) {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard (1...65535).contains(port) else {
            throw MonitorError(.invalidAddress, "port \(port) of \(host) is out of range; use 1 to 65535")
        }
        let v6: Bool
        if parseIPv4(bare) != nil {
            v6 = false
        } else if parseIPv6(bare) != nil {
            v6 = true
        } else {
            throw MonitorError(.invalidAddress, "'\(host)' is not an IPv4 or IPv6 address; monitors check literal addresses (write the address, not a host name)")
        }
        do {
            socketAddress = try SocketAddress(ipAddress: bare, port: port)
        } catch {
            throw MonitorError(.invalidAddress, "'\(host)' is not a usable socket address: \(error)")
        }
        self.host = bare
        self.port = port
        self.isIPv6 = v6
    }

    /// The host as it appears in a URL authority (IPv6 in brackets).
    public var urlHost: String { isIPv6 ? "[\(host)]" : host }

    /// "192.0.2.1:80" or "[2001:db8::1]:80".
    public var description: String { "\(urlHost):\(port)" }
}

extension Duration {
    /// The duration as NIO's TimeAmount.
    var timeAmount: TimeAmount {
        .nanoseconds(inNanoseconds)
    }

    /// "200 ms" / "5 s" for reasons.
    var shortDescription: String {
        let ms = inMilliseconds
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
