/// Limits on names, RFC 1035 section 2.3.4.
public enum NameLimits {
    /// Longest label, in octets (RFC 1035 2.3.4).
    public static let maxLabel = 63
    /// Longest name in wire form, length octets and the root label included (RFC 1035 2.3.4).
    public static let maxWire = 255
}

/// A domain name held as uncompressed wire bytes with case preserved, plus a lower-case key
/// computed once at construction, so comparisons and hashing never fold case again.
public struct Name: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Uncompressed wire form as received or written by the user: length-prefixed labels ending
    /// in the root label (a single 0).
    public let wire: [UInt8]
    /// `wire` with ASCII letters folded to lower case (RFC 4343); the identity of the name.
    public let key: [UInt8]

    /// The root name `.`.
    public static let root = Name(uncheckedWire: [0])

    /// Builds a name from wire bytes that the caller has already validated.
    @usableFromInline
    init(uncheckedWire wire: [UInt8]) {
        self.wire = wire
        var key = wire
        Name.foldCase(&key)
        self.key = key
    }

    /// Builds a name from uncompressed wire bytes, checking label and name lengths.
    public init(wire: [UInt8]) throws(WireError) {
        var i = 0
        while true {
            guard i < wire.count else { throw WireError(.truncated, at: i) }
            let len = Int(wire[i])
            if len == 0 { break }
            if len > NameLimits.maxLabel { throw WireError(.labelTooLong(len), at: i) }
            i += 1 + len
            if i >= NameLimits.maxWire { throw WireError(.nameTooLong, at: i) }
        }
        guard i + 1 == wire.count else { throw WireError(.trailingBytes, at: i + 1) }
        self.init(uncheckedWire: wire)
    }

    /// Builds a name from labels given as byte arrays (no dots, no escapes).
    public init(labels: [[UInt8]]) throws(WireError) {
        var w: [UInt8] = []
        for l in labels {
            if l.isEmpty { throw WireError(.emptyLabel, at: w.count) }
            if l.count > NameLimits.maxLabel { throw WireError(.labelTooLong(l.count), at: w.count) }
            w.append(UInt8(l.count))
            w.append(contentsOf: l)
        }
        w.append(0)
        if w.count > NameLimits.maxWire { throw WireError(.nameTooLong, at: w.count) }
        self.init(uncheckedWire: w)
    }

    @inlinable
    static func foldCase(_ bytes: inout [UInt8]) {
        for i in bytes.indices where bytes[i] &- 0x41 < 26 { bytes[i] |= 0x20 }
    }

    /// Lower-cases one ASCII byte.
    @inlinable
    public static func fold(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    public static func == (a: Name, b: Name) -> Bool { a.key == b.key }
    public func hash(into h: inout Hasher) { h.combine(key) }

    /// True for the root name.
    public var isRoot: Bool { wire.count == 1 }

    /// Number of labels, the root label not counted (RFC 4034 3.1.3 "Labels" field semantics).
    public var labelCount: Int {
        var n = 0, i = 0
        while wire[i] != 0 { n += 1; i += Int(wire[i]) + 1 }
        return n
    }

    /// Offsets of each label's length octet in `wire`, from the leftmost label.
    public var labelOffsets: [Int] {
        var r: [Int] = []
        var i = 0
        while wire[i] != 0 { r.append(i); i += Int(wire[i]) + 1 }
        return r
    }

    /// The labels, leftmost first, as byte arrays (case preserved).
    public var labels: [[UInt8]] {
        labelOffsets.map { Array(wire[($0 + 1)..<($0 + 1 + Int(wire[$0]))]) }
    }

    /// The name with its leftmost `n` labels removed.
    public func dropping(labels n: Int) -> Name {
        var i = 0
        for _ in 0..<n {
            guard wire[i] != 0 else { return .root }
            i += Int(wire[i]) + 1
        }
        return Name(uncheckedWire: Array(wire[i...]))
    }

    /// The parent name (one label removed); the root's parent is the root.
    public var parent: Name { dropping(labels: 1) }

    /// True when `self` equals `other` or lies below it (case-insensitive).
    public func isSubdomain(of other: Name) -> Bool {
        let k = key, o = other.key
        guard k.count >= o.count else { return false }
        let start = k.count - o.count
        // The suffix must start on a label boundary.
        var i = 0
        while i < start { i += Int(k[i]) + 1 }
        guard i == start else { return false }
        return k[start...].elementsEqual(o)
    }

    /// `prefix` labels prepended to `self`; fails when the result exceeds 255 octets.
    public func prepending(_ prefix: Name) throws(WireError) -> Name {
        let w = Array(prefix.wire.dropLast()) + wire
        if w.count > NameLimits.maxWire { throw WireError(.nameTooLong, at: w.count) }
        return Name(uncheckedWire: w)
    }

    /// Replaces the suffix `old` of this name by `new` (DNAME substitution, RFC 6672 2.2).
    public func replacingSuffix(_ old: Name, with new: Name) throws(WireError) -> Name {
        precondition(isSubdomain(of: old))
        let keep = wire.count - old.wire.count
        let w = Array(wire[..<keep]) + new.wire
        if w.count > NameLimits.maxWire { throw WireError(.nameTooLong, at: w.count) }
        return Name(uncheckedWire: w)
    }

    /// The wildcard name `*.self`.
    public var wildcard: Name {
        get throws(WireError) { try prepending(Name(uncheckedWire: [1, 0x2A, 0])) }
    }

    /// True when the leftmost label is `*` (RFC 4592 2.1.1).
    public var isWildcard: Bool { wire.count >= 3 && wire[0] == 1 && wire[1] == 0x2A }

    /// Canonical DNS name order (RFC 4034 6.1): compare label by label from the right, each
    /// label as a case-folded octet string.
    public static func < (a: Name, b: Name) -> Bool { canonicalCompare(a, b) < 0 }

    /// A key whose lexicographic order is the canonical order of names (RFC 4034 6.1): the
    /// lower-cased labels from the rightmost, each octet as its value + 1 and each label ended
    /// by 0, so a label sorts before any longer label it begins. Built once per name, it lets
    /// a million names be sorted without splitting them into labels at every comparison.
    public var canonicalOrderKey: [UInt16] {
        // Each label's length octet becomes the 0 after it, and the root label is dropped, so
        // the key has one element fewer than the wire form. Labels are read first to last and
        // written from the back, so one allocation does.
        let n = key.count - 1
        return key.withUnsafeBufferPointer { key in
            [UInt16](unsafeUninitializedCapacity: n) { out, count in
                var end = n
                var i = 0
                while key[i] != 0 {
                    let length = Int(key[i])
                    let start = end - length - 1
                    for k in 0..<length { out[start + k] = UInt16(key[i + 1 + k]) + 1 }
                    out[end - 1] = 0
                    end = start
                    i += length + 1
                }
                count = n
            }
        }
    }

    /// -1, 0 or 1 in canonical order (RFC 4034 6.1).
    public static func canonicalCompare(_ a: Name, _ b: Name) -> Int {
        let ao = a.labelOffsets, bo = b.labelOffsets
        var i = ao.count - 1, j = bo.count - 1
        while i >= 0 && j >= 0 {
            let la = a.key[(ao[i] + 1)..<(ao[i] + 1 + Int(a.key[ao[i]]))]
            let lb = b.key[(bo[j] + 1)..<(bo[j] + 1 + Int(b.key[bo[j]]))]
            if !la.elementsEqual(lb) {
                return la.lexicographicallyPrecedes(lb) ? -1 : 1
            }
            i -= 1; j -= 1
        }
        if i < 0 && j < 0 { return 0 }
        return i < 0 ? -1 : 1
    }

    // MARK: presentation format

    /// Parses a name in presentation format (RFC 1035 5.1): dots separate labels, `\X` escapes
    /// a character and `\DDD` gives an octet in decimal. A name without a final dot is relative
    /// to `origin`; `@` alone is `origin`.
    public init(parsing text: some StringProtocol, origin: Name? = nil) throws(PresentationError) {
        try self.init(parsing: String(text), origin: origin)
    }

    /// `init(parsing:origin:)` for a String: the one zone files and configs call, compiled for
    /// String rather than through the generic witnesses (a zone load parses a million names).
    public init(parsing text: String, origin: Name? = nil) throws(PresentationError) {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { throw PresentationError("empty name") }
        if bytes == [0x40] {
            guard let origin else { throw PresentationError("'@' used without an origin") }
            self = origin
            return
        }
        if bytes == [0x2E] { self = .root; return }
        var w: [UInt8] = []
        w.reserveCapacity(bytes.count + 2 + (origin?.wire.count ?? 0))
        w.append(0)
        var labelStart = 0
        var i = 0
        var absolute = false
        func closeLabel() throws(PresentationError) {
            let len = w.count - labelStart - 1
            if len == 0 { throw PresentationError("empty label in name '\(text)'") }
            if len > NameLimits.maxLabel {
                throw PresentationError("label of \(len) octets in '\(text)' exceeds \(NameLimits.maxLabel)")
            }
            w[labelStart] = UInt8(len)
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x2E {  // '.'
                try closeLabel()
                if i == bytes.count - 1 { absolute = true; i += 1; break }
                labelStart = w.count
                w.append(0)
                i += 1
                continue
            }
            if c == 0x5C {  // '\'
                guard i + 1 < bytes.count else { throw PresentationError("dangling '\\' in name '\(text)'") }
                let d0 = bytes[i + 1]
                if d0 >= 0x30 && d0 <= 0x39 {
                    guard let v = decimalEscape(bytes, i + 1)
                    else { throw PresentationError("bad \\DDD escape in name '\(text)'") }
                    w.append(v)
                    i += 4
                } else {
                    w.append(d0)
                    i += 2
                }
                continue
            }
            w.append(c)
            i += 1
        }
        if !absolute { try closeLabel() }
        if absolute {
            w.append(0)
        } else if let origin {
            w.append(contentsOf: origin.wire)
        } else {
            throw PresentationError("relative name '\(text)' without an origin")
        }
        if w.count > NameLimits.maxWire {
            throw PresentationError("name '\(text)' is \(w.count) octets in wire form, more than \(NameLimits.maxWire)")
        }
        self.init(uncheckedWire: w)
    }

    /// Presentation form, absolute (with the final dot). Escapes `.`, `;`, `(`, `)`, `"`, `\`,
    /// `@` and `$` with a backslash and non-printable octets as `\DDD`, as BIND and Knot do.
    public var description: String {
        if isRoot { return "." }
        var out: [UInt8] = []
        out.reserveCapacity(wire.count + 4)
        var i = 0
        while wire[i] != 0 {
            let len = Int(wire[i])
            for b in wire[(i + 1)...(i + len)] { Name.appendEscaped(b, to: &out) }
            out.append(0x2E)
            i += len + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func appendEscaped(_ b: UInt8, to out: inout [UInt8]) {
        switch b {
        case 0x2E, 0x3B, 0x28, 0x29, 0x22, 0x5C, 0x40, 0x24:
            out.append(0x5C); out.append(b)
        case 0x21...0x7E:
            out.append(b)
        default:
            appendDecimalEscape(b, to: &out)
        }
    }
}

/// Appends `\DDD` for an octet.
@inlinable
func appendDecimalEscape(_ b: UInt8, to out: inout [UInt8]) {
    out.append(0x5C)
    out.append(0x30 + b / 100)
    out.append(0x30 + (b / 10) % 10)
    out.append(0x30 + b % 10)
}

/// Reads the three decimal digits at `i` as an octet value (RFC 1035 5.1 `\DDD`).
func decimalEscape(_ bytes: [UInt8], _ i: Int) -> UInt8? {
    guard i + 2 < bytes.count else { return nil }
    var v = 0
    for k in 0..<3 {
        let d = bytes[i + k]
        guard d >= 0x30 && d <= 0x39 else { return nil }
        v = v * 10 + Int(d - 0x30)
    }
    return v <= 255 ? UInt8(v) : nil
}
