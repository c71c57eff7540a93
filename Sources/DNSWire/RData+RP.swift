/// RP: responsible person, a mailbox and a TXT owner (RFC 1183 2.2).
public struct RP: RDataCodable {
    public var mailbox: Name
    public var textName: Name

    public init(mailbox: Name, textName: Name) { self.mailbox = mailbox; self.textName = textName }
    public init(wire r: inout WireReader) throws(WireError) {
        mailbox = try r.uncompressedName()
        textName = try r.uncompressedName()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.name(mailbox, compress: compress, lowercase: lowercase)
        w.name(textName, compress: compress, lowercase: lowercase)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        mailbox = try f.name("mailbox")
        textName = try f.name("TXT name")
    }
    public var presentation: String { "\(mailbox) \(textName)" }
}
