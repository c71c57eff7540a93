/// A SvcParamKey of SVCB and HTTPS records (RFC 9460 14.3.2); an open code set.
public struct SvcParamKey: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ v: UInt16) { self.rawValue = v }

    /// Keys the client must understand to use the record (RFC 9460 8).
    public static let mandatory = SvcParamKey(0)
    /// Application protocol identifiers (RFC 9460 7.1.1).
    public static let alpn = SvcParamKey(1)
    /// The scheme's default protocol is not supported (RFC 9460 7.1.1).
    public static let noDefaultALPN = SvcParamKey(2)
    /// Alternative port (RFC 9460 7.2).
    public static let port = SvcParamKey(3)
    /// IPv4 address hints (RFC 9460 7.3).
    public static let ipv4hint = SvcParamKey(4)
    /// Encrypted ClientHello configuration list (RFC 9460 14.3.2, RFC 9849).
    public static let ech = SvcParamKey(5)
    /// IPv6 address hints (RFC 9460 7.3).
    public static let ipv6hint = SvcParamKey(6)
    /// DNS over HTTPS URI template (RFC 9461 5).
    public static let dohpath = SvcParamKey(7)
    /// Oblivious HTTP gateway (RFC 9540 4).
    public static let ohttp = SvcParamKey(8)

    static let names: [UInt16: String] = [
        0: "mandatory", 1: "alpn", 2: "no-default-alpn", 3: "port", 4: "ipv4hint", 5: "ech",
        6: "ipv6hint", 7: "dohpath", 8: "ohttp",
    ]
    static let byName: [String: UInt16] = {
        var d: [String: UInt16] = [:]
        for (k, v) in names { d[v] = k }
        return d
    }()

    /// Parses a key name or the generic `keyNNNNN` form (RFC 9460 2.1).
    public init?(name: some StringProtocol) {
        let low = name.lowercased()
        if let v = SvcParamKey.byName[low] { self.init(v); return }
        let digits = low.utf8.dropFirst(3)
        if low.hasPrefix("key"), !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
           let v = UInt16(low.dropFirst(3)) {
            self.init(v); return
        }
        return nil
    }

    /// The key name, or `keyNNNNN` for keys without one (RFC 9460 2.1).
    public var description: String { SvcParamKey.names[rawValue] ?? "key\(rawValue)" }

    public static func < (a: SvcParamKey, b: SvcParamKey) -> Bool { a.rawValue < b.rawValue }
}

/// One SvcParam: a key and its value in wire form (RFC 9460 2.2).
public struct SvcParam: Sendable, Hashable {
    public var key: SvcParamKey
    public var value: [UInt8]
    public init(_ key: SvcParamKey, _ value: [UInt8]) { self.key = key; self.value = value }
}
