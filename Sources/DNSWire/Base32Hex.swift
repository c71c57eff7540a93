/// Base32 with the extended hex alphabet (RFC 4648 7), without padding, as NSEC3 owner hashes
/// are written (RFC 5155 3.3). Lower case on output, either case on input.
public enum Base32Hex {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuv".utf8)

    public static func encode(_ b: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((b.count * 8 + 4) / 5)
        var acc = 0, bits = 0
        for x in b {
            acc = (acc << 8) | Int(x)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(acc >> (bits - 5)) & 31])
                bits -= 5
            }
            acc &= (1 << bits) - 1
        }
        if bits > 0 { out.append(alphabet[(acc << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes unpadded base32hex; nil on a bad digit, an impossible length or non-zero
    /// leftover bits (so each octet string has exactly one text form).
    public static func decode(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc = 0, bits = 0
        for c in s.utf8 {
            let v: Int
            switch c {
            case 0x30...0x39: v = Int(c - 0x30)
            case 0x41...0x56: v = Int(c - 0x41) + 10
            case 0x61...0x76: v = Int(c - 0x61) + 10
            default: return nil
            }
            acc = (acc << 5) | v
            bits += 5
            if bits >= 8 {
                out.append(UInt8((acc >> (bits - 8)) & 0xFF))
                bits -= 8
                acc &= (1 << bits) - 1
            }
        }
        // Leftover bits must be padding: fewer than 5 and all zero.
        guard bits < 5, acc == 0 else { return nil }
        return out
    }
}
