/// A resource record type (RFC 1035 3.2.2 and the IANA registry); an open code set.
public struct RRType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ v: UInt16) { self.rawValue = v }

    public static let a = RRType(1)
    public static let ns = RRType(2)
    public static let md = RRType(3)
    public static let mf = RRType(4)
    public static let cname = RRType(5)
    public static let soa = RRType(6)
    public static let mb = RRType(7)
    public static let mg = RRType(8)
    public static let mr = RRType(9)
    public static let null = RRType(10)
    public static let wks = RRType(11)
    public static let ptr = RRType(12)
    public static let hinfo = RRType(13)
    public static let minfo = RRType(14)
    public static let mx = RRType(15)
    public static let txt = RRType(16)
    public static let rp = RRType(17)
    public static let afsdb = RRType(18)
    public static let x25 = RRType(19)
    public static let isdn = RRType(20)
    public static let rt = RRType(21)
    public static let nsap = RRType(22)
    public static let nsapPtr = RRType(23)
    public static let sig = RRType(24)
    public static let key = RRType(25)
    public static let px = RRType(26)
    public static let gpos = RRType(27)
    public static let aaaa = RRType(28)
    public static let loc = RRType(29)
    public static let nxt = RRType(30)
    public static let srv = RRType(33)
    public static let naptr = RRType(35)
    public static let kx = RRType(36)
    public static let cert = RRType(37)
    public static let a6 = RRType(38)
    public static let dname = RRType(39)
    public static let opt = RRType(41)
    public static let apl = RRType(42)
    public static let ds = RRType(43)
    public static let sshfp = RRType(44)
    public static let ipseckey = RRType(45)
    public static let rrsig = RRType(46)
    public static let nsec = RRType(47)
    public static let dnskey = RRType(48)
    public static let dhcid = RRType(49)
    public static let nsec3 = RRType(50)
    public static let nsec3param = RRType(51)
    public static let tlsa = RRType(52)
    public static let smimea = RRType(53)
    public static let hip = RRType(55)
    public static let cds = RRType(59)
    public static let cdnskey = RRType(60)
    public static let openpgpkey = RRType(61)
    public static let csync = RRType(62)
    public static let zonemd = RRType(63)
    public static let svcb = RRType(64)
    public static let https = RRType(65)
    public static let spf = RRType(99)
    public static let nid = RRType(104)
    public static let l32 = RRType(105)
    public static let l64 = RRType(106)
    public static let lp = RRType(107)
    public static let eui48 = RRType(108)
    public static let eui64 = RRType(109)
    public static let tkey = RRType(249)
    public static let tsig = RRType(250)
    public static let ixfr = RRType(251)
    public static let axfr = RRType(252)
    public static let mailb = RRType(253)
    public static let maila = RRType(254)
    public static let any = RRType(255)
    public static let uri = RRType(256)
    public static let caa = RRType(257)

    /// Mnemonics of the types Tack knows by name.
    static let mnemonics: [UInt16: String] = [
        1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
        10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP",
        18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP-PTR", 24: "SIG",
        25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 33: "SRV", 35: "NAPTR",
        36: "KX", 37: "CERT", 38: "A6", 39: "DNAME", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP",
        45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3",
        51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA", 55: "HIP", 59: "CDS", 60: "CDNSKEY",
        61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD", 64: "SVCB", 65: "HTTPS", 99: "SPF",
        104: "NID", 105: "L32", 106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64",
        249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA",
        255: "ANY", 256: "URI", 257: "CAA",
    ]
    static let byMnemonic: [MnemonicKey: UInt16] = {
        var d: [MnemonicKey: UInt16] = [:]
        for (k, v) in mnemonics { d[MnemonicKey(v)!] = k }
        return d
    }()

    /// Parses a mnemonic (ASCII, case-insensitive) or the generic `TYPEnnn` form (RFC 3597 5).
    /// Every record of a zone file comes through here (and through `RRClass(mnemonic:)`), so
    /// the text is folded into a packed key, not into an upper-cased String.
    public init?(mnemonic: String) {
        if let key = MnemonicKey(mnemonic), let v = RRType.byMnemonic[key] { self.init(v); return }
        guard let v = genericCode(mnemonic, prefix: "TYPE") else { return nil }
        self.init(v)
    }

    /// `init?(mnemonic:)` for a substring.
    public init?(mnemonic: Substring) { self.init(mnemonic: String(mnemonic)) }

    /// The mnemonic, or `TYPEnnn` for types without one (RFC 3597 5).
    public var description: String { RRType.mnemonics[rawValue] ?? "TYPE\(rawValue)" }

    /// Meta-types and query-only types (RFC 6895 3.1): never stored in a zone.
    public var isMetaOrQType: Bool { (rawValue >= 128 && rawValue <= 255) || rawValue == 41 }

    public static func < (a: RRType, b: RRType) -> Bool { a.rawValue < b.rawValue }
}

/// A DNS class (RFC 1035 3.2.4); an open code set.
public struct RRClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ v: UInt16) { self.rawValue = v }

    public static let `in` = RRClass(1)
    public static let cs = RRClass(2)
    public static let ch = RRClass(3)
    public static let hs = RRClass(4)
    public static let none = RRClass(254)
    public static let any = RRClass(255)

    /// Parses `IN`, `CH`, `HS`, `CS`, `NONE`, `ANY` (ASCII, case-insensitive) or the generic
    /// `CLASSnnn` (RFC 3597 5).
    public init?(mnemonic: String) {
        switch MnemonicKey(mnemonic) {
        case RRClass.keyIN: self = .in
        case RRClass.keyCS: self = .cs
        case RRClass.keyCH: self = .ch
        case RRClass.keyHS: self = .hs
        case RRClass.keyNONE: self = .none
        case RRClass.keyANY: self = .any
        default:
            guard let v = genericCode(mnemonic, prefix: "CLASS") else { return nil }
            self.init(v)
        }
    }

    /// `init?(mnemonic:)` for a substring.
    public init?(mnemonic: Substring) { self.init(mnemonic: String(mnemonic)) }

    private static let keyIN = MnemonicKey("IN")!, keyCS = MnemonicKey("CS")!, keyCH = MnemonicKey("CH")!
    private static let keyHS = MnemonicKey("HS")!, keyNONE = MnemonicKey("NONE")!, keyANY = MnemonicKey("ANY")!

    public var description: String {
        switch rawValue {
        case 1: "IN"
        case 2: "CS"
        case 3: "CH"
        case 4: "HS"
        case 254: "NONE"
        case 255: "ANY"
        default: "CLASS\(rawValue)"
        }
    }
}

/// Up to 15 ASCII octets, upper-cased and packed with their count: a type or class mnemonic
/// as a lookup key. Nil for longer or non-ASCII text, which names no mnemonic (Unicode case
/// mapping would let "ın", with a dotless i, pass for IN).
struct MnemonicKey: Hashable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    init?(_ text: String) {
        var n = 0
        for b in text.utf8 {
            guard n < 15, b < 0x80 else { return nil }
            let upper = UInt64(b &- 0x61 < 26 ? b - 0x20 : b)
            if n < 8 { low |= upper << (8 * n) } else { high |= upper << (8 * (n - 8)) }
            n += 1
        }
        high |= UInt64(n) << 56
    }
}

/// The number of the generic form `<prefix>nnn` (RFC 3597 5: `TYPE65280`, `CLASS32`): the
/// prefix in any case, then decimal digits only.
private func genericCode(_ text: String, prefix: StaticString) -> UInt16? {
    var bytes = text.utf8.makeIterator()
    for c in UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount) {
        guard let b = bytes.next(), (b &- 0x61 < 26 ? b - 0x20 : b) == c else { return nil }
    }
    var value: UInt32 = 0
    var digits = 0
    while let b = bytes.next() {
        guard b &- 0x30 < 10 else { return nil }
        value = value * 10 + UInt32(b - 0x30)
        guard value <= UInt32(UInt16.max) else { return nil }
        digits += 1
    }
    return digits > 0 ? UInt16(value) : nil
}

/// A response code, including the extended codes carried in OPT (RFC 6891 6.1.3); 12 bits.
public struct RCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ v: UInt16) { self.rawValue = v }

    public static let noError = RCode(0)
    public static let formErr = RCode(1)
    public static let servFail = RCode(2)
    public static let nxDomain = RCode(3)
    public static let notImp = RCode(4)
    public static let refused = RCode(5)
    public static let yxDomain = RCode(6)
    public static let yxRRSet = RCode(7)
    public static let nxRRSet = RCode(8)
    public static let notAuth = RCode(9)
    public static let notZone = RCode(10)
    /// BADVERS (RFC 6891 9): needs OPT to carry its upper bits.
    public static let badVers = RCode(16)
    /// BADCOOKIE (RFC 7873 8).
    public static let badCookie = RCode(23)

    public var description: String {
        switch rawValue {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 6: "YXDOMAIN"
        case 7: "YXRRSET"
        case 8: "NXRRSET"
        case 9: "NOTAUTH"
        case 10: "NOTZONE"
        case 16: "BADVERS"
        case 23: "BADCOOKIE"
        default: "RCODE\(rawValue)"
        }
    }
}

/// A header opcode (RFC 1035 4.1.1); 4 bits.
public struct Opcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }
    public init(_ v: UInt8) { self.rawValue = v & 0x0F }

    public static let query = Opcode(0)
    public static let iquery = Opcode(1)
    public static let status = Opcode(2)
    public static let notify = Opcode(4)
    public static let update = Opcode(5)

    public var description: String {
        switch rawValue {
        case 0: "QUERY"
        case 1: "IQUERY"
        case 2: "STATUS"
        case 4: "NOTIFY"
        case 5: "UPDATE"
        default: "OPCODE\(rawValue)"
        }
    }
}
