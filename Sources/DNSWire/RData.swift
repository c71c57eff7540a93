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

/// The RDATA of one record, typed where Tack knows the type, opaque (RFC 3597) otherwise.
public enum RData: Sendable, Hashable {
    case a(A)
    case aaaa(AAAA)
    case ns(Name)
    case cname(Name)
    case ptr(Name)
    case dname(Name)
    case soa(SOA)
    case mx(MX)
    case txt(TXT)
    case spf(TXT)
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
        default:
            throw PresentationError("type \(type) has no presentation format in Tack; use the generic form '\\# length hex' (RFC 3597)")
        }
        try f.finish()
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
    public var address: [UInt8]
    public init(_ address: [UInt8]) { precondition(address.count == 4); self.address = address }
    public init(wire r: inout WireReader) throws(WireError) { address = try r.bytes(4) }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) { w.bytes(address) }
    public init(fields f: inout FieldReader) throws(PresentationError) { address = try f.ipv4("IPv4 address") }
    public var presentation: String { formatIPv4(address) }
}

/// AAAA: an IPv6 address (RFC 3596 2.2).
public struct AAAA: RDataCodable {
    public var address: [UInt8]
    public init(_ address: [UInt8]) { precondition(address.count == 16); self.address = address }
    public init(wire r: inout WireReader) throws(WireError) { address = try r.bytes(16) }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) { w.bytes(address) }
    public init(fields f: inout FieldReader) throws(PresentationError) { address = try f.ipv6("IPv6 address") }
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
