/// NSEC3 salt helpers: hex, or `-` for an empty salt (RFC 5155 3.3, 4.3).
enum NSEC3Salt {
    static func parse(_ f: inout FieldReader) throws(PresentationError) -> [UInt8] {
        let t = try f.next("salt")
        if t.text == "-" { return [] }
        guard let b = Hex.decode(t.text), !b.isEmpty else {
            throw f.error("salt '\(t.text)' must be hexadecimal, or '-' for no salt (RFC 5155 3.3)")
        }
        guard b.count <= 255 else { throw f.error("salt of \(b.count) octets exceeds 255") }
        return b
    }

    static func format(_ b: [UInt8]) -> String { b.isEmpty ? "-" : Hex.encodeLower(b) }
}

/// NSEC3PARAM: the NSEC3 parameters of a zone (RFC 5155 4.1).
public struct NSEC3PARAM: RDataCodable {
    public var hashAlgorithm: UInt8
    public var flags: UInt8
    public var iterations: UInt16
    public var salt: [UInt8]

    public init(hashAlgorithm: UInt8, flags: UInt8, iterations: UInt16, salt: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm; self.flags = flags; self.iterations = iterations; self.salt = salt
    }
    public init(wire r: inout WireReader) throws(WireError) {
        hashAlgorithm = try r.u8(); flags = try r.u8(); iterations = try r.u16()
        salt = try r.characterString()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u8(hashAlgorithm); w.u8(flags); w.u16(iterations); w.characterString(salt)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        hashAlgorithm = try f.integer("hash algorithm")
        flags = try f.integer("flags")
        iterations = try f.integer("iterations")
        salt = try NSEC3Salt.parse(&f)
    }
    public var presentation: String { "\(hashAlgorithm) \(flags) \(iterations) \(NSEC3Salt.format(salt))" }
}
