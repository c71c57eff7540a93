/// Limits of ZONEMD (RFC 8976 2.2.4).
public enum ZONEMDLimits {
    /// Shortest digest: RFC 8976 2.2.4 says the Digest field MUST NOT be shorter than 12 octets.
    public static let minDigest = 12
}

/// ZONEMD: message digest of a zone (RFC 8976 2).
public struct ZONEMD: RDataCodable {
    public var serial: UInt32
    public var scheme: UInt8
    public var hashAlgorithm: UInt8
    public var digest: [UInt8]

    public init(serial: UInt32, scheme: UInt8, hashAlgorithm: UInt8, digest: [UInt8]) {
        self.serial = serial; self.scheme = scheme; self.hashAlgorithm = hashAlgorithm; self.digest = digest
    }
    public init(wire r: inout WireReader) throws(WireError) {
        serial = try r.u32(); scheme = try r.u8(); hashAlgorithm = try r.u8()
        let at = r.offset
        digest = r.rest()
        if digest.count < ZONEMDLimits.minDigest {
            throw WireError.bad(.zonemd, "digest of \(digest.count) octets is shorter than \(ZONEMDLimits.minDigest) (RFC 8976 2.2.4)", at: at)
        }
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u32(serial); w.u8(scheme); w.u8(hashAlgorithm); w.bytes(digest)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        serial = try f.integer("serial")
        scheme = try f.integer("scheme")
        hashAlgorithm = try f.integer("hash algorithm")
        digest = try f.hexRest("digest")
        if digest.count < ZONEMDLimits.minDigest {
            throw f.error("ZONEMD digest of \(digest.count) octets is shorter than \(ZONEMDLimits.minDigest) (RFC 8976 2.2.4)")
        }
    }
    public var presentation: String { "\(serial) \(scheme) \(hashAlgorithm) \(Hex.encodeLower(digest))" }
}
