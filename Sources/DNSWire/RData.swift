/// A typed RDATA: decoded from and encoded to wire format, parsed from and printed as
/// presentation format. Each record type's struct conforms; `RData` dispatches to them.
public protocol RDataCodable: Sendable, Hashable {
    /// Decodes from `r`, whose `end` is the end of this RDATA. Need not consume it all: the
    /// caller reports an under-run.
    init(wire r: inout WireReader) throws(WireError)
    /// Appends the RDATA. `compress` is true only for the RFC 1035 types that allow it
    /// (RFC 3597 4); `lowercase` asks for the canonical form of RFC 4034 6.2.
    func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool)
    /// Parses the RDATA fields of presentation format.
    init(fields f: inout FieldReader) throws(PresentationError)
    /// The RDATA fields in presentation format, separated by single spaces.
    var presentation: String { get }
}

/// Limits of RDATA as a whole.
public enum RDataLimits {
    /// Longest RDATA: RDLENGTH is 16 bits (RFC 1035 3.2.1).
    public static let maxLength = 65535
}

/// The RDATA of one record, typed where Tack knows the type, opaque (RFC 3597) otherwise.
/// The cases whose payload is over 24 octets are `indirect` (boxed), so an `RData` takes 25
/// octets and a `ResourceRecord` 56 instead of 80: every record of a zone pays for the
/// largest case, and SOA, RRSIG, NAPTR, SVCB/HTTPS, NSEC3 and RP are rare or already large.
public enum RData: Sendable, Hashable {
    case a(A)
    case aaaa(AAAA)
    case ns(Name)
    case cname(Name)
    case ptr(Name)
    case dname(Name)
    indirect case soa(SOA)
    case mx(MX)
    case txt(TXT)
    case spf(TXT)
    case hinfo(HINFO)
    case srv(SRV)
    indirect case naptr(NAPTR)
    case caa(CAA)
    case sshfp(SSHFP)
    case tlsa(TLSA)
    case smimea(TLSA)
    indirect case svcb(SVCB)
    indirect case https(SVCB)
    case ds(DS)
    case cds(DS)
    case dnskey(DNSKEY)
    case cdnskey(DNSKEY)
    indirect case rrsig(RRSIG)
    case nsec(NSEC)
    indirect case nsec3(NSEC3)
    case nsec3param(NSEC3PARAM)
    case uri(URI)
    case loc(LOC)
    indirect case rp(RP)
    case afsdb(AFSDB)
    case minfo(MINFO)
    case kx(KX)
    case cert(CERT)
    case openpgpkey(OPENPGPKEY)
    case dhcid(DHCID)
    case zonemd(ZONEMD)
    case eui48(EUI48)
    case eui64(EUI64)
    /// Any type without a typed representation: the RDATA octets as they are (RFC 3597).
    case unknown(RRType, [UInt8])

    /// The record type this RDATA belongs to.
    public var type: RRType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .ptr: .ptr
        case .dname: .dname
        case .soa: .soa
        case .mx: .mx
        case .txt: .txt
        case .spf: .spf
        case .hinfo: .hinfo
        case .srv: .srv
        case .naptr: .naptr
        case .caa: .caa
        case .sshfp: .sshfp
        case .tlsa: .tlsa
        case .smimea: .smimea
        case .svcb: .svcb
        case .https: .https
        case .ds: .ds
        case .cds: .cds
        case .dnskey: .dnskey
        case .cdnskey: .cdnskey
        case .rrsig: .rrsig
        case .nsec: .nsec
        case .nsec3: .nsec3
        case .nsec3param: .nsec3param
        case .uri: .uri
        case .loc: .loc
        case .rp: .rp
        case .afsdb: .afsdb
        case .minfo: .minfo
        case .kx: .kx
        case .cert: .cert
        case .openpgpkey: .openpgpkey
        case .dhcid: .dhcid
        case .zonemd: .zonemd
        case .eui48: .eui48
        case .eui64: .eui64
        case .unknown(let t, _): t
        }
    }

    /// Decodes RDATA of `type` occupying exactly `length` bytes at the reader's offset.
    /// Over- and under-runs are typed errors carrying the offset.
    public static func decode(type: RRType, from r: inout WireReader, length: Int) throws(WireError) -> RData {
        let start = r.offset
        let rdEnd = start + length
        guard rdEnd <= r.end else { throw WireError(.truncated, at: start) }
        let savedEnd = r.end
        r.end = rdEnd
        defer { r.end = savedEnd }
        let value: RData
        do {
            value = try decodeTyped(type: type, from: &r)
        } catch let e where e.code == .truncated {
            throw WireError(.rdataOverrun(type: type.rawValue), at: e.offset)
        } catch {
            // Structs shared by two types (DS and CDS...) name their first type; name this one.
            if case .badRData(let t, let reason) = error.code, t != type.rawValue {
                throw WireError(.badRData(type: type.rawValue, reason: reason), at: error.offset)
            }
            throw error
        }
        if r.offset != rdEnd {
            throw WireError(.rdataUnderrun(type: type.rawValue, left: rdEnd - r.offset), at: r.offset)
        }
        return value
    }

    static func decodeTyped(type: RRType, from r: inout WireReader) throws(WireError) -> RData {
        switch type {
        case .a: return .a(try A(wire: &r))
        case .aaaa: return .aaaa(try AAAA(wire: &r))
        case .ns: return .ns(try r.name())
        case .cname: return .cname(try r.name())
        case .ptr: return .ptr(try r.name())
        case .dname: return .dname(try r.name())
        case .soa: return .soa(try SOA(wire: &r))
        case .mx: return .mx(try MX(wire: &r))
        case .txt: return .txt(try TXT(wire: &r))
        case .spf: return .spf(try TXT(wire: &r))
        case .hinfo: return .hinfo(try HINFO(wire: &r))
        case .srv: return .srv(try SRV(wire: &r))
        case .naptr: return .naptr(try NAPTR(wire: &r))
        case .caa: return .caa(try CAA(wire: &r))
        case .sshfp: return .sshfp(try SSHFP(wire: &r))
        case .tlsa: return .tlsa(try TLSA(wire: &r))
        case .smimea: return .smimea(try TLSA(wire: &r))
        case .svcb: return .svcb(try SVCB(wire: &r))
        case .https: return .https(try SVCB(wire: &r))
        case .ds: return .ds(try DS(wire: &r))
        case .cds: return .cds(try DS(wire: &r))
        case .dnskey: return .dnskey(try DNSKEY(wire: &r))
        case .cdnskey: return .cdnskey(try DNSKEY(wire: &r))
        case .rrsig: return .rrsig(try RRSIG(wire: &r))
        case .nsec: return .nsec(try NSEC(wire: &r))
        case .nsec3: return .nsec3(try NSEC3(wire: &r))
        case .nsec3param: return .nsec3param(try NSEC3PARAM(wire: &r))
        case .uri: return .uri(try URI(wire: &r))
        case .loc:
            // Only version 0 has a known format (RFC 1876 2); keep others opaque.
            if r.offset < r.end && r.bytes[r.offset] != 0 { return .unknown(type, r.rest()) }
            return .loc(try LOC(wire: &r))
        case .rp: return .rp(try RP(wire: &r))
        case .afsdb: return .afsdb(try AFSDB(wire: &r))
        case .minfo: return .minfo(try MINFO(wire: &r))
        case .kx: return .kx(try KX(wire: &r))
        case .cert: return .cert(try CERT(wire: &r))
        case .openpgpkey: return .openpgpkey(try OPENPGPKEY(wire: &r))
        case .dhcid: return .dhcid(try DHCID(wire: &r))
        case .zonemd: return .zonemd(try ZONEMD(wire: &r))
        case .eui48: return .eui48(try EUI48(wire: &r))
        case .eui64: return .eui64(try EUI64(wire: &r))
        default: return .unknown(type, r.rest())
        }
    }

    /// Appends the RDATA (without its length). Compression is applied only to the RFC 1035
    /// types that allow it (RFC 3597 4), and only when `names.compress` is set.
    public func encode(to w: inout WireWriter, names: NameEncoding = .message) {
        let t = type
        let compress = names.compress && t.allowsCompression
        let lower = names.canonical && t.hasCanonicalLowercaseNames
        switch self {
        case .a(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .aaaa(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .ns(let n), .cname(let n), .ptr(let n), .dname(let n):
            w.name(n, compress: compress, lowercase: lower)
        case .soa(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .mx(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .txt(let v), .spf(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .hinfo(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .srv(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .naptr(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .caa(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .sshfp(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .tlsa(let v), .smimea(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .svcb(let v), .https(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .ds(let v), .cds(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .dnskey(let v), .cdnskey(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .rrsig(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .nsec(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .nsec3(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .nsec3param(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .uri(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .loc(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .rp(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .afsdb(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .minfo(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .kx(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .cert(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .openpgpkey(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .dhcid(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .zonemd(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .eui48(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .eui64(let v): v.encode(to: &w, compress: compress, lowercase: lower)
        case .unknown(_, let b): w.bytes(b)
        }
    }

    /// The RDATA as uncompressed wire bytes (`names` chooses canonical lower-casing).
    public func wire(names: NameEncoding = .plain) -> [UInt8] {
        var w = WireWriter(capacity: 64)
        encode(to: &w, names: NameEncoding(compress: false, canonical: names.canonical))
        return w.bytes
    }

    /// Parses the RDATA fields of a record of `type`. The generic form `\# len hex`
    /// (RFC 3597 5) is accepted for every type; for known types it is decoded and checked.
    public static func parse(type: RRType, fields f: inout FieldReader) throws(PresentationError) -> RData {
        if let first = f.peek(), first.text == "\\#", !first.quoted {
            _ = try f.next("\\#")
            let len: UInt16 = try f.integer("RDATA length after \\#")
            let bytes = try f.hex("RDATA hex after \\# \(len)", allowEmpty: len == 0)
            guard bytes.count == Int(len) else {
                throw PresentationError("\\# says \(len) octets but \(bytes.count) are given", token: f.index - 1)
            }
            var r = WireReader(bytes)
            do {
                return try RData.decode(type: type, from: &r, length: bytes.count)
            } catch {
                throw PresentationError("generic RDATA is not valid \(type): \(error)", token: f.index - 1)
            }
        }
        let v: RData
        switch type {
        case .a: v = .a(try A(fields: &f))
        case .aaaa: v = .aaaa(try AAAA(fields: &f))
        case .ns: v = .ns(try f.name("name server"))
        case .cname: v = .cname(try f.name("canonical name"))
        case .ptr: v = .ptr(try f.name("pointer target"))
        case .dname: v = .dname(try f.name("DNAME target"))
        case .soa: v = .soa(try SOA(fields: &f))
        case .mx: v = .mx(try MX(fields: &f))
        case .txt: v = .txt(try TXT(fields: &f))
        case .spf: v = .spf(try TXT(fields: &f))
        case .hinfo: v = .hinfo(try HINFO(fields: &f))
        case .srv: v = .srv(try SRV(fields: &f))
        case .naptr: v = .naptr(try NAPTR(fields: &f))
        case .caa: v = .caa(try CAA(fields: &f))
        case .sshfp: v = .sshfp(try SSHFP(fields: &f))
        case .tlsa: v = .tlsa(try TLSA(fields: &f))
        case .smimea: v = .smimea(try TLSA(fields: &f))
        case .svcb: v = .svcb(try SVCB(fields: &f))
        case .https: v = .https(try SVCB(fields: &f))
        case .ds: v = .ds(try DS(fields: &f))
        case .cds: v = .cds(try DS(fields: &f))
        case .dnskey: v = .dnskey(try DNSKEY(fields: &f))
        case .cdnskey: v = .cdnskey(try DNSKEY(fields: &f))
        case .rrsig: v = .rrsig(try RRSIG(fields: &f))
        case .nsec: v = .nsec(try NSEC(fields: &f))
        case .nsec3: v = .nsec3(try NSEC3(fields: &f))
        case .nsec3param: v = .nsec3param(try NSEC3PARAM(fields: &f))
        case .uri: v = .uri(try URI(fields: &f))
        case .loc: v = .loc(try LOC(fields: &f))
        case .rp: v = .rp(try RP(fields: &f))
        case .afsdb: v = .afsdb(try AFSDB(fields: &f))
        case .minfo: v = .minfo(try MINFO(fields: &f))
        case .kx: v = .kx(try KX(fields: &f))
        case .cert: v = .cert(try CERT(fields: &f))
        case .openpgpkey: v = .openpgpkey(try OPENPGPKEY(fields: &f))
        case .dhcid: v = .dhcid(try DHCID(fields: &f))
        case .zonemd: v = .zonemd(try ZONEMD(fields: &f))
        case .eui48: v = .eui48(try EUI48(fields: &f))
        case .eui64: v = .eui64(try EUI64(fields: &f))
        default:
            throw PresentationError("type \(type) has no presentation format in Tack; use the generic form '\\# length hex' (RFC 3597)")
        }
        try f.finish()
        let size = v.wire().count
        if size > RDataLimits.maxLength {
            throw PresentationError("RDATA of \(size) octets exceeds \(RDataLimits.maxLength), the most RDLENGTH can give (RFC 1035 3.2.1)")
        }
        return v
    }

    /// Parses RDATA text (convenience for tests and configuration).
    public static func parse(type: RRType, text: String, origin: Name? = nil) throws(PresentationError) -> RData {
        var f = FieldReader(text: text, origin: origin)
        return try parse(type: type, fields: &f)
    }

    /// The RDATA in presentation format.
    public var presentation: String {
        switch self {
        case .a(let v): v.presentation
        case .aaaa(let v): v.presentation
        case .ns(let n), .cname(let n), .ptr(let n), .dname(let n): n.description
        case .soa(let v): v.presentation
        case .mx(let v): v.presentation
        case .txt(let v), .spf(let v): v.presentation
        case .hinfo(let v): v.presentation
        case .srv(let v): v.presentation
        case .naptr(let v): v.presentation
        case .caa(let v): v.presentation
        case .sshfp(let v): v.presentation
        case .tlsa(let v), .smimea(let v): v.presentation
        case .svcb(let v), .https(let v): v.presentation
        case .ds(let v), .cds(let v): v.presentation
        case .dnskey(let v), .cdnskey(let v): v.presentation
        case .rrsig(let v): v.presentation
        case .nsec(let v): v.presentation
        case .nsec3(let v): v.presentation
        case .nsec3param(let v): v.presentation
        case .uri(let v): v.presentation
        case .loc(let v): v.presentation
        case .rp(let v): v.presentation
        case .afsdb(let v): v.presentation
        case .minfo(let v): v.presentation
        case .kx(let v): v.presentation
        case .cert(let v): v.presentation
        case .openpgpkey(let v): v.presentation
        case .dhcid(let v): v.presentation
        case .zonemd(let v): v.presentation
        case .eui48(let v): v.presentation
        case .eui64(let v): v.presentation
        case .unknown(_, let b): RData.genericPresentation(b)
        }
    }

    /// The generic form `\# len hex` (RFC 3597 5).
    public static func genericPresentation(_ b: [UInt8]) -> String {
        b.isEmpty ? "\\# 0" : "\\# \(b.count) \(Hex.encode(b))"
    }
}

extension RRType {
    /// Types whose RDATA names may be compressed: the RFC 1035 types (RFC 3597 4).
    public var allowsCompression: Bool {
        switch self {
        case .ns, .md, .mf, .cname, .soa, .mb, .mg, .mr, .ptr, .minfo, .mx: true
        default: false
        }
    }

    /// Types whose RDATA names are lower-cased in canonical form (RFC 4034 6.2 as amended by
    /// RFC 6840 5.1, which removes NSEC).
    public var hasCanonicalLowercaseNames: Bool {
        switch self {
        case .ns, .md, .mf, .cname, .soa, .mb, .mg, .mr, .ptr, .hinfo, .minfo, .mx, .rp, .afsdb,
             .rt, .sig, .px, .nxt, .naptr, .kx, .srv, .dname, .a6, .rrsig:
            true
        default: false
        }
    }
}

// MARK: - The RFC 1035 core types

/// A: an IPv4 address (RFC 1035 3.4.1).
public struct A: RDataCodable {
    /// The address as a number (first octet highest): held inline, since an array would cost
    /// every address record of a zone a heap allocation.
    public let value: UInt32
    public init(_ address: [UInt8]) {
        precondition(address.count == 4)
        value = address.reduce(0) { $0 << 8 | UInt32($1) }
    }
    /// The 4 octets, network order.
    public var address: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    public init(wire r: inout WireReader) throws(WireError) { value = try r.u32() }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) { w.u32(value) }
    public init(fields f: inout FieldReader) throws(PresentationError) { value = try f.ipv4Value("IPv4 address") }
    public var presentation: String { formatIPv4(address) }
}

/// AAAA (RFC 3596): an IPv6 address.
public struct AAAA: RDataCodable {
    /// The address as two numbers, the first 8 octets in `high` (first octet highest): inline,
    /// like `A`.
    public let high: UInt64
    public let low: UInt64
    public init(_ address: [UInt8]) {
        precondition(address.count == 16)
        high = address[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = address[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }
    /// The 16 octets, network order.
    public var address: [UInt8] {
        (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> (56 - 8 * (i % 8))) }
    }
    public init(wire r: inout WireReader) throws(WireError) {
        let w0 = try r.u32(), w1 = try r.u32(), w2 = try r.u32(), w3 = try r.u32()
        high = UInt64(w0) << 32 | UInt64(w1)
        low = UInt64(w2) << 32 | UInt64(w3)
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u32(UInt32(truncatingIfNeeded: high >> 32)); w.u32(UInt32(truncatingIfNeeded: high))
        w.u32(UInt32(truncatingIfNeeded: low >> 32)); w.u32(UInt32(truncatingIfNeeded: low))
    }
    public init(fields f: inout FieldReader) throws(PresentationError) { (high, low) = try f.ipv6Value("IPv6 address") }
    public var presentation: String { formatIPv6(address) }
}

/// SOA: start of authority (RFC 1035 3.3.13).
public struct SOA: RDataCodable {
    public var mname: Name
    public var rname: Name
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// The negative-caching TTL bound (RFC 2308 4).
    public var minimum: UInt32

    public init(mname: Name, rname: Name, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32) {
        self.mname = mname; self.rname = rname; self.serial = serial
        self.refresh = refresh; self.retry = retry; self.expire = expire; self.minimum = minimum
    }

    public init(wire r: inout WireReader) throws(WireError) {
        mname = try r.name()
        rname = try r.name()
        serial = try r.u32(); refresh = try r.u32(); retry = try r.u32()
        expire = try r.u32(); minimum = try r.u32()
    }

    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.name(mname, compress: compress, lowercase: lowercase)
        w.name(rname, compress: compress, lowercase: lowercase)
        w.u32(serial); w.u32(refresh); w.u32(retry); w.u32(expire); w.u32(minimum)
    }

    public init(fields f: inout FieldReader) throws(PresentationError) {
        mname = try f.name("primary name server (MNAME)")
        rname = try f.name("responsible mailbox (RNAME)")
        serial = try f.integer("serial")
        refresh = try f.ttl("refresh")
        retry = try f.ttl("retry")
        expire = try f.ttl("expire")
        minimum = try f.ttl("minimum")
    }

    public var presentation: String {
        "\(mname) \(rname) \(serial) \(refresh) \(retry) \(expire) \(minimum)"
    }
}

/// MX: mail exchange (RFC 1035 3.3.9).
public struct MX: RDataCodable {
    public var preference: UInt16
    public var exchange: Name

    public init(preference: UInt16, exchange: Name) { self.preference = preference; self.exchange = exchange }
    public init(wire r: inout WireReader) throws(WireError) {
        preference = try r.u16()
        exchange = try r.name()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(preference)
        w.name(exchange, compress: compress, lowercase: lowercase)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        preference = try f.integer("preference")
        exchange = try f.name("mail exchange")
    }
    public var presentation: String { "\(preference) \(exchange)" }
}

/// TXT (and SPF, RFC 7208 3.1): one or more character-strings (RFC 1035 3.3.14).
public struct TXT: RDataCodable {
    public var strings: [[UInt8]]

    public init(_ strings: [[UInt8]]) { self.strings = strings }
    public init(wire r: inout WireReader) throws(WireError) {
        strings = []
        repeat { strings.append(try r.characterString()) } while !r.isAtEnd
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        for s in strings { w.characterString(s) }
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        strings = []
        repeat { strings.append(try f.characterString("text")) } while !f.isAtEnd
    }
    public var presentation: String { strings.map(quotedString).joined(separator: " ") }
}
