/// Anti-flap thresholds of one monitor: how many consecutive results change an established state.
///
/// Defaults are rise 2 and fall 3 (HAProxy's defaults). gdnsd uses a scored scheme
/// (`up_thresh` 20, `ok_thresh` 10, `down_thresh` 10) that takes about ten intervals to react;
/// PowerDNS `ifportup`/`ifurlup` flip on a single result (`minimumFailures` 1), which users
/// report as flapping. 3 failures to go down and 2 successes to come back react within half a
/// minute at a 10 s interval, while one lost packet or one slow response changes nothing.
/// The first result of a new target is not subject to thresholds (see `MonitorStateMachine`).
public struct Thresholds: Sendable, Hashable {
    /// Consecutive successes that bring a down monitor up.
    public let rise: Int
    /// Consecutive failures that bring an up monitor down.
    public let fall: Int

    /// rise 2, fall 3.
    public static let `default` = Thresholds(checkedRise: 2, fall: 3)

    /// Validated thresholds: both in 1...`HealthLimits.maxThreshold`.
    public init(rise: Int, fall: Int) throws(HealthError) {
        for (label, v) in [("rise", rise), ("fall", fall)] where !(1...HealthLimits.maxThreshold).contains(v) {
            throw HealthError(.invalidThresholds,
                              "\(label) is \(v); it must be between 1 and \(HealthLimits.maxThreshold) consecutive results")
        }
        self.init(checkedRise: rise, fall: fall)
    }

    private init(checkedRise: Int, fall: Int) {
        self.rise = checkedRise
        self.fall = fall
    }
}
