/// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012), the MAC of
/// interoperable DNS server cookies (RFC 9018 4.4). Streaming, allocation-free: bytes are fed one
/// at a time into a 64-bit word, which suits the short (at most 36-octet) cookie input.
public struct SipHash24: Sendable {
    private var v0: UInt64
    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    /// The partial little-endian word being filled.
    private var word: UInt64 = 0
    /// Total bytes fed so far; its low byte goes into the final block.
    private var length: Int = 0

    /// Starts a hash keyed by two 64-bit halves, each the little-endian reading of 8 key octets.
    public init(k0: UInt64, k1: UInt64) {
        v0 = 0x736f_6d65_7073_6575 ^ k0
        v1 = 0x646f_7261_6e64_6f6d ^ k1
        v2 = 0x6c79_6765_6e65_7261 ^ k0
        v3 = 0x7465_6462_7974_6573 ^ k1
    }

    /// Starts a hash keyed by 16 octets (the paper's `k`); traps on any other length.
    public init(key: [UInt8]) {
        precondition(key.count == 16, "SipHash key must be 16 octets")
        self.init(k0: SipHash24.littleEndian(key, 0), k1: SipHash24.littleEndian(key, 8))
    }

    /// Reads 8 octets at `at` as a little-endian 64-bit word.
    static func littleEndian(_ b: [UInt8], _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(b[at + i]) }
        return v
    }

    @inline(__always)
    private mutating func round() {
        v0 &+= v1; v1 = v1.rotated(13); v1 ^= v0; v0 = v0.rotated(32)
        v2 &+= v3; v3 = v3.rotated(16); v3 ^= v2
        v0 &+= v3; v3 = v3.rotated(21); v3 ^= v0
        v2 &+= v1; v1 = v1.rotated(17); v1 ^= v2; v2 = v2.rotated(32)
    }

    @inline(__always)
    private mutating func compress(_ m: UInt64) {
        v3 ^= m
        round(); round()  // c = 2
        v0 ^= m
    }

    /// Feeds one octet.
    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        word |= UInt64(byte) << (UInt64(length & 7) * 8)
        length += 1
        if length & 7 == 0 {
            compress(word)
            word = 0
        }
    }

    /// Feeds octets in order.
    @inlinable
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        for b in bytes { append(b) }
    }

    /// Finishes the hash: the last block carries the length's low octet (d = 4 final rounds).
    public mutating func finalize() -> UInt64 {
        compress(word | UInt64(UInt8(truncatingIfNeeded: length)) << 56)
        v2 ^= 0xFF
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }

    /// One-shot hash of `message` under a 16-octet key.
    public static func hash(key: [UInt8], _ message: some Sequence<UInt8>) -> UInt64 {
        var h = SipHash24(key: key)
        h.append(contentsOf: message)
        return h.finalize()
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotated(_ n: UInt64) -> UInt64 { self << n | self >> (64 - n) }
}
