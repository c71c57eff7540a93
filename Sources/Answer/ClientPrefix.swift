import DNSWire

/// An address prefix such as 192.0.2.0/24 or 2001:db8::/32, matched against client addresses
/// without allocating: rate-limit exemptions and zone-transfer ACLs.
public struct ClientPrefix: Sendable, Hashable, CustomStringConvertible {
    let family: ClientAddress.Family
    let high: UInt64
    let low: UInt64
    /// The prefix length in bits (0...32 for IPv4, 0...128 for IPv6).
    public let length: Int

    /// A prefix from 4 or 16 address octets and a length; nil for another octet count or a
    /// length past the address. Bits past the length are ignored.
    public init?(address: [UInt8], length: Int) {
        guard let a = ClientAddress(bytes: address), length >= 0,
              length <= (a.family == .ipv4 ? 32 : 128) else { return nil }
        let (h, l) = a.masked(to: length)
        family = a.family; high = h; low = l; self.length = length
    }

    /// Whether `client` lies inside the prefix.
    public func contains(_ client: ClientAddress) -> Bool {
        guard client.family == family else { return false }
        let (h, l) = client.masked(to: length)
        return h == high && l == low
    }

    public var description: String {
        "\(ClientAddress(family: family, high: high, low: low))/\(length)"
    }
}

extension ClientAddress {
    /// The address with every bit past `prefix` cleared, as (high, low) halves.
    func masked(to prefix: Int) -> (UInt64, UInt64) {
        if family == .ipv4 {
            let p = min(max(prefix, 0), 32)
            return (p == 0 ? 0 : high & (UInt64(0xFFFF_FFFF) << (32 - p)) & 0xFFFF_FFFF, 0)
        }
        let p = min(max(prefix, 0), 128)
        let h = p >= 64 ? high : (p == 0 ? 0 : high & (UInt64.max << (64 - p)))
        let l = p <= 64 ? 0 : (p == 128 ? low : low & (UInt64.max << (128 - p)))
        return (h, l)
    }
}
