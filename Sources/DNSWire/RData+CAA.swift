/// Longest CAA property tag: RFC 8659 4.1 recommends at most 15 characters and BIND, Knot and
/// ldns refuse longer ones.
public enum CAALimits {
    /// Longest tag accepted (RFC 8659 4.1).
    public static let maxTag = 15
}

/// CAA: certification authority authorization (RFC 8659 4.1). The value is the rest of the
/// RDATA, not a character-string, so it may exceed 255 octets.
public struct CAA: RDataCodable {
    public var flags: UInt8
    public var tag: [UInt8]
    public var value: [UInt8]

    public init(flags: UInt8, tag: [UInt8], value: [UInt8]) { self.flags = flags; self.tag = tag; self.value = value }

    /// Why `tag` is not a valid property tag (1 to 15 ASCII letters and digits), or nil.
    static func tagProblem(_ tag: [UInt8]) -> String? {
        if tag.isEmpty { return "tag is empty" }
        if tag.count > CAALimits.maxTag { return "tag of \(tag.count) characters exceeds \(CAALimits.maxTag)" }
        for c in tag where !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)) {
            return "tag may only hold ASCII letters and digits"
        }
        return nil
    }

    public init(wire r: inout WireReader) throws(WireError) {
        flags = try r.u8()
        let at = r.offset
        tag = try r.characterString()
        if let p = CAA.tagProblem(tag) { throw WireError.bad(.caa, p, at: at) }
        value = r.rest()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u8(flags)
        w.characterString(tag)
        w.bytes(value)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        flags = try f.integer("flags")
        let t = try f.next("tag")
        tag = Array(t.text.utf8)
        if let p = CAA.tagProblem(tag) { throw f.error("CAA \(p) ('\(t.text)')") }
        value = try f.octets("value")
    }
    public var presentation: String {
        "\(flags) \(String(decoding: tag, as: UTF8.self)) \(quotedString(value))"
    }
}
