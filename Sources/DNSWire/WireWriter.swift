/// How names inside RDATA are written.
public struct NameEncoding: Sendable, Equatable {
    /// Compression allowed (only ever applied to the RFC 1035 types, RFC 3597 4).
    public var compress: Bool
    /// Lower-case the names of the types RFC 4034 6.2 lists (canonical form).
    public var canonical: Bool

    /// Ordinary message encoding: compress where the type allows it.
    public static let message = NameEncoding(compress: true, canonical: false)
    /// No compression, case preserved (zone files, stored RDATA).
    public static let plain = NameEncoding(compress: false, canonical: false)
    /// Canonical form (RFC 4034 6.2): no compression, listed names lower-cased.
    public static let canonical = NameEncoding(compress: false, canonical: true)
}

/// Limits applied while encoding.
public enum EncodeLimits {
    /// Largest DNS message (16-bit TCP length, RFC 1035 4.2.2).
    public static let maxMessage = 65535
    /// Compression pointers address 14 bits (RFC 1035 4.1.4).
    public static let maxPointerTarget = 0x3FFF
    /// Name positions remembered for compression. Later names are still written, just not
    /// offered as targets; a bound keeps the per-name search cost fixed.
    public static let compressionTableSize = 128
}

/// Appends DNS wire format to a growable buffer, with name compression and mark/roll-back so a
/// caller can undo a partly written RRset that does not fit (NSD's "mark, try, roll back").
public struct WireWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]
    /// Offsets of names (and their suffixes) already written, candidates for compression.
    @usableFromInline var table: [UInt16]

    /// A point to roll back to.
    public struct Mark: Sendable {
        public let count: Int
        let tableCount: Int
    }

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
        table = []
        table.reserveCapacity(EncodeLimits.compressionTableSize)
    }

    /// Empties the writer but keeps its storage, so a hot loop can reuse it.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        table.removeAll(keepingCapacity: true)
    }

    @inlinable public var count: Int { bytes.count }

    public func mark() -> Mark { Mark(count: bytes.count, tableCount: table.count) }

    /// Forgets everything written after `m`, including compression targets.
    public mutating func rollback(to m: Mark) {
        bytes.removeSubrange(m.count...)
        table.removeSubrange(m.tableCount...)
    }

    @inlinable public mutating func u8(_ v: UInt8) { bytes.append(v) }

    @inlinable
    public mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(v >> 8))
        bytes.append(UInt8(v & 0xFF))
    }

    @inlinable
    public mutating func u32(_ v: UInt32) {
        bytes.append(UInt8(v >> 24))
        bytes.append(UInt8((v >> 16) & 0xFF))
        bytes.append(UInt8((v >> 8) & 0xFF))
        bytes.append(UInt8(v & 0xFF))
    }

    @inlinable
    public mutating func bytes(_ b: some Sequence<UInt8>) { bytes.append(contentsOf: b) }

    /// Overwrites a 16-bit value at `offset` (for lengths known only after writing).
    @inlinable
    public mutating func set16(_ v: UInt16, at offset: Int) {
        bytes[offset] = UInt8(v >> 8)
        bytes[offset + 1] = UInt8(v & 0xFF)
    }

    /// Writes a length-prefixed character-string (RFC 1035 3.3); callers keep it to 255 bytes.
    public mutating func characterString(_ s: [UInt8]) {
        precondition(s.count <= 255, "character-string over 255 octets")
        bytes.append(UInt8(s.count))
        bytes.append(contentsOf: s)
    }

    /// Writes a name, compressed against earlier names when `compress` is true. Every suffix
    /// that starts within pointer range is remembered as a target for later names either way.
    public mutating func name(_ n: Name, compress: Bool = true, lowercase: Bool = false) {
        let src = lowercase ? n.key : n.wire
        // Only names written before this one are candidates: the labels of this name are not
        // terminated yet, so matching against them would run off the end of `bytes` (a name
        // such as a.a.b. used to trap here).
        let known = table.count
        var i = 0
        while src[i] != 0 {
            if compress, let target = findSuffix(n.key, from: i, among: known) {
                u16(0xC000 | UInt16(target))
                return
            }
            let here = bytes.count
            if here <= EncodeLimits.maxPointerTarget && table.count < EncodeLimits.compressionTableSize {
                table.append(UInt16(here))
            }
            let len = Int(src[i])
            bytes.append(contentsOf: src[i...(i + len)])
            i += len + 1
        }
        bytes.append(0)
    }

    /// Finds an earlier written name equal (case-insensitively) to the suffix of `key` that
    /// starts at `from`, among the first `count` table entries.
    func findSuffix(_ key: [UInt8], from: Int, among count: Int) -> Int? {
        for t in table[..<count] where matches(key, from: from, at: Int(t)) { return Int(t) }
        return nil
    }

    /// Compares the written name at `at` (following pointers in our own output) with the
    /// suffix of `key` starting at `from`.
    func matches(_ key: [UInt8], from: Int, at: Int) -> Bool {
        var k = from
        var p = at
        var hops = 0
        while true {
            var len = bytes[p]
            while len & 0xC0 == 0xC0 {
                hops += 1
                if hops > DecodeLimits.maxPointers { return false }
                p = Int(len & 0x3F) << 8 | Int(bytes[p + 1])
                len = bytes[p]
            }
            guard len == key[k] else { return false }
            if len == 0 { return true }
            let n = Int(len)
            for j in 1...n where Name.fold(bytes[p + j]) != key[k + j] { return false }
            p += n + 1
            k += n + 1
        }
    }
}
