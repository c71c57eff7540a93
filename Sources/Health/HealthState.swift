import Foundation

/// The health of a target (or of one monitor's view of it).
public enum HealthState: String, Sendable, Hashable, Codable, CustomStringConvertible {
    /// No check result yet: a new target before its first check.
    case unknown
    /// Serving: counts as healthy for tier selection.
    case up
    /// Not serving.
    case down

    /// The state as a lower-case word.
    public var description: String { rawValue }
}

/// A state set by an operator that overrides the monitors until it is released or expires.
public enum ForcedHealth: String, Sendable, Hashable, Codable {
    /// Treat the target as healthy whatever the monitors say.
    case up
    /// Treat the target as failed whatever the monitors say (drain it).
    case down

    /// The equivalent health state.
    public var state: HealthState { self == .up ? .up : .down }
}

/// What one check reports: pass or fail, with a human-readable detail. Monitors own nothing
/// else; thresholds and forced states live in the state machines.
public enum CheckResult: Sendable, Hashable {
    /// The check passed; the string says what was seen ("tcp connect 192.0.2.1:80 ok").
    case success(String)
    /// The check failed; the string says why ("tcp connect 192.0.2.1:80 refused").
    case failure(String)

    /// True for `.success`.
    public var passed: Bool {
        if case .success = self { return true }
        return false
    }

    /// The detail string of either case.
    public var detail: String {
        switch self {
        case .success(let s), .failure(let s): s
        }
    }
}

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
