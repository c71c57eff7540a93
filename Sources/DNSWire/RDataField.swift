// Field helpers shared by the typed RDATA structs (RData+<TYPE>.swift): reading and checking
// the common wire shapes and presentation tokens, so each type's file states only its layout.

extension Hex {
    /// Lower-case hexadecimal, as libldns prints the hex fields of typed RDATA (DS, TLSA...).
    public static func encodeLower(_ b: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for x in b { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension WireError {
    /// A `.badRData` error. Structs shared by two types (DS/CDS...) report their first type;
    /// `RData.decode` rewrites it to the type actually being decoded.
    static func bad(_ type: RRType, _ reason: String, at offset: Int) -> WireError {
        WireError(.badRData(type: type.rawValue, reason: reason), at: offset)
    }
}

extension WireReader {
    /// The rest of the RDATA, which must not be empty (its presentation would be missing).
    mutating func nonEmptyRest(_ type: RRType, _ what: String) throws(WireError) -> [UInt8] {
        guard !isAtEnd else { throw WireError.bad(type, "\(what) is empty", at: offset) }
        return rest()
    }
}

extension FieldReader {
    /// Hex that may be split over several fields, at least one octet.
    mutating func hexRest(_ what: String) throws(PresentationError) -> [UInt8] {
        let b = try hex(what)
        guard !b.isEmpty else { throw error("\(what) must not be empty") }
        return b
    }

    /// Base64 that may be split over several fields, at least one octet.
    mutating func base64Rest(_ what: String) throws(PresentationError) -> [UInt8] {
        let b = try base64(what)
        guard !b.isEmpty else { throw error("\(what) must not be empty") }
        return b
    }

    /// A record type mnemonic or `TYPEnnn` (RFC 3597 5).
    mutating func rrType(_ what: String) throws(PresentationError) -> RRType {
        let t = try next(what)
        guard let v = RRType(mnemonic: t.text) else {
            throw error("\(what) '\(t.text)' is not a record type mnemonic or TYPEnnn")
        }
        return v
    }

    /// A string of any length given with presentation escapes (quoted or not), e.g. the CAA
    /// value or the URI target, which are not length-prefixed character-strings.
    mutating func octets(_ what: String) throws(PresentationError) -> [UInt8] {
        let t = try next(what)
        guard let b = unescape(t.text) else { throw error("\(what) '\(t.text)' has a bad escape") }
        return b
    }
}
