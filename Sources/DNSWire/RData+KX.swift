/// KX: key exchanger (RFC 2230 3.1).
public struct KX: RDataCodable {
    public var preference: UInt16
    public var exchanger: Name

    public init(preference: UInt16, exchanger: Name) { self.preference = preference; self.exchanger = exchanger }
    public init(wire r: inout WireReader) throws(WireError) {
        preference = try r.u16()
        exchanger = try r.uncompressedName()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(preference)
        w.name(exchanger, compress: compress, lowercase: lowercase)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        preference = try f.integer("preference")
        exchanger = try f.name("exchanger")
    }
    public var presentation: String { "\(preference) \(exchanger)" }
}
