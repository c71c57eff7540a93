/// URI (RFC 7553 4.5): the target is the rest of the RDATA, printed as a quoted string.
public struct URI: RDataCodable {
    public var priority: UInt16
    public var weight: UInt16
    public var target: [UInt8]

    public init(priority: UInt16, weight: UInt16, target: [UInt8]) {
        self.priority = priority; self.weight = weight; self.target = target
    }
    public init(wire r: inout WireReader) throws(WireError) {
        priority = try r.u16(); weight = try r.u16()
        target = r.rest()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(priority); w.u16(weight); w.bytes(target)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        priority = try f.integer("priority")
        weight = try f.integer("weight")
        target = try f.octets("target")
    }
    public var presentation: String { "\(priority) \(weight) \(quotedString(target))" }
}
