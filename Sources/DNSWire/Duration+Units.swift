/// The one place Tack converts a `Duration` to the integer or floating units that system calls,
/// Dispatch, EDNS options and messages need. Conversions truncate toward zero and saturate
/// instead of trapping on overflow.
extension Duration {
    /// Whole milliseconds (e.g. poll(2) timeouts, edns-tcp-keepalive's 100 ms units).
    public var inMilliseconds: Int64 {
        let (s, atto) = components
        let (ms, overflow) = s.multipliedReportingOverflow(by: 1000)
        return overflow ? (s < 0 ? .min : .max) : ms &+ atto / 1_000_000_000_000_000
    }

    /// Whole nanoseconds (NIO's TimeAmount, Dispatch deadlines).
    public var inNanoseconds: Int64 {
        let (s, atto) = components
        let (ns, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (s < 0 ? .min : .max) : ns &+ atto / 1_000_000_000
    }

    /// Seconds as a floating-point value (Foundation's TimeInterval, Dispatch's seconds).
    public var inSeconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
