// Shared by every fuzz target: turning a broken invariant into a crash libFuzzer records.

/// Crashes with `message` when `condition` is false. A crash is how a fuzz target reports a
/// broken invariant: libFuzzer keeps the input that caused it.
@inline(__always)
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String, input: [UInt8]) {
    if !condition {
        fatalError("fuzz invariant broken: \(message())\ninput hex: \(fuzzHex(input))")
    }
}

/// Lower-case hex of `bytes`, for failure messages and regression tests.
func fuzzHex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Copies libFuzzer's input into an array.
@inline(__always)
func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
