import DNSWire

/// An immutable open-addressing hash table from case-folded wire names to dense indices.
/// Keys live end to end in one byte arena; a lookup hashes and compares a slice of the query
/// name's `key` in place, so probing every suffix of a name allocates nothing.
public struct NameTable: Sendable {
    /// The folded wire keys, end to end; entry `i` is `arena[starts[i] ..< starts[i] + lengths[i]]`.
    let arena: [UInt8]
    let starts: [Int32]
    let lengths: [UInt8]
    /// Linear-probing slots holding entry indices, -1 when empty; a power of two in size.
    let slots: [Int32]
    let mask: Int

    /// Builds the table; entry `i` is `keys[i]`, which must be distinct folded wire names.
    public init(keys: [[UInt8]]) {
        var arena: [UInt8] = []
        arena.reserveCapacity(keys.reduce(0) { $0 + $1.count })
        var starts: [Int32] = [], lengths: [UInt8] = []
        starts.reserveCapacity(keys.count); lengths.reserveCapacity(keys.count)
        for k in keys {
            starts.append(Int32(arena.count))
            lengths.append(UInt8(k.count))
            arena.append(contentsOf: k)
        }
        // Load factor at most 1/2 keeps probe sequences short.
        var capacity = 8
        while capacity < keys.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (i, k) in keys.enumerated() {
            var s = k.withUnsafeBufferPointer { Int(truncatingIfNeeded: NameTable.hash($0)) } & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(i)
        }
        self.arena = arena; self.starts = starts; self.lengths = lengths
        self.slots = slots; self.mask = mask
    }

    /// Number of entries.
    public var count: Int { starts.count }

    /// FNV-1a over the bytes (the keys are already case-folded).
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The index of the entry equal to `key[from...]` (a suffix starting on a label boundary
    /// of a folded wire name), or -1.
    public func find(_ key: [UInt8], from: Int = 0) -> Int32 {
        key.withUnsafeBufferPointer { all in
            find(UnsafeBufferPointer(rebasing: all[from...]))
        }
    }

    /// The index of the entry equal to `probe`, or -1.
    public func find(_ probe: UnsafeBufferPointer<UInt8>) -> Int32 {
        var s = Int(truncatingIfNeeded: NameTable.hash(probe)) & mask
        return arena.withUnsafeBufferPointer { arena in
            while true {
                let e = slots[s]
                if e < 0 { return -1 }
                let len = Int(lengths[Int(e)])
                if len == probe.count {
                    let start = Int(starts[Int(e)])
                    if memcmpEqual(arena.baseAddress! + start, probe.baseAddress!, len) { return e }
                }
                s = (s + 1) & mask
            }
        }
    }

    /// The index of the longest suffix of `key` (a folded wire name) that is in the table,
    /// with the offset in `key` where that suffix starts; (-1, -1) when none is.
    public func longestSuffix(of key: [UInt8]) -> (index: Int32, offset: Int) {
        key.withUnsafeBufferPointer { all in
            var i = 0
            while true {
                let e = find(UnsafeBufferPointer(rebasing: all[i...]))
                if e >= 0 { return (e, i) }
                let len = Int(all[i])
                if len == 0 { return (-1, -1) }
                i += len + 1
            }
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
