import Foundation

/// One monitor's view of one target: rise/fall thresholds over consecutive results.
///
/// The first result of a new (unknown) monitor counts at once, so a target is answered from real
/// data as soon as it has been checked once, and never before. After that an up monitor needs
/// `fall` consecutive failures to go down and a down monitor `rise` consecutive successes to come
/// back; any opposite result restarts the count, which suppresses flapping. Times are passed in.
public struct MonitorStateMachine: Sendable, Hashable {
    /// The anti-flap thresholds.
    public let thresholds: Thresholds
    /// The current state.
    public private(set) var state: HealthState = .unknown
    /// Why the monitor is in its current state.
    public private(set) var reason: String = "not checked yet"
    /// Consecutive successes so far (reset by a failure).
    public private(set) var consecutiveSuccesses = 0
    /// Consecutive failures so far (reset by a success).
    public private(set) var consecutiveFailures = 0
    /// Results recorded.
    public private(set) var checks: UInt64 = 0
    /// Failed results recorded.
    public private(set) var failures: UInt64 = 0
    /// State changes (including the first result).
    public private(set) var transitions: UInt64 = 0
    /// When the last result was recorded.
    public private(set) var lastCheck: Date?
    /// When the state last changed.
    public private(set) var lastChange: Date?
    /// The detail of the last result.
    public private(set) var lastDetail: String = ""

    /// A new monitor in state `unknown`.
    public init(thresholds: Thresholds = .default) {
        self.thresholds = thresholds
    }

    /// A monitor restored from a state file: the state is taken as established, so thresholds
    /// apply to the next results (a restart does not flip answers).
    public init(thresholds: Thresholds, restoring state: HealthState, reason: String, lastChange: Date?) {
        self.thresholds = thresholds
        self.state = state
        let prefix = "restored from state file: "
        let original = reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason
        self.reason = state == .unknown ? "not checked yet" : prefix + original
        self.lastChange = lastChange
    }

    /// Records one result at `now`; returns the transition if the state changed.
    public mutating func record(_ result: CheckResult, at now: Date) -> Transition? {
        checks &+= 1
        lastCheck = now
        lastDetail = result.detail
        if result.passed {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
        } else {
            failures &+= 1
            consecutiveFailures += 1
            consecutiveSuccesses = 0
        }
        let target: HealthState
        let why: String
        switch (state, result.passed) {
        case (.unknown, true):
            target = .up
            why = "first check passed: \(result.detail)"
        case (.unknown, false):
            target = .down
            why = "first check failed: \(result.detail)"
        case (.up, false) where consecutiveFailures >= thresholds.fall:
            target = .down
            why = "\(Self.count(consecutiveFailures, "consecutive failure")): \(result.detail)"
        case (.down, true) where consecutiveSuccesses >= thresholds.rise:
            target = .up
            why = "\(Self.count(consecutiveSuccesses, "consecutive success", plural: "consecutive successes")): \(result.detail)"
        default:
            return nil
        }
        let t = Transition(from: state, to: target, reason: why)
        state = target
        reason = why
        transitions &+= 1
        lastChange = now
        return t
    }

    static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        n == 1 ? "1 \(singular)" : "\(n) \(plural ?? singular + "s")"
    }
}
