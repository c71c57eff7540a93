/// DS (RFC 4034 5.1) and CDS (RFC 7344 3.1), which share the format. CDS `0 0 0 00` is the
/// delete request of RFC 8078 4.
public struct DS: RDataCodable {
    public var keyTag: UInt16
    public var algorithm: UInt8
    public var digestType: UInt8
    public var digest: [UInt8]

    public init(keyTag: UInt16, algorithm: UInt8, digestType: UInt8, digest: [UInt8]) {
        self.keyTag = keyTag; self.algorithm = algorithm; self.digestType = digestType; self.digest = digest
    }
    public init(wire r: inout WireReader) throws(WireError) {
        keyTag = try r.u16(); algorithm = try r.u8(); digestType = try r.u8()
        digest = try r.nonEmptyRest(.ds, "digest")
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(keyTag); w.u8(algorithm); w.u8(digestType); w.bytes(digest)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        keyTag = try f.integer("key tag")
        algorithm = try f.integer("algorithm")
        digestType = try f.integer("digest type")
        digest = try f.hexRest("digest")
    }
    public var presentation: String { "\(keyTag) \(algorithm) \(digestType) \(Hex.encodeLower(digest))" }
}
