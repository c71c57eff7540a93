/// SRV: service location (RFC 2782). The target is never compressed (RFC 2782, RFC 3597 4).
public struct SRV: RDataCodable {
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: Name

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: Name) {
        self.priority = priority; self.weight = weight; self.port = port; self.target = target
    }
    public init(wire r: inout WireReader) throws(WireError) {
        priority = try r.u16(); weight = try r.u16(); port = try r.u16()
        target = try r.uncompressedName()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(priority); w.u16(weight); w.u16(port)
        w.name(target, compress: compress, lowercase: lowercase)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        priority = try f.integer("priority")
        weight = try f.integer("weight")
        port = try f.integer("port")
        target = try f.name("target")
    }
    public var presentation: String { "\(priority) \(weight) \(port) \(target)" }
}
