/// Limits of the LOC text and wire format (RFC 1876 2, 3).
public enum LOCLimits {
    /// The equator and the prime meridian: 2^31 thousandths of an arc second (RFC 1876 2).
    public static let origin: Int64 = 1 << 31
    /// Largest |latitude|: 90 degrees in thousandths of an arc second.
    public static let maxLatitude: Int64 = 90 * 3_600_000
    /// Largest |longitude|: 180 degrees in thousandths of an arc second.
    public static let maxLongitude: Int64 = 180 * 3_600_000
    /// Altitude reference: 100,000 m below the WGS 84 spheroid, in centimetres (RFC 1876 2).
    public static let altitudeBase: Int64 = 10_000_000
    /// Largest size or precision: 9e9 cm = 90,000,000 m (RFC 1876 3).
    public static let maxSize: Int64 = 9_000_000_000
}

/// LOC: geographical location (RFC 1876). Only version 0 exists; other versions are kept as
/// opaque RDATA by `RData.decode` (RFC 1876 2 forbids assuming their format).
public struct LOC: RDataCodable {
    /// Diameter of the enclosing sphere, as mantissa (high nibble) and power of ten (low nibble) in cm.
    public var size: UInt8
    public var horizontalPrecision: UInt8
    public var verticalPrecision: UInt8
    /// Thousandths of an arc second, 2^31 at the equator.
    public var latitude: UInt32
    /// Thousandths of an arc second, 2^31 at the prime meridian.
    public var longitude: UInt32
    /// Centimetres above a point 100,000 m below the WGS 84 reference spheroid.
    public var altitude: UInt32

    public init(size: UInt8, horizontalPrecision: UInt8, verticalPrecision: UInt8, latitude: UInt32, longitude: UInt32, altitude: UInt32) {
        self.size = size; self.horizontalPrecision = horizontalPrecision; self.verticalPrecision = verticalPrecision
        self.latitude = latitude; self.longitude = longitude; self.altitude = altitude
    }

    public init(wire r: inout WireReader) throws(WireError) {
        let at = r.offset
        let version = try r.u8()
        if version != 0 { throw WireError.bad(.loc, "version \(version) is not 0 (RFC 1876 2)", at: at) }
        size = try r.u8(); horizontalPrecision = try r.u8(); verticalPrecision = try r.u8()
        for (i, v) in [size, horizontalPrecision, verticalPrecision].enumerated() where v >> 4 > 9 || v & 15 > 9 {
            throw WireError.bad(.loc, "size/precision octet 0x\(Hex.encodeLower([v])) has a digit over 9 (RFC 1876 2)", at: at + 1 + i)
        }
        // A zero mantissa with a non-zero exponent has no text form (it would print as 0.00m
        // and read back as 0x00), so it could not survive a zone written back out; BIND's
        // fromwire_loc rejects it too.
        for (i, v) in [size, horizontalPrecision, verticalPrecision].enumerated() where v >> 4 == 0 && v != 0 {
            throw WireError.bad(.loc, "size/precision octet 0x\(Hex.encodeLower([v])) has a zero mantissa with exponent \(v & 15); zero is 0x00 (RFC 1876 2)", at: at + 1 + i)
        }
        latitude = try r.u32(); longitude = try r.u32(); altitude = try r.u32()
        if abs(Int64(latitude) - LOCLimits.origin) > LOCLimits.maxLatitude {
            throw WireError.bad(.loc, "latitude is beyond 90 degrees", at: at + 4)
        }
        if abs(Int64(longitude) - LOCLimits.origin) > LOCLimits.maxLongitude {
            throw WireError.bad(.loc, "longitude is beyond 180 degrees", at: at + 8)
        }
    }

    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u8(0); w.u8(size); w.u8(horizontalPrecision); w.u8(verticalPrecision)
        w.u32(latitude); w.u32(longitude); w.u32(altitude)
    }

    /// `d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt[m] [siz[m] [hp[m] [vp[m]]]]` (RFC 1876 3).
    /// Defaults: size 1m, horizontal precision 10000m, vertical precision 10m. Sizes are
    /// rounded down to one significant digit, as BIND and ldns do.
    public init(fields f: inout FieldReader) throws(PresentationError) {
        latitude = try LOC.parseAngle(&f, "latitude", maxDegrees: 90, positive: "N", negative: "S")
        longitude = try LOC.parseAngle(&f, "longitude", maxDegrees: 180, positive: "E", negative: "W")
        let altText = try f.next("altitude").text
        guard let alt = LOC.parseMeters(altText, allowNegative: true),
              alt >= -LOCLimits.altitudeBase, alt <= Int64(UInt32.max) - LOCLimits.altitudeBase else {
            throw f.error("altitude '\(altText)' must be metres from -100000.00 to 42849672.95, like -24m or 10.5m (RFC 1876 3)")
        }
        altitude = UInt32(alt + LOCLimits.altitudeBase)
        var sizes: [UInt8] = [0x12, 0x16, 0x13]  // 1m, 10000m, 10m (RFC 1876 3)
        let names = ["size", "horizontal precision", "vertical precision"]
        for i in 0..<3 where !f.isAtEnd {
            let t = try f.next(names[i]).text
            guard let cm = LOC.parseMeters(t, allowNegative: false), cm <= LOCLimits.maxSize else {
                throw f.error("\(names[i]) '\(t)' must be metres from 0 to 90000000.00, like 30m or 0.5m (RFC 1876 3)")
            }
            sizes[i] = LOC.encodeSize(cm)
        }
        (size, horizontalPrecision, verticalPrecision) = (sizes[0], sizes[1], sizes[2])
    }

    public var presentation: String {
        "\(LOC.formatAngle(latitude, "N", "S")) \(LOC.formatAngle(longitude, "E", "W")) \(LOC.formatAltitude(altitude)) \(LOC.formatSize(size)) \(LOC.formatSize(horizontalPrecision)) \(LOC.formatSize(verticalPrecision))"
    }

    // MARK: text helpers

    /// Parses a decimal with at most `frac` fraction digits into an integer scaled by 10^frac.
    static func parseFixed(_ s: Substring, frac: Int) -> Int64? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let intPart = parts.first, !intPart.isEmpty, intPart.utf8.count <= 11,
              intPart.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let whole = Int64(intPart) else { return nil }
        var fracValue: Int64 = 0
        if parts.count == 2 {
            let fp = parts[1]
            guard !fp.isEmpty, fp.utf8.count <= frac, fp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            fracValue = Int64(fp)!
            for _ in fp.utf8.count..<frac { fracValue *= 10 }
        }
        var scale: Int64 = 1
        for _ in 0..<frac { scale *= 10 }
        return whole * scale + fracValue
    }

    /// Metres with an optional `m` suffix and up to two decimals, in centimetres.
    static func parseMeters(_ text: String, allowNegative: Bool) -> Int64? {
        var s = Substring(text)
        if s.hasSuffix("m") || s.hasSuffix("M") { s = s.dropLast() }
        var negative = false
        if allowNegative, s.hasPrefix("-") { negative = true; s = s.dropFirst() }
        guard let v = parseFixed(s, frac: 2) else { return nil }
        return negative ? -v : v
    }

    /// Parses `d [m [s]] H` into the RFC 1876 encoding.
    static func parseAngle(_ f: inout FieldReader, _ what: String, maxDegrees: Int64, positive: String, negative: String) throws(PresentationError) -> UInt32 {
        let hint = "\(what) must be 'degrees [minutes [seconds]] \(positive)|\(negative)' (RFC 1876 3)"
        var parts: [Int64] = []  // degrees, minutes, thousandths of seconds
        var hemisphere: String? = nil
        while hemisphere == nil {
            let t = try f.next("\(what) and \(positive) or \(negative)").text
            let up = t.uppercased()
            if up == positive || up == negative { hemisphere = up; break }
            guard parts.count < 3 else { throw f.error("\(hint); found '\(t)' where \(positive) or \(negative) belongs") }
            let v: Int64?
            if parts.count == 2 {
                v = parseFixed(Substring(t), frac: 3)
            } else {
                v = t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? Int64(t) : nil
            }
            guard let v else { throw f.error("\(hint); '\(t)' is not a number") }
            parts.append(v)
        }
        let d = parts.count > 0 ? parts[0] : 0
        let m = parts.count > 1 ? parts[1] : 0
        let s = parts.count > 2 ? parts[2] : 0
        guard !parts.isEmpty, d <= maxDegrees, m < 60, s < 60_000 else {
            throw f.error("\(hint); degrees 0 to \(maxDegrees), minutes 0 to 59, seconds 0 to 59.999")
        }
        let total = (d * 3600 + m * 60) * 1000 + s
        guard total <= maxDegrees * 3_600_000 else { throw f.error("\(what) exceeds \(maxDegrees) degrees") }
        return UInt32(hemisphere == positive ? LOCLimits.origin + total : LOCLimits.origin - total)
    }

    static func formatAngle(_ v: UInt32, _ positive: String, _ negative: String) -> String {
        let x = Int64(v) - LOCLimits.origin
        let a = abs(x)
        let ms = a % 1000
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(a / 3_600_000) \(a / 60_000 % 60) \(a / 1000 % 60).\(msText) \(x >= 0 ? positive : negative)"
    }

    static func formatAltitude(_ v: UInt32) -> String {
        let cm = Int64(v) - LOCLimits.altitudeBase
        let a = abs(cm)
        let sign = cm < 0 ? "-" : ""
        let frac = a % 100
        return frac == 0 ? "\(sign)\(a / 100)m" : "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)m"
    }

    /// Centimetres to the mantissa/exponent octet, rounding down to one significant digit.
    static func encodeSize(_ cm: Int64) -> UInt8 {
        var exp: UInt8 = 0
        var p: Int64 = 1
        while exp < 9 && cm >= p * 10 { p *= 10; exp += 1 }
        return UInt8(cm / p) << 4 | exp
    }

    static func formatSize(_ v: UInt8) -> String {
        let mant = Int(v >> 4), exp = Int(v & 15)
        // Zero (0x00; the decoder rejects a zero mantissa with another exponent).
        if mant == 0 { return "0.00m" }
        if exp >= 2 { return "\(mant)" + String(repeating: "0", count: exp - 2) + "m" }
        let cm = exp == 1 ? mant * 10 : mant
        return "0.\(cm < 10 ? "0" : "")\(cm)m"
    }
}
