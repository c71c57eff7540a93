import NIOCore

/// One listener from the configuration: an IP literal and a port, served on both UDP and TCP.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The DNS port (RFC 1035 4.2), used when a listener names no port.
    public static let defaultPort = 53

    /// The IP literal, without brackets.
    public var host: String
    /// The port; 0 asks the kernel for an ephemeral port (reported back by `DNSServer.start()`).
    public var port: Int

    /// A listener from an IP literal and a port.
    public init(host: String, port: Int) throws(ServerError) {
        guard (0...65535).contains(port) else {
            throw ServerError(.invalidListenAddress, "\(host):\(port)",
                              "port \(port) is out of range; use 0...65535 (0 for an ephemeral port)")
        }
        do {
            _ = try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw ServerError(.invalidListenAddress, host,
                              "not an IPv4 or IPv6 literal; host names are not resolved, write e.g. 127.0.0.1 or ::1")
        }
        self.host = host
        self.port = port
    }

    /// Parses `192.0.2.1:53`, `[2001:db8::1]:53`, `192.0.2.1` or `[::1]` (the last two on port 53).
    public init(parsing text: String) throws(ServerError) {
        var host = Substring(text)
        var port = ListenAddress.defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw ServerError(.invalidListenAddress, text, "missing ']' after the IPv6 address; write [::1]:53")
            }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let p = Int(rest.dropFirst()) else {
                    throw ServerError(.invalidListenAddress, text, "expected ':PORT' after ']'; write [::1]:53")
                }
                port = p
            }
        } else if let colon = host.lastIndex(of: ":") {
            if host[..<colon].contains(":") {
                throw ServerError(.invalidListenAddress, text,
                                  "an IPv6 address with a port must be in brackets; write [\(text)] or [ADDRESS]:PORT")
            }
            guard let p = Int(host[host.index(after: colon)...]) else {
                throw ServerError(.invalidListenAddress, text, "the port is not a number; write ADDRESS:PORT, e.g. 127.0.0.1:53")
            }
            port = p
            host = host[..<colon]
        }
        guard !host.isEmpty else {
            throw ServerError(.invalidListenAddress, text, "no address; write e.g. 0.0.0.0:53 or [::]:53")
        }
        try self.init(host: String(host), port: port)
    }

    /// The socket address to bind, on `port` (the configured one, or the one the kernel chose).
    func socketAddress(port: Int) throws -> SocketAddress {
        try SocketAddress(ipAddress: host, port: port)
    }

    /// `ADDRESS:PORT`, with brackets around IPv6 addresses.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
