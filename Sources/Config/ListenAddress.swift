import DNSWire

/// An IP address and port to listen on, written `address:port` with IPv6 in brackets
/// (`127.0.0.1:5353`, `[::1]:5353`). Addresses only: no host names, so start-up never waits
/// on DNS.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// IP version of the address.
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    /// IPv4 or IPv6.
    public let family: Family
    /// The address octets in network order (4 or 16).
    public let address: [UInt8]
    /// The port; 0 asks the system for a free one (for tests).
    public let port: UInt16

    /// Parses `address:port` / `[address]:port`; nil when the text is not of that form.
    public init?(_ text: String) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = ListenAddress.port(rest.dropFirst()),
                  let bytes = parseIPv6(host) else { return nil }
            self.init(family: .ipv6, address: bytes, port: port)
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            let host = String(text[..<colon])
            guard let port = ListenAddress.port(text[text.index(after: colon)...]),
                  let bytes = parseIPv4(host), ListenAddress.isDottedQuad(host) else { return nil }
            self.init(family: .ipv4, address: bytes, port: port)
        }
    }

    public init(family: Family, address: [UInt8], port: UInt16) {
        self.family = family
        self.address = address
        self.port = port
    }

    /// A decimal port 0...65535, digits only.
    static func port(_ s: Substring) -> UInt16? {
        guard !s.isEmpty, s.count <= 5, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt16(s)
    }

    /// inet_pton accepts only four decimal parts for AF_INET, but say so explicitly.
    static func isDottedQuad(_ s: String) -> Bool { s.split(separator: ".", omittingEmptySubsequences: false).count == 4 }

    /// The address as text (RFC 5952 for IPv6), without the port.
    public var host: String { family == .ipv4 ? formatIPv4(address) : formatIPv6(address) }

    /// True for 127.0.0.0/8 and ::1.
    public var isLoopback: Bool {
        family == .ipv4 ? address[0] == 127 : address == Array(repeating: 0, count: 15) + [1]
    }

    /// `address:port`, IPv6 in brackets: the form the configuration uses.
    public var description: String { family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)" }
}
