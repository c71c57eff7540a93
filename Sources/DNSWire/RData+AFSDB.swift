/// AFSDB: AFS database location (RFC 1183 1).
public struct AFSDB: RDataCodable {
    public var subtype: UInt16
    public var hostname: Name

    public init(subtype: UInt16, hostname: Name) { self.subtype = subtype; self.hostname = hostname }
    public init(wire r: inout WireReader) throws(WireError) {
        subtype = try r.u16()
        hostname = try r.uncompressedName()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(subtype)
        w.name(hostname, compress: compress, lowercase: lowercase)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        subtype = try f.integer("subtype")
        hostname = try f.name("hostname")
    }
    public var presentation: String { "\(subtype) \(hostname)" }
}
