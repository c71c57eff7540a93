/// SSHFP: SSH key fingerprint (RFC 4255 3).
public struct SSHFP: RDataCodable {
    public var algorithm: UInt8
    public var fingerprintType: UInt8
    public var fingerprint: [UInt8]

    public init(algorithm: UInt8, fingerprintType: UInt8, fingerprint: [UInt8]) {
        self.algorithm = algorithm; self.fingerprintType = fingerprintType; self.fingerprint = fingerprint
    }
    public init(wire r: inout WireReader) throws(WireError) {
        algorithm = try r.u8(); fingerprintType = try r.u8()
        fingerprint = try r.nonEmptyRest(.sshfp, "fingerprint")
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u8(algorithm); w.u8(fingerprintType); w.bytes(fingerprint)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        algorithm = try f.integer("algorithm")
        fingerprintType = try f.integer("fingerprint type")
        fingerprint = try f.hexRest("fingerprint")
    }
    public var presentation: String { "\(algorithm) \(fingerprintType) \(Hex.encodeLower(fingerprint))" }
}
