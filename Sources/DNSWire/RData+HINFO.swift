/// HINFO: host CPU and operating system as two character-strings (RFC 1035 3.3.2).
public struct HINFO: RDataCodable {
    public var cpu: [UInt8]
    public var os: [UInt8]

    public init(cpu: [UInt8], os: [UInt8]) { self.cpu = cpu; self.os = os }
    public init(wire r: inout WireReader) throws(WireError) {
        cpu = try r.characterString()
        os = try r.characterString()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.characterString(cpu)
        w.characterString(os)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        cpu = try f.characterString("CPU")
        os = try f.characterString("OS")
    }
    public var presentation: String { "\(quotedString(cpu)) \(quotedString(os))" }
}
