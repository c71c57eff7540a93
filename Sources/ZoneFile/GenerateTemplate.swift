/// A BIND `$GENERATE` template (the lhs or one rhs field): literal text with `$` and
/// `${offset[,width[,base]]}` substitutions; `\$` is a literal dollar sign.
struct GenerateTemplate: Sendable, Equatable {
    /// One piece of a template.
    enum Piece: Sendable, Equatable {
        case literal([UInt8])
        /// The iterator plus `offset`, at least `width` characters wide, in `base`:
        /// d (decimal), o (octal), x/X (hex), n/N (nibble labels, BIND's reverse-IPv6 form).
        case value(offset: Int, width: Int, base: UInt8)
    }

    var pieces: [Piece]

    /// Parses a template; the error message says what is wrong with a `${...}` modifier.
    init(_ text: String) throws(TemplateError) {
        let b = Array(text.utf8)
        var pieces: [Piece] = []
        var lit: [UInt8] = []
        var i = 0
        func flush() { if !lit.isEmpty { pieces.append(.literal(lit)); lit = [] } }
        while i < b.count {
            let c = b[i]
            if c == 0x5C, i + 1 < b.count {
                // `\$` and every other escape are kept for the presentation parser, which
                // reads `\$` as a plain `$`.
                lit.append(c); lit.append(b[i + 1]); i += 2
                continue
            }
            guard c == 0x24 else { lit.append(c); i += 1; continue }  // '$'
            flush()
            i += 1
            guard i < b.count, b[i] == 0x7B else {  // '{'
                pieces.append(.value(offset: 0, width: 0, base: 0x64))
                continue
            }
            guard let close = b[i...].firstIndex(of: 0x7D) else {
                throw TemplateError("'${' without a closing '}' in '\(text)'")
            }
            let inner = String(decoding: b[(i + 1)..<close], as: UTF8.self)
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count >= 1, parts.count <= 3, let offset = Int(parts[0]) else {
                throw TemplateError("'${\(inner)}' is not ${offset[,width[,base]]}")
            }
            var width = 0
            if parts.count >= 2 {
                guard let w = Int(parts[1]), w >= 0, w <= ZoneFileLimits.maxGenerateWidth else {
                    throw TemplateError("width '\(parts[1])' in '${\(inner)}' must be a number from 0 to \(ZoneFileLimits.maxGenerateWidth)")
                }
                width = w
            }
            var base: UInt8 = 0x64
            if parts.count == 3 {
                let p = Array(parts[2].utf8)
                guard p.count == 1, [0x64, 0x6F, 0x78, 0x58, 0x6E, 0x4E].contains(p[0]) else {
                    throw TemplateError("base '\(parts[2])' in '${\(inner)}' must be one of d, o, x, X, n, N")
                }
                base = p[0]
            }
            pieces.append(.value(offset: offset, width: width, base: base))
            i = close + 1
        }
        flush()
        self.pieces = pieces
    }

    /// True when the template substitutes the iterator somewhere.
    var hasSubstitution: Bool {
        pieces.contains { if case .value = $0 { true } else { false } }
    }

    /// The text for iterator value `n`.
    func expand(_ n: Int) throws(TemplateError) -> String {
        var out: [UInt8] = []
        for p in pieces {
            switch p {
            case .literal(let l): out += l
            case .value(let offset, let width, let base):
                let v = n + offset
                out += try GenerateTemplate.format(v, width: width, base: base)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func format(_ v: Int, width: Int, base: UInt8) throws(TemplateError) -> [UInt8] {
        if base == 0x6E || base == 0x4E { return try nibbles(v, width: width, upper: base == 0x4E) }
        let radix: Int, upper: Bool
        switch base {
        case 0x6F: radix = 8; upper = false
        case 0x78: radix = 16; upper = false
        case 0x58: radix = 16; upper = true
        default: radix = 10; upper = false
        }
        if v < 0 && radix != 10 {
            throw TemplateError("value \(v) is negative and cannot be written in base \(radix)")
        }
        var digits = Array(String(v.magnitude, radix: radix, uppercase: upper).utf8)
        let sign: [UInt8] = v < 0 ? [0x2D] : []
        let pad = width - sign.count - digits.count
        if pad > 0 { digits = [UInt8](repeating: 0x30, count: pad) + digits }
        return sign + digits
    }

    /// BIND's nibble mode: hex digits least significant first, separated by dots; `width`
    /// counts characters (dots included) and pads with zero nibbles, as in BIND's `nibbles()`.
    static func nibbles(_ value: Int, width: Int, upper: Bool) throws(TemplateError) -> [UInt8] {
        guard value >= 0 else { throw TemplateError("value \(value) is negative and cannot be written as nibbles") }
        let hex = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var v = value, w = width
        var out: [UInt8] = []
        repeat {
            out.append(hex[v & 0xF])
            v >>= 4
            if w > 0 { w -= 1 }
            if w > 0 || v != 0 {
                out.append(0x2E)
                if w > 0 { w -= 1 }
            }
        } while v != 0 || w > 0
        return out
    }
}

/// Why a `$GENERATE` template or its expansion failed.
struct TemplateError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
