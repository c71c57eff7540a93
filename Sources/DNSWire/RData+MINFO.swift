/// MINFO: mailbox information (RFC 1035 3.3.7); an RFC 1035 type, so its names may be compressed.
public struct MINFO: RDataCodable {
    public var responsibleMailbox: Name
    public var errorMailbox: Name

    public init(responsibleMailbox: Name, errorMailbox: Name) {
        self.responsibleMailbox = responsibleMailbox; self.errorMailbox = errorMailbox
    }
    public init(wire r: inout WireReader) throws(WireError) {
        responsibleMailbox = try r.name()
        errorMailbox = try r.name()
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.name(responsibleMailbox, compress: compress, lowercase: lowercase)
        w.name(errorMailbox, compress: compress, lowercase: lowercase)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        responsibleMailbox = try f.name("responsible mailbox (RMAILBX)")
        errorMailbox = try f.name("error mailbox (EMAILBX)")
    }
    public var presentation: String { "\(responsibleMailbox) \(errorMailbox)" }
}
