import TestSupport

/// The messages' generator: the shared SplitMix64 (TestSupport) with the helpers below.
typealias SeededRNG = SplitMix64

extension SplitMix64 {
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
