/// NSEC: the next owner name and the types present (RFC 4034 4.1). The next name is neither
/// compressed nor lower-cased in canonical form (RFC 6840 5.1).
public struct NSEC: RDataCodable {
    public var nextName: Name
    public var types: TypeBitmap

    public init(nextName: Name, types: TypeBitmap) { self.nextName = nextName; self.types = types }
    public init(wire r: inout WireReader) throws(WireError) {
        nextName = try r.uncompressedName()
        types = try TypeBitmap(wire: &r, type: .nsec)
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.name(nextName, compress: compress, lowercase: lowercase)
        types.encode(to: &w)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        nextName = try f.name("next domain name")
        types = try TypeBitmap(fields: &f)
    }
    public var presentation: String {
        types.types.isEmpty ? nextName.description : "\(nextName) \(types.presentation)"
    }
}
