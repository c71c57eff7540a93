/// Limits of the NSEC/NSEC3 type bitmap (RFC 4034 4.1.2).
public enum TypeBitmapLimits {
    /// Longest bitmap of one window block: 256 types, 32 octets (RFC 4034 4.1.2).
    public static let maxBlockOctets = 32
}

/// The set of types present at a name, as the NSEC and NSEC3 type bitmaps carry it
/// (RFC 4034 4.1.2, RFC 5155 3.2.1): window blocks in increasing order, each bitmap 1 to 32
/// octets with no trailing zero octet.
public struct TypeBitmap: Sendable, Hashable {
    /// The types, sorted and without duplicates.
    public private(set) var types: [RRType]

    /// A bitmap holding `types` (sorted and deduplicated here).
    public init(_ types: some Sequence<RRType>) {
        self.types = Array(Set(types)).sorted()
    }

    /// True when `t` is in the set.
    public func contains(_ t: RRType) -> Bool { types.contains(t) }

    /// Decodes window blocks up to the reader's end. Rejects out-of-order or repeated windows,
    /// block lengths outside 1...32 and trailing zero octets (RFC 4034 4.1.2), so that one set
    /// has exactly one wire form.
    public init(wire r: inout WireReader, type: RRType) throws(WireError) {
        var out: [RRType] = []
        var last = -1
        while !r.isAtEnd {
            let at = r.offset
            let window = Int(try r.u8())
            let len = Int(try r.u8())
            if window <= last {
                throw WireError.bad(type, "type bitmap window \(window) is not after window \(last) (RFC 4034 4.1.2)", at: at)
            }
            if len == 0 || len > TypeBitmapLimits.maxBlockOctets {
                throw WireError.bad(type, "type bitmap block length \(len) is not 1 to \(TypeBitmapLimits.maxBlockOctets) (RFC 4034 4.1.2)", at: at + 1)
            }
            let bits = try r.bytes(len)
            if bits[len - 1] == 0 {
                throw WireError.bad(type, "type bitmap window \(window) ends in a zero octet (RFC 4034 4.1.2)", at: r.offset - 1)
            }
            for (i, b) in bits.enumerated() where b != 0 {
                for bit in 0..<8 where b & (0x80 >> bit) != 0 {
                    out.append(RRType(UInt16(window << 8 | i << 3 | bit)))
                }
            }
            last = window
        }
        types = out
    }

    /// Appends the window blocks.
    public func encode(to w: inout WireWriter) {
        var i = 0
        while i < types.count {
            let window = types[i].rawValue >> 8
            var bits = [UInt8](repeating: 0, count: TypeBitmapLimits.maxBlockOctets)
            var used = 0
            while i < types.count, types[i].rawValue >> 8 == window {
                let low = Int(types[i].rawValue & 0xFF)
                bits[low >> 3] |= 0x80 >> UInt8(low & 7)
                used = (low >> 3) + 1
                i += 1
            }
            w.u8(UInt8(window))
            w.u8(UInt8(used))
            w.bytes(bits[0..<used])
        }
    }

    /// Parses the remaining fields as type mnemonics or `TYPEnnn`; repeats are merged.
    public init(fields f: inout FieldReader) throws(PresentationError) {
        var out: [RRType] = []
        while !f.isAtEnd { out.append(try f.rrType("type in the type bitmap")) }
        self.init(out)
    }

    /// The types separated by spaces (empty when there are none).
    public var presentation: String { types.map(\.description).joined(separator: " ") }
}
