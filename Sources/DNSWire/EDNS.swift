/// EDNS(0) option codes (IANA "DNS EDNS0 Option Codes"); an open code set.
public struct EDNSOptionCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ v: UInt16) { self.rawValue = v }

    /// NSID (RFC 5001).
    public static let nsid = EDNSOptionCode(3)
    /// EDNS Client Subnet (RFC 7871).
    public static let clientSubnet = EDNSOptionCode(8)
    /// COOKIE (RFC 7873).
    public static let cookie = EDNSOptionCode(10)
    /// edns-tcp-keepalive (RFC 7828).
    public static let tcpKeepalive = EDNSOptionCode(11)
    /// Padding (RFC 7830).
    public static let padding = EDNSOptionCode(12)
}

/// One EDNS option, decoded where Tack knows the code, kept as bytes otherwise.
public enum EDNSOption: Sendable, Hashable {
    /// NSID (RFC 5001): empty in a query (a request), the server's identifier in a response.
    case nsid([UInt8])
    /// COOKIE (RFC 7873 4): an 8-octet client cookie and an optional 8..32-octet server cookie.
    case cookie(client: [UInt8], server: [UInt8])
    /// EDNS Client Subnet (RFC 7871 6); `address` holds only the octets the prefix covers.
    case clientSubnet(family: UInt16, sourcePrefix: UInt8, scopePrefix: UInt8, address: [UInt8])
    /// edns-tcp-keepalive (RFC 7828 3.1): timeout in units of 100 ms; absent in queries.
    case tcpKeepalive(UInt16?)
    /// Padding (RFC 7830): `count` octets (sent as zeros).
    case padding(Int)
    /// Any other option, kept as received.
    case unknown(code: UInt16, data: [UInt8])

    public var code: EDNSOptionCode {
        switch self {
        case .nsid: .nsid
        case .cookie: .cookie
        case .clientSubnet: .clientSubnet
        case .tcpKeepalive: .tcpKeepalive
        case .padding: .padding
        case .unknown(let c, _): EDNSOptionCode(c)
        }
    }

    /// Decodes one option's data. A known option with an invalid length is a FORMERR-worthy
    /// error (RFC 7873 5.2.2 for cookies, RFC 7871 7.1.2 for ECS).
    static func decode(code: UInt16, data: [UInt8], at offset: Int) throws(WireError) -> EDNSOption {
        func bad(_ why: String) -> WireError { WireError(.badRData(type: RRType.opt.rawValue, reason: why), at: offset) }
        switch EDNSOptionCode(code) {
        case .nsid:
            return .nsid(data)
        case .cookie:
            guard data.count == 8 || (data.count >= 16 && data.count <= 40) else {
                throw bad("COOKIE option of \(data.count) octets (must be 8, or 16 to 40)")
            }
            return .cookie(client: Array(data[0..<8]), server: Array(data[8...]))
        case .clientSubnet:
            guard data.count >= 4 else { throw bad("ECS option shorter than 4 octets") }
            let family = UInt16(data[0]) << 8 | UInt16(data[1])
            let source = data[2], scope = data[3]
            let addr = Array(data[4...])
            let maxBits: Int
            switch family {
            case 1: maxBits = 32
            case 2: maxBits = 128
            default: throw bad("ECS family \(family) is not 1 (IPv4) or 2 (IPv6)")
            }
            guard Int(source) <= maxBits, Int(scope) <= maxBits else { throw bad("ECS prefix longer than the address") }
            guard addr.count == (Int(source) + 7) / 8 else { throw bad("ECS address has \(addr.count) octets for a /\(source)") }
            return .clientSubnet(family: family, sourcePrefix: source, scopePrefix: scope, address: addr)
        case .tcpKeepalive:
            switch data.count {
            case 0: return .tcpKeepalive(nil)
            case 2: return .tcpKeepalive(UInt16(data[0]) << 8 | UInt16(data[1]))
            default: throw bad("edns-tcp-keepalive option of \(data.count) octets (must be 0 or 2)")
            }
        case .padding:
            return .padding(data.count)
        default:
            return .unknown(code: code, data: data)
        }
    }

    func encodeData(to w: inout WireWriter) {
        switch self {
        case .nsid(let d): w.bytes(d)
        case .cookie(let c, let s): w.bytes(c); w.bytes(s)
        case .clientSubnet(let f, let sp, let scp, let a): w.u16(f); w.u8(sp); w.u8(scp); w.bytes(a)
        case .tcpKeepalive(let t): if let t { w.u16(t) }
        case .padding(let n): w.bytes(repeatElement(0, count: n))
        case .unknown(_, let d): w.bytes(d)
        }
    }

    /// Size of the option on the wire, code and length included.
    var wireSize: Int {
        4 + {
            switch self {
            case .nsid(let d): d.count
            case .cookie(let c, let s): c.count + s.count
            case .clientSubnet(_, _, _, let a): 4 + a.count
            case .tcpKeepalive(let t): t == nil ? 0 : 2
            case .padding(let n): n
            case .unknown(_, let d): d.count
            }
        }()
    }
}

/// The OPT pseudo-record (RFC 6891 6.1): UDP size, extended rcode, version, flags, options.
public struct EDNS: Sendable, Hashable {
    /// Requestor's UDP payload size (RFC 6891 6.2.3); values under 512 are treated as 512.
    public var udpSize: UInt16
    /// Upper 8 bits of the 12-bit rcode.
    public var extendedRCode: UInt8
    public var version: UInt8
    /// DO: DNSSEC answer OK (RFC 3225).
    public var dnssecOK: Bool
    /// The other 15 flag bits (must be zero today; kept as received).
    public var otherFlags: UInt16
    public var options: [EDNSOption]

    public init(udpSize: UInt16 = 1232, extendedRCode: UInt8 = 0, version: UInt8 = 0, dnssecOK: Bool = false,
                otherFlags: UInt16 = 0, options: [EDNSOption] = []) {
        self.udpSize = udpSize; self.extendedRCode = extendedRCode; self.version = version
        self.dnssecOK = dnssecOK; self.otherFlags = otherFlags; self.options = options
    }

    /// Decodes OPT from the fields of its record; `r` is at the start of the RDATA.
    init(udpSize: UInt16, ttl: UInt32, from r: inout WireReader, length: Int) throws(WireError) {
        self.udpSize = udpSize
        extendedRCode = UInt8(ttl >> 24)
        version = UInt8((ttl >> 16) & 0xFF)
        dnssecOK = ttl & 0x8000 != 0
        otherFlags = UInt16(ttl & 0x7FFF)
        options = []
        let end = r.offset + length
        let saved = r.end
        r.end = end
        defer { r.end = saved }
        while !r.isAtEnd {
            let at = r.offset
            do {
                let code = try r.u16()
                let len = Int(try r.u16())
                let data = try r.bytes(len)
                options.append(try EDNSOption.decode(code: code, data: data, at: at))
            } catch let e where e.code == .truncated {
                throw WireError(.rdataOverrun(type: RRType.opt.rawValue), at: e.offset)
            }
        }
    }

    /// The TTL field of the OPT record.
    var ttlField: UInt32 {
        UInt32(extendedRCode) << 24 | UInt32(version) << 16 | (dnssecOK ? 0x8000 : 0) | UInt32(otherFlags & 0x7FFF)
    }

    /// Size of the OPT record on the wire.
    public var wireSize: Int { 11 + options.reduce(0) { $0 + $1.wireSize } }

    public func encode(to w: inout WireWriter) {
        w.u8(0)  // root owner
        w.u16(RRType.opt.rawValue)
        w.u16(udpSize)
        w.u32(ttlField)
        let lenAt = w.count
        w.u16(0)
        for o in options {
            w.u16(o.code.rawValue)
            let l = w.count
            w.u16(0)
            o.encodeData(to: &w)
            w.set16(UInt16(w.count - l - 2), at: l)
        }
        w.set16(UInt16(w.count - lenAt - 2), at: lenAt)
    }

    /// The first option with `code`, if any.
    public func option(_ code: EDNSOptionCode) -> EDNSOption? { options.first { $0.code == code } }
}
