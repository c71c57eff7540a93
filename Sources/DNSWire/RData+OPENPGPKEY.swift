/// OPENPGPKEY: an OpenPGP transferable public key, base64 in presentation (RFC 7929 2).
public struct OPENPGPKEY: RDataCodable {
    public var key: [UInt8]

    public init(key: [UInt8]) { self.key = key }
    public init(wire r: inout WireReader) throws(WireError) { key = try r.nonEmptyRest(.openpgpkey, "key") }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) { w.bytes(key) }
    public init(fields f: inout FieldReader) throws(PresentationError) { key = try f.base64Rest("OpenPGP key") }
    public var presentation: String { Base64.encode(key) }
}
