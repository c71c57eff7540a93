/// EUI48 (RFC 7043 3) and EUI64 (RFC 7043 4): a hardware address printed as hyphen-separated
/// lower-case hex pairs. `count` is 6 or 8.
func parseEUI(_ f: inout FieldReader, count: Int) throws(PresentationError) -> [UInt8] {
    let t = try f.next("EUI-\(count * 8) address")
    let parts = t.text.split(separator: "-", omittingEmptySubsequences: false)
    var out: [UInt8] = []
    for p in parts {
        guard p.utf8.count == 2, let b = Hex.decode(String(p)), b.count == 1 else { break }
        out.append(b[0])
    }
    guard parts.count == count, out.count == count else {
        throw f.error("'\(t.text)' is not an EUI-\(count * 8) address of \(count) hex pairs separated by '-' (RFC 7043)")
    }
    return out
}

func formatEUI(_ b: [UInt8]) -> String { b.map { Hex.encodeLower([$0]) }.joined(separator: "-") }

/// EUI48: a 48-bit extended unique identifier (RFC 7043 3).
public struct EUI48: RDataCodable {
    public var address: [UInt8]
    public init(_ address: [UInt8]) { precondition(address.count == 6); self.address = address }
    public init(wire r: inout WireReader) throws(WireError) { address = try r.bytes(6) }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) { w.bytes(address) }
    public init(fields f: inout FieldReader) throws(PresentationError) { address = try parseEUI(&f, count: 6) }
    public var presentation: String { formatEUI(address) }
}
