/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator, so a failing seed
/// reproduces the same messages on every run and machine.
struct SeededRNG: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // The helpers below avoid the generic standard-library `random(in:using:)`, which is slow
    // in debug builds; the modulo bias over 64 bits is irrelevant for test data.

    /// A uniform integer in `r`.
    mutating func int(_ r: ClosedRange<Int>) -> Int {
        r.lowerBound + Int(truncatingIfNeeded: next() % UInt64(r.upperBound - r.lowerBound + 1))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }

    /// A uniform 32-bit value.
    mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: next()) }

    /// A uniform 16-bit value.
    mutating func u16() -> UInt16 { UInt16(truncatingIfNeeded: next()) }

    /// `n` uniformly random octets, eight from each step.
    mutating func bytes(_ n: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var v: UInt64 = 0
        for i in 0..<n {
            if i % 8 == 0 { v = next() }
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
        return out
    }

    /// One element of a non-empty array.
    mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }
}
