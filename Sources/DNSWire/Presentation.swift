#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One whitespace-separated field of presentation format, as a zone-file lexer produces it:
/// escapes (`\X`, `\DDD`) are still in `text`; surrounding quotes are removed and `quoted` set.
public struct PresentationToken: Sendable, Equatable {
    public var text: String
    public var quoted: Bool

    public init(_ text: String, quoted: Bool = false) {
        self.text = text
        self.quoted = quoted
    }
}

/// A cursor over the RDATA fields of one record in presentation format.
public struct FieldReader: Sendable {
    public let tokens: [PresentationToken]
    public private(set) var index: Int = 0
    /// Origin for relative names; nil means names must be absolute.
    public let origin: Name?

    public init(_ tokens: [PresentationToken], origin: Name?) {
        self.tokens = tokens
        self.origin = origin
    }

    /// Splits plain text on white space (no quoting rules beyond `"..."` with escapes);
    /// for tests and simple callers. Zone files use the ZoneFile lexer instead.
    public init(text: String, origin: Name?) {
        self.init(FieldReader.tokenize(text), origin: origin)
    }

    public var isAtEnd: Bool { index >= tokens.count }

    /// The next field, or an error naming what was expected.
    public mutating func next(_ what: String) throws(PresentationError) -> PresentationToken {
        guard index < tokens.count else { throw PresentationError("missing \(what)", token: index) }
        defer { index += 1 }
        return tokens[index]
    }

    /// Looks at the next field without consuming it.
    public func peek() -> PresentationToken? { index < tokens.count ? tokens[index] : nil }

    /// An error about the field just read.
    public func error(_ message: String) -> PresentationError {
        PresentationError(message, token: max(0, index - 1))
    }

    /// Fails when fields are left over.
    public func finish() throws(PresentationError) {
        if index < tokens.count {
            throw PresentationError("unexpected extra field '\(tokens[index].text)'", token: index)
        }
    }

    public mutating func name(_ what: String) throws(PresentationError) -> Name {
        let t = try next(what)
        do { return try Name(parsing: t.text, origin: origin) } catch { throw self.error(error.message) }
    }

    /// An unsigned integer of at most `max`.
    public mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_ what: String, as: T.Type = T.self) throws(PresentationError) -> T {
        let t = try next(what)
        guard let v = T(t.text) else { throw error("\(what) must be a number from 0 to \(T.max), not '\(t.text)'") }
        return v
    }

    /// A TTL or time value: seconds, or BIND units (`1w2d3h4m5s`).
    public mutating func ttl(_ what: String) throws(PresentationError) -> UInt32 {
        let t = try next(what)
        guard let v = parseTTL(t.text) else { throw error("\(what) must be seconds or a duration like 1h30m, not '\(t.text)'") }
        return v
    }

    /// A character-string (RFC 1035 5.1): quoted or not, with escapes; at most 255 octets.
    public mutating func characterString(_ what: String) throws(PresentationError) -> [UInt8] {
        let t = try next(what)
        guard let b = unescape(t.text), b.count <= 255 else {
            throw error("\(what) '\(t.text)' is not a character-string of at most 255 octets")
        }
        return b
    }

    /// All remaining fields concatenated (base64 or hex that may contain spaces).
    public mutating func joinedRest(_ what: String, allowEmpty: Bool = false) throws(PresentationError) -> String {
        if isAtEnd && !allowEmpty { throw PresentationError("missing \(what)", token: index) }
        var s = ""
        while index < tokens.count { s += tokens[index].text; index += 1 }
        return s
    }

    /// An IPv4 address as a number (first octet highest), without an array in between.
    public mutating func ipv4Value(_ what: String) throws(PresentationError) -> UInt32 {
        let t = try next(what)
        guard let a = inetPton(AF_INET, t.text, into: in_addr()) else {
            throw error("\(what) '\(t.text)' is not an IPv4 address")
        }
        return UInt32(bigEndian: a.s_addr)
    }

    /// An IPv6 address as two numbers (first octet highest), without an array in between.
    public mutating func ipv6Value(_ what: String) throws(PresentationError) -> (high: UInt64, low: UInt64) {
        let t = try next(what)
        guard let a = inetPton(AF_INET6, t.text, into: in6_addr()) else {
            throw error("\(what) '\(t.text)' is not an IPv6 address")
        }
        return withUnsafeBytes(of: a) { raw in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    public mutating func base64(_ what: String) throws(PresentationError) -> [UInt8] {
        let s = try joinedRest(what)
        guard let b = Base64.decode(s) else { throw error("\(what) is not valid base64") }
        return b
    }

    public mutating func hex(_ what: String, allowEmpty: Bool = false) throws(PresentationError) -> [UInt8] {
        let s = try joinedRest(what, allowEmpty: allowEmpty)
        guard let b = Hex.decode(s) else { throw error("\(what) is not valid hexadecimal") }
        return b
    }

    /// Tokenizer for plain text, honouring double quotes and backslash escapes.
    public static func tokenize(_ text: String) -> [PresentationToken] {
        var out: [PresentationToken] = []
        var cur: [UInt8] = []
        var inToken = false, quoted = false, inQuotes = false
        let b = Array(text.utf8)
        var i = 0
        func flush() {
            if inToken { out.append(PresentationToken(String(decoding: cur, as: UTF8.self), quoted: quoted)) }
            cur = []; inToken = false; quoted = false
        }
        while i < b.count {
            let c = b[i]
            if c == 0x5C, i + 1 < b.count {
                cur.append(c); cur.append(b[i + 1]); inToken = true; i += 2; continue
            }
            if inQuotes {
                if c == 0x22 { inQuotes = false; flush() } else { cur.append(c) }
            } else if c == 0x22 {
                flush(); inQuotes = true; inToken = true; quoted = true
            } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                flush()
            } else {
                cur.append(c); inToken = true
            }
            i += 1
        }
        flush()
        return out
    }
}

/// Undoes presentation escapes: `\DDD` is an octet in decimal, `\X` is X (RFC 1035 5.1).
public func unescape(_ text: String) -> [UInt8]? {
    let b = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(b.count)
    var i = 0
    while i < b.count {
        if b[i] == 0x5C {
            guard i + 1 < b.count else { return nil }
            if b[i + 1] >= 0x30 && b[i + 1] <= 0x39 {
                guard let v = decimalEscape(b, i + 1) else { return nil }
                out.append(v); i += 4
            } else {
                out.append(b[i + 1]); i += 2
            }
        } else {
            out.append(b[i]); i += 1
        }
    }
    return out
}

/// Formats a character-string in quotes, escaping `"` and `\` and non-printable octets.
public func quotedString(_ s: [UInt8]) -> String {
    var out: [UInt8] = [0x22]
    for c in s {
        switch c {
        case 0x22, 0x5C: out.append(0x5C); out.append(c)
        case 0x20...0x7E: out.append(c)
        default: appendDecimalEscape(c, to: &out)
        }
    }
    out.append(0x22)
    return String(decoding: out, as: UTF8.self)
}

/// Parses a TTL: plain seconds, or BIND-style units w/d/h/m/s (case-insensitive), e.g. `1h30m`.
public func parseTTL(_ s: String) -> UInt32? {
    if s.isEmpty { return nil }  // an empty field (e.g. "") is not a TTL of 0
    if let v = UInt32(s) { return v }
    var total: UInt64 = 0
    var cur: UInt64 = 0
    var sawDigit = false
    for c in s.lowercased().utf8 {
        if c >= 0x30 && c <= 0x39 {
            cur = cur * 10 + UInt64(c - 0x30)
            sawDigit = true
            if cur > UInt64(UInt32.max) { return nil }
            continue
        }
        guard sawDigit else { return nil }
        let mult: UInt64
        switch c {
        case 0x77: mult = 604800  // w
        case 0x64: mult = 86400  // d
        case 0x68: mult = 3600  // h
        case 0x6D: mult = 60  // m
        case 0x73: mult = 1  // s
        default: return nil
        }
        total += cur * mult
        cur = 0
        sawDigit = false
        if total > UInt64(UInt32.max) { return nil }
    }
    if sawDigit { return nil }  // "1h30" is ambiguous; BIND rejects it too
    return UInt32(total)
}

/// Parses dotted-quad IPv4 text into 4 bytes.
public func parseIPv4(_ s: String) -> [UInt8]? {
    inetPton(AF_INET, s, into: in_addr()).map { a in withUnsafeBytes(of: a) { Array($0) } }
}

/// Parses IPv6 text into 16 bytes.
public func parseIPv6(_ s: String) -> [UInt8]? {
    inetPton(AF_INET6, s, into: in6_addr()).map { a in withUnsafeBytes(of: a) { Array($0) } }
}

/// inet_pton into an `in_addr` or `in6_addr` (given zeroed); the String is passed through withCString, which
/// does not allocate a C copy as the implicit bridge does.
func inetPton<Address>(_ family: Int32, _ s: String, into address: Address) -> Address? {
    var a = address
    guard s.withCString({ text in withUnsafeMutablePointer(to: &a) { inet_pton(family, text, $0) } }) == 1 else { return nil }
    return a
}

/// Formats 4 bytes as dotted-quad IPv4 text.
public func formatIPv4(_ b: [UInt8]) -> String {
    "\(b[0]).\(b[1]).\(b[2]).\(b[3])"
}

/// Formats 16 bytes as IPv6 text (RFC 5952, as inet_ntop does).
public func formatIPv6(_ b: [UInt8]) -> String {
    var a = in6_addr()
    withUnsafeMutableBytes(of: &a) { $0.copyBytes(from: b.prefix(16)) }
    var buf = [CChar](repeating: 0, count: 64)
    guard inet_ntop(AF_INET6, &a, &buf, 64) != nil else { return "::" }
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Base64 (RFC 4648 4) without line breaks.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let reverse: [Int8] = {
        var r = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { r[Int(c)] = Int8(i) }
        return r
    }()

    public static func encode(_ b: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((b.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= b.count {
            let v = Int(b[i]) << 16 | Int(b[i + 1]) << 8 | Int(b[i + 2])
            out += [alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], alphabet[v & 63]]
            i += 3
        }
        let rest = b.count - i
        if rest == 1 {
            let v = Int(b[i]) << 16
            out += [alphabet[v >> 18], alphabet[(v >> 12) & 63], 0x3D, 0x3D]
        } else if rest == 2 {
            let v = Int(b[i]) << 16 | Int(b[i + 1]) << 8
            out += [alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], 0x3D]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64, ignoring white space; nil on bad characters or padding.
    public static func decode(_ s: String) -> [UInt8]? {
        var vals: [UInt8] = []
        var pad = 0
        for c in s.utf8 {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { continue }
            if c == 0x3D { pad += 1; continue }
            if pad > 0 { return nil }
            let v = reverse[Int(c)]
            if v < 0 { return nil }
            vals.append(UInt8(v))
        }
        guard (vals.count + pad) % 4 == 0, pad <= 2 else { return nil }
        if vals.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(vals.count * 3 / 4)
        var i = 0
        while i + 4 <= vals.count {
            let v = Int(vals[i]) << 18 | Int(vals[i + 1]) << 12 | Int(vals[i + 2]) << 6 | Int(vals[i + 3])
            out += [UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
            i += 4
        }
        let rest = vals.count - i
        if rest == 2 {
            out.append(UInt8((Int(vals[i]) << 2) | (Int(vals[i + 1]) >> 4)))
        } else if rest == 3 {
            let v = Int(vals[i]) << 12 | Int(vals[i + 1]) << 6 | Int(vals[i + 2])
            out += [UInt8(v >> 10), UInt8((v >> 2) & 0xFF)]
        }
        return out
    }
}

/// Hexadecimal (upper case on output, either case on input).
public enum Hex {
    static let digits = Array("0123456789ABCDEF".utf8)

    public static func encode(_ b: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for x in b { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex, ignoring white space; nil on an odd count or a bad digit.
    public static func decode(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var hi: UInt8? = nil
        for c in s.utf8 {
            if c == 0x20 || c == 0x09 { continue }
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x41...0x46: v = c - 0x41 + 10
            case 0x61...0x66: v = c - 0x61 + 10
            default: return nil
            }
            if let h = hi { out.append(h << 4 | v); hi = nil } else { hi = v }
        }
        return hi == nil ? out : nil
    }
}
