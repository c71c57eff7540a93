/// DNSKEY (RFC 4034 2.1) and CDNSKEY (RFC 7344 3.2), which share the format.
public struct DNSKEY: RDataCodable {
    public var flags: UInt16
    public var proto: UInt8
    public var algorithm: UInt8
    public var publicKey: [UInt8]

    public init(flags: UInt16, proto: UInt8, algorithm: UInt8, publicKey: [UInt8]) {
        self.flags = flags; self.proto = proto; self.algorithm = algorithm; self.publicKey = publicKey
    }
    public init(wire r: inout WireReader) throws(WireError) {
        flags = try r.u16(); proto = try r.u8(); algorithm = try r.u8()
        publicKey = try r.nonEmptyRest(.dnskey, "public key")
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(flags); w.u8(proto); w.u8(algorithm); w.bytes(publicKey)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        flags = try f.integer("flags")
        proto = try f.integer("protocol")
        algorithm = try f.integer("algorithm")
        publicKey = try f.base64Rest("public key")
    }
    public var presentation: String { "\(flags) \(proto) \(algorithm) \(Base64.encode(publicKey))" }
}
