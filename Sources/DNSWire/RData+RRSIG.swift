/// RRSIG: a signature over an RRset (RFC 4034 3.1). The signer name is never compressed and
/// is lower-cased in canonical form (RFC 4034 6.2).
public struct RRSIG: RDataCodable {
    public var typeCovered: RRType
    public var algorithm: UInt8
    public var labels: UInt8
    public var originalTTL: UInt32
    /// Seconds since 1970-01-01 UTC, modulo 2^32 (RFC 4034 3.1.5).
    public var expiration: UInt32
    /// Seconds since 1970-01-01 UTC, modulo 2^32 (RFC 4034 3.1.5).
    public var inception: UInt32
    public var keyTag: UInt16
    public var signerName: Name
    public var signature: [UInt8]

    public init(typeCovered: RRType, algorithm: UInt8, labels: UInt8, originalTTL: UInt32, expiration: UInt32,
                inception: UInt32, keyTag: UInt16, signerName: Name, signature: [UInt8]) {
        self.typeCovered = typeCovered; self.algorithm = algorithm; self.labels = labels
        self.originalTTL = originalTTL; self.expiration = expiration; self.inception = inception
        self.keyTag = keyTag; self.signerName = signerName; self.signature = signature
    }
    public init(wire r: inout WireReader) throws(WireError) {
        typeCovered = RRType(try r.u16())
        algorithm = try r.u8(); labels = try r.u8()
        originalTTL = try r.u32(); expiration = try r.u32(); inception = try r.u32()
        keyTag = try r.u16()
        signerName = try r.uncompressedName()
        signature = try r.nonEmptyRest(.rrsig, "signature")
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(typeCovered.rawValue); w.u8(algorithm); w.u8(labels)
        w.u32(originalTTL); w.u32(expiration); w.u32(inception); w.u16(keyTag)
        w.name(signerName, compress: compress, lowercase: lowercase)
        w.bytes(signature)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        typeCovered = try f.rrType("type covered")
        algorithm = try f.integer("algorithm")
        labels = try f.integer("labels")
        originalTTL = try f.ttl("original TTL")
        expiration = try RRSIG.parseTime(&f, "signature expiration")
        inception = try RRSIG.parseTime(&f, "signature inception")
        keyTag = try f.integer("key tag")
        signerName = try f.name("signer's name")
        signature = try f.base64Rest("signature")
    }
    public var presentation: String {
        "\(typeCovered) \(algorithm) \(labels) \(originalTTL) \(RRSIG.formatTime(expiration)) \(RRSIG.formatTime(inception)) \(keyTag) \(signerName) \(Base64.encode(signature))"
    }

    /// Parses a signature time: 14 digits are `YYYYMMDDHHmmSS` in UTC, anything else an
    /// unsigned decimal count of seconds (RFC 4034 3.2).
    static func parseTime(_ f: inout FieldReader, _ what: String) throws(PresentationError) -> UInt32 {
        let t = try f.next(what)
        let d = Array(t.text.utf8)
        guard !d.isEmpty, d.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw f.error("\(what) '\(t.text)' must be YYYYMMDDHHmmSS or seconds since 1970 (RFC 4034 3.2)")
        }
        if d.count != 14 {
            guard let v = UInt32(t.text) else { throw f.error("\(what) '\(t.text)' exceeds 4294967295 seconds") }
            return v
        }
        func num(_ a: Int, _ n: Int) -> Int { d[a..<(a + n)].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let (y, mo, day, h, mi, s) = (num(0, 4), num(4, 2), num(6, 2), num(8, 2), num(10, 2), num(12, 2))
        guard (1...12).contains(mo), day >= 1, day <= daysInMonth(y, mo), h < 24, mi < 60, s < 60 else {
            throw f.error("\(what) '\(t.text)' is not a valid date and time YYYYMMDDHHmmSS")
        }
        let secs = Int64(daysFromCivil(y, mo, day)) * 86400 + Int64(h * 3600 + mi * 60 + s)
        guard secs >= 0, secs <= Int64(UInt32.max) else {
            throw f.error("\(what) '\(t.text)' is outside 1970-01-01 to 2106-02-07 06:28:15 UTC")
        }
        return UInt32(secs)
    }

    /// Formats seconds since 1970 as `YYYYMMDDHHmmSS` in UTC (RFC 4034 3.2).
    static func formatTime(_ v: UInt32) -> String {
        let days = Int(v / 86400)
        let rem = Int(v % 86400)
        let (y, m, d) = civilFromDays(days)
        func pad(_ x: Int, _ n: Int) -> String {
            let s = String(x)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return pad(y, 4) + pad(m, 2) + pad(d, 2) + pad(rem / 3600, 2) + pad(rem / 60 % 60, 2) + pad(rem % 60, 2)
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date of a day count since 1970-01-01 (inverse of `daysFromCivil`).
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
