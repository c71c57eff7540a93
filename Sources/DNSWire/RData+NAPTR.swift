/// NAPTR: naming authority pointer (RFC 3403 4.1).
public struct NAPTR: RDataCodable {
    public var order: UInt16
    public var preference: UInt16
    public var flags: [UInt8]
    public var services: [UInt8]
    public var regexp: [UInt8]
    public var replacement: Name

    public init(order: UInt16, preference: UInt16, flags: [UInt8], services: [UInt8], regexp: [UInt8], replacement: Name) {
        self.order = order; self.preference = preference; self.flags = flags
        self.services = services; self.regexp = regexp; self.replacement = replacement
    }
    public init(wire r: inout WireReader) throws(WireError) {
        order = try r.u16(); preference = try r.u16()
        flags = try r.characterString()
        services = try r.characterString()
        regexp = try r.characterString()
        replacement = try r.uncompressedName()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(order); w.u16(preference)
        w.characterString(flags); w.characterString(services); w.characterString(regexp)
        w.name(replacement, compress: compress, lowercase: lowercase)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        order = try f.integer("order")
        preference = try f.integer("preference")
        flags = try f.characterString("flags")
        services = try f.characterString("services")
        regexp = try f.characterString("regexp")
        replacement = try f.name("replacement")
    }
    public var presentation: String {
        "\(order) \(preference) \(quotedString(flags)) \(quotedString(services)) \(quotedString(regexp)) \(replacement)"
    }
}
