/// Limits that bound decoding work on untrusted input.
public enum DecodeLimits {
    /// Most compression pointers followed in one name. A legal name has at most 127 labels
    /// (255 octets), so it never needs more pointers than that.
    public static let maxPointers = 127
}

/// A bounds-checked cursor over a whole DNS message. Reads never trap: running off the end is a
/// `WireError` with the offset. `end` can be narrowed to the RDATA being read.
public struct WireReader: Sendable {
    /// The whole message (compression pointers refer to offsets in it).
    public let bytes: [UInt8]
    /// Next byte to read.
    public var offset: Int
    /// One past the last byte the current structure may use.
    public var end: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.end = bytes.count
    }

    /// Bytes left before `end`.
    @inlinable public var remaining: Int { end - offset }
    /// True when nothing is left before `end`.
    @inlinable public var isAtEnd: Bool { offset >= end }

    @inlinable
    public mutating func u8() throws(WireError) -> UInt8 {
        guard offset < end else { throw WireError(.truncated, at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inlinable
    public mutating func u16() throws(WireError) -> UInt16 {
        guard offset + 2 <= end else { throw WireError(.truncated, at: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    @inlinable
    public mutating func u32() throws(WireError) -> UInt32 {
        guard offset + 4 <= end else { throw WireError(.truncated, at: offset) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// Reads `n` bytes.
    @inlinable
    public mutating func bytes(_ n: Int) throws(WireError) -> [UInt8] {
        guard n >= 0, offset + n <= end else { throw WireError(.truncated, at: offset) }
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    /// Reads everything left before `end`.
    public mutating func rest() -> [UInt8] {
        let r = Array(bytes[offset..<max(offset, end)])
        offset = max(offset, end)
        return r
    }

    /// Reads a length-prefixed character-string (RFC 1035 3.3).
    public mutating func characterString() throws(WireError) -> [UInt8] {
        let n = Int(try u8())
        return try bytes(n)
    }

    /// Reads a possibly compressed name (RFC 1035 4.1.4). Each pointer must point strictly
    /// before the start of the run of labels that contains it, and never into the header, so
    /// the walk always terminates; the number of pointers is bounded as well.
    public mutating func name() throws(WireError) -> Name {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var pos = offset
        var runStart = offset
        var limit = end  // only the uncompressed part of the name must fit before `end`
        var jumped = false
        var pointers = 0
        while true {
            guard pos < limit else { throw WireError(.truncated, at: pos) }
            let len = bytes[pos]
            switch len & 0xC0 {
            case 0x00:
                if len == 0 {
                    out.append(0)
                    if !jumped { offset = pos + 1 }
                    return Name(uncheckedWire: out)
                }
                let n = Int(len)
                guard pos + 1 + n <= limit else { throw WireError(.truncated, at: pos) }
                if out.count + 1 + n + 1 > NameLimits.maxWire { throw WireError(.nameTooLong, at: pos) }
                out.append(contentsOf: bytes[pos..<(pos + 1 + n)])
                pos += 1 + n
            case 0xC0:
                guard pos + 2 <= limit else { throw WireError(.truncated, at: pos) }
                let target = Int(len & 0x3F) << 8 | Int(bytes[pos + 1])
                if target < Header.size { throw WireError(.pointerIntoHeader(target: target), at: pos) }
                if target >= runStart { throw WireError(.forwardPointer(target: target), at: pos) }
                pointers += 1
                if pointers > DecodeLimits.maxPointers { throw WireError(.tooManyPointers, at: pos) }
                if !jumped { offset = pos + 2; jumped = true }
                pos = target
                runStart = target
                limit = bytes.count
            case 0x40:
                throw WireError(.labelTooLong(Int(len)), at: pos)
            default:
                throw WireError(.reservedLabelType(len), at: pos)
            }
        }
    }

    /// Reads an uncompressed name: RDATA fields of types defined after RFC 1035 must not be
    /// compressed (RFC 3597 4), but receivers may still decompress them, so this only differs
    /// from `name()` in documentation; kept for symmetry with the writer.
    public mutating func uncompressedName() throws(WireError) -> Name { try name() }
}
