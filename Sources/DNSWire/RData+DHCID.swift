/// DHCID: DHCP client identifier digest, base64 in presentation (RFC 4701 3.3).
public struct DHCID: RDataCodable {
    public var data: [UInt8]

    public init(data: [UInt8]) { self.data = data }
    public init(wire r: inout WireReader) throws(WireError) { data = try r.nonEmptyRest(.dhcid, "DHCID data") }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) { w.bytes(data) }
    public init(fields f: inout FieldReader) throws(PresentationError) { data = try f.base64Rest("DHCID data") }
    public var presentation: String { Base64.encode(data) }
}
