/// An error decoding or encoding DNS wire format; carries the byte offset where it was found.
public struct WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Equatable, Sendable {
        /// The data ended before the structure being read was complete.
        case truncated
        /// A label length octet of 64..127 (over 63, RFC 1035 2.3.4; 0x40 is the obsolete
        /// extended label type of RFC 6891 section 5).
        case labelTooLong(Int)
        /// A name over 255 octets (RFC 1035 2.3.4).
        case nameTooLong
        /// A label type 0b10 (reserved, RFC 6891 section 5).
        case reservedLabelType(UInt8)
        /// A compression pointer to or after its own position (RFC 1035 4.1.4 allows only
        /// pointers to a prior occurrence).
        case forwardPointer(target: Int)
        /// A compression pointer into the 12-octet header.
        case pointerIntoHeader(target: Int)
        /// More compression pointers in one name than a legal name can need.
        case tooManyPointers
        /// RDATA parsing stopped before RDLENGTH was consumed (under-run).
        case rdataUnderrun(type: UInt16, left: Int)
        /// RDATA parsing needed more bytes than RDLENGTH gives (over-run).
        case rdataOverrun(type: UInt16)
        /// An RDATA field holds a value the type does not allow.
        case badRData(type: UInt16, reason: String)
        /// A section count promises more records than the message holds.
        case countPastEnd(section: Section)
        /// Bytes after the last record of the message.
        case trailingBytes
        /// A label of length zero where one is not allowed (only the root label is empty).
        case emptyLabel
        /// More than one OPT record (RFC 6891 6.1.1).
        case duplicateOPT
        /// An OPT record outside the additional section or with a non-root owner (RFC 6891 6.1.1).
        case misplacedOPT
        /// A message or field too large for the wire (a 16-bit length overflowed).
        case tooLarge
    }

    /// The message sections, for errors that name one.
    public enum Section: String, Sendable { case question, answer, authority, additional }

    public let code: Code
    /// Byte offset from the start of the message (or of the buffer being decoded).
    public let offset: Int

    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch code {
        case .truncated: what = "data ends early"
        case .labelTooLong(let n): what = "label length \(n) exceeds 63"
        case .nameTooLong: what = "name exceeds 255 octets"
        case .reservedLabelType(let b): what = "reserved label type 0x\(String(b, radix: 16))"
        case .forwardPointer(let t): what = "compression pointer to \(t) does not point backwards"
        case .pointerIntoHeader(let t): what = "compression pointer to \(t) points into the header"
        case .tooManyPointers: what = "too many compression pointers in one name"
        case .rdataUnderrun(let t, let left): what = "RDATA of type \(RRType(rawValue: t)) has \(left) unused octets"
        case .rdataOverrun(let t): what = "RDATA of type \(RRType(rawValue: t)) runs past its RDLENGTH"
        case .badRData(let t, let r): what = "bad RDATA for \(RRType(rawValue: t)): \(r)"
        case .countPastEnd(let s): what = "\(s.rawValue) count runs past the end of the message"
        case .trailingBytes: what = "unexpected bytes after the last record"
        case .emptyLabel: what = "empty label"
        case .duplicateOPT: what = "more than one OPT record"
        case .misplacedOPT: what = "OPT record outside the additional section or not owned by the root"
        case .tooLarge: what = "message too large"
        }
        return "\(what) (at byte \(offset))"
    }
}

/// An error parsing presentation (text) format; `token` is the index of the field at fault
/// within the fields given, so a zone-file parser can map it back to a line and column.
public struct PresentationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// Index of the offending field, when known.
    public var token: Int?

    public init(_ message: String, token: Int? = nil) {
        self.message = message
        self.token = token
    }

    public var description: String { message }
}
