import Health
import NIOCore

/// One kind of check, ready to run.
public enum MonitorCheck: Sendable {
    /// TCP connect.
    case tcp(TCPMonitor)
    /// HTTP or HTTPS request.
    case http(HTTPMonitor)
    /// DNS query over UDP.
    case dns(DNSMonitor)
    /// External command.
    case exec(ExecMonitor)
    /// Line in a file written by an external monitor.
    case file(FileMonitor)

    /// Runs the check once.
    public func run(timeout: Duration, group: any EventLoopGroup) async -> CheckResult {
        switch self {
        case .tcp(let m): await m.check(timeout: timeout, group: group)
        case .http(let m): await m.check(timeout: timeout)
        case .dns(let m): await m.check(timeout: timeout, group: group)
        case .exec(let m): await m.check(timeout: timeout)
        case .file(let m): m.check()
        }
    }
}

/// One monitor of one target on its schedule: indices into the `HealthModel`, the check, and
/// its interval, timeout and jitter.
public struct MonitorJob: Sendable {
    /// The target index in the model.
    public let target: Int
    /// The monitor index within the target.
    public let monitor: Int
    /// The check.
    public let check: MonitorCheck
    /// Time between the starts of two checks.
    public let interval: Duration
    /// Longest a check may take before it counts as failed.
    public let timeout: Duration
    /// Up to this much random delay is added before the first check and to every interval, so
    /// that checks of many targets do not run in lock step.
    public let jitter: Duration

    /// A job; the timeout must be shorter than the interval, and both positive.
    public init(target: Int, monitor: Int, check: MonitorCheck, interval: Duration, timeout: Duration,
                jitter: Duration = .zero) throws(MonitorError) {
        guard interval > .zero, timeout > .zero, jitter >= .zero else {
            throw MonitorError(.invalidSetting, "monitor interval and timeout must be positive and jitter not negative")
        }
        guard timeout <= interval else {
            throw MonitorError(.invalidSetting, "monitor timeout \(timeout) is longer than its interval \(interval); make it shorter")
        }
        self.target = target
        self.monitor = monitor
        self.check = check
        self.interval = interval
        self.timeout = timeout
        self.jitter = jitter
    }
}
