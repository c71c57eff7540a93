/// EUI64: a 64-bit extended unique identifier (RFC 7043 4).
public struct EUI64: RDataCodable {
    public var address: [UInt8]
    public init(_ address: [UInt8]) { precondition(address.count == 8); self.address = address }
    public init(wire r: inout WireReader) throws(WireError) { address = try r.bytes(8) }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) { w.bytes(address) }
    public init(fields f: inout FieldReader) throws(PresentationError) { address = try parseEUI(&f, count: 8) }
    public var presentation: String { formatEUI(address) }
}
