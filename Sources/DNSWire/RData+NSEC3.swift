/// NSEC3: hashed authenticated denial of existence (RFC 5155 3). The next hashed owner name
/// is printed in unpadded base32hex (RFC 5155 3.3).
public struct NSEC3: RDataCodable {
    public var hashAlgorithm: UInt8
    public var flags: UInt8
    public var iterations: UInt16
    public var salt: [UInt8]
    public var nextHashedOwner: [UInt8]
    public var types: TypeBitmap

    public init(hashAlgorithm: UInt8, flags: UInt8, iterations: UInt16, salt: [UInt8], nextHashedOwner: [UInt8], types: TypeBitmap) {
        self.hashAlgorithm = hashAlgorithm; self.flags = flags; self.iterations = iterations
        self.salt = salt; self.nextHashedOwner = nextHashedOwner; self.types = types
    }
    public init(wire r: inout WireReader) throws(WireError) {
        hashAlgorithm = try r.u8(); flags = try r.u8(); iterations = try r.u16()
        salt = try r.characterString()
        let at = r.offset
        nextHashedOwner = try r.characterString()
        if nextHashedOwner.isEmpty { throw WireError.bad(.nsec3, "next hashed owner name is empty (RFC 5155 3.2)", at: at) }
        types = try TypeBitmap(wire: &r, type: .nsec3)
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u8(hashAlgorithm); w.u8(flags); w.u16(iterations)
        w.characterString(salt)
        w.characterString(nextHashedOwner)
        types.encode(to: &w)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        hashAlgorithm = try f.integer("hash algorithm")
        flags = try f.integer("flags")
        iterations = try f.integer("iterations")
        salt = try NSEC3Salt.parse(&f)
        let t = try f.next("next hashed owner name")
        guard let h = Base32Hex.decode(t.text), !h.isEmpty, h.count <= 255 else {
            throw f.error("next hashed owner name '\(t.text)' is not unpadded base32hex of 1 to 255 octets (RFC 5155 3.3)")
        }
        nextHashedOwner = h
        types = try TypeBitmap(fields: &f)
    }
    public var presentation: String {
        let head = "\(hashAlgorithm) \(flags) \(iterations) \(NSEC3Salt.format(salt)) \(Base32Hex.encode(nextHashedOwner))"
        return types.types.isEmpty ? head : "\(head) \(types.presentation)"
    }
}
