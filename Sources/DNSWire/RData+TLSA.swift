/// TLSA (RFC 6698 2.1) and SMIMEA (RFC 8162 2), which share the format.
public struct TLSA: RDataCodable {
    public var usage: UInt8
    public var selector: UInt8
    public var matchingType: UInt8
    public var data: [UInt8]

    public init(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8]) {
        self.usage = usage; self.selector = selector; self.matchingType = matchingType; self.data = data
    }
    public init(wire r: inout WireReader) throws(WireError) {
        usage = try r.u8(); selector = try r.u8(); matchingType = try r.u8()
        data = try r.nonEmptyRest(.tlsa, "certificate association data")
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u8(usage); w.u8(selector); w.u8(matchingType); w.bytes(data)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        usage = try f.integer("certificate usage")
        selector = try f.integer("selector")
        matchingType = try f.integer("matching type")
        data = try f.hexRest("certificate association data")
    }
    public var presentation: String { "\(usage) \(selector) \(matchingType) \(Hex.encodeLower(data))" }
}
