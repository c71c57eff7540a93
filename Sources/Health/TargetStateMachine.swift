import Foundation

/// One target: its monitors' state machines, the combiner over them (all-must-pass or N of M),
/// an optional forced state with expiry, and counters. Pure: times are passed in and every
/// change of the effective state is returned as a `TargetEvent`.
///
/// The combined (monitored) state with quorum N over M monitors is `up` when at least N monitors
/// are up, `down` when even the unknown ones could no longer make N, and `unknown` otherwise.
/// All-must-pass is N = M. A target with no monitors is always `up` (gdnsd's `none` service).
public struct TargetStateMachine: Sendable, Hashable {
    /// The target index (position in the model).
    public let index: Int
    /// The target name.
    public let name: String
    /// The monitor names, in monitor-index order.
    public let monitorNames: [String]
    /// Monitors that must be up for the target to be up.
    public let quorum: Int
    /// One state machine per monitor.
    public private(set) var monitors: [MonitorStateMachine]
    /// The combined state of the monitors, whatever is forced.
    public private(set) var monitoredState: HealthState
    /// Why the monitors give `monitoredState`.
    public private(set) var monitoredReason: String
    /// The operator override, if any.
    public private(set) var forced: ForcedState?
    /// Results recorded from all monitors.
    public private(set) var checks: UInt64 = 0
    /// Failed results recorded from all monitors.
    public private(set) var failures: UInt64 = 0
    /// Changes of the effective state.
    public private(set) var transitions: UInt64 = 0
    /// When the effective state last changed.
    public private(set) var lastChange: Date?

    /// A new target; `quorum` nil means all monitors must pass.
    public init(index: Int, name: String, monitors: [(name: String, thresholds: Thresholds)], quorum: Int? = nil) throws(HealthError) {
        let q = quorum ?? monitors.count
        guard (monitors.isEmpty ? 0...0 : 1...monitors.count).contains(q) else {
            throw HealthError(.invalidTarget,
                              "target '\(name)': quorum \(q) must be between 1 and its number of monitors (\(monitors.count))")
        }
        var seen = Set<String>()
        for m in monitors where !seen.insert(m.name).inserted {
            throw HealthError(.duplicateName, "target '\(name)': monitor '\(m.name)' is listed twice; list each monitor once")
        }
        self.index = index
        self.name = name
        self.monitorNames = monitors.map(\.name)
        self.quorum = q
        self.monitors = monitors.map { MonitorStateMachine(thresholds: $0.thresholds) }
        self.monitoredState = .unknown
        self.monitoredReason = "not checked yet"
        (monitoredState, monitoredReason) = combine(changed: nil)
    }

    /// The effective state: the forced state if any, else the monitored state.
    public var state: HealthState { forced?.state.state ?? monitoredState }

    /// Why the target is in its effective state.
    public var reason: String {
        if let f = forced {
            let end = f.until.map { " until \(Self.format($0))" } ?? ""
            return "forced \(f.state.rawValue)\(end): \(f.reason) (monitors say \(monitoredState): \(monitoredReason))"
        }
        return monitoredReason
    }

    /// Records one monitor's result; returns an event if the effective state changed.
    /// Also expires a forced state whose time has come.
    public mutating func record(monitor: Int, result: CheckResult, at now: Date) -> TargetEvent? {
        precondition(monitors.indices.contains(monitor), "monitor index \(monitor) out of range for target \(name)")
        let before = state
        var prefix = ""
        if let f = forced, let u = f.until, u <= now {
            forced = nil
            prefix = "forced \(f.state.rawValue) expired; "
        }
        checks &+= 1
        if !result.passed { failures &+= 1 }
        if monitors[monitor].record(result, at: now) != nil {
            (monitoredState, monitoredReason) = combine(changed: monitor)
        }
        return event(from: before, fallback: result.detail, at: now, prefix: prefix)
    }

    /// Forces the target up or down until `until` (nil: until released).
    public mutating func force(_ s: ForcedHealth, until: Date?, reason: String, at now: Date) -> TargetEvent? {
        let before = state
        forced = ForcedState(state: s, until: until, reason: reason, since: now)
        if let u = until, u <= now { forced = nil }
        return event(from: before, fallback: reason, at: now)
    }

    /// Removes the forced state: the monitored state applies again.
    public mutating func release(reason: String = "released by operator", at now: Date) -> TargetEvent? {
        let before = state
        guard forced != nil else { return nil }
        forced = nil
        return event(from: before, fallback: reason, at: now, prefix: "\(reason); ")
    }

    /// Ends a forced state whose expiry is at or before `now`; returns the resulting event.
    public mutating func expire(at now: Date) -> TargetEvent? {
        let before = state
        guard let f = forced, let u = f.until, u <= now else { return nil }
        forced = nil
        return event(from: before, fallback: "", at: now, prefix: "forced \(f.state.rawValue) expired; ")
    }

    /// Restores monitor states and the forced state from a state file (monitors matched by
    /// name; unknown names are ignored; an expired force is dropped). Returns no event: it is
    /// meant for start-up, before the first snapshot.
    public mutating func restore(_ p: PersistedTarget, at now: Date) {
        for (i, name) in monitorNames.enumerated() {
            guard let pm = p.monitors[name] else { continue }
            monitors[i] = MonitorStateMachine(thresholds: monitors[i].thresholds, restoring: pm.state,
                                              reason: pm.reason, lastChange: pm.lastChange)
        }
        (monitoredState, monitoredReason) = combine(changed: nil)
        if let f = p.forced, f.until.map({ $0 > now }) ?? true { forced = f }
        lastChange = p.lastChange
    }

    /// What a state file keeps of this target.
    public var persisted: PersistedTarget {
        var ms: [String: PersistedMonitor] = [:]
        for (i, n) in monitorNames.enumerated() {
            ms[n] = PersistedMonitor(state: monitors[i].state, reason: monitors[i].reason, lastChange: monitors[i].lastChange)
        }
        return PersistedTarget(monitors: ms, forced: forced, lastChange: lastChange)
    }

    private mutating func event(from before: HealthState, fallback: String, at now: Date, prefix: String = "") -> TargetEvent? {
        let after = state
        guard after != before else { return nil }
        transitions &+= 1
        lastChange = now
        let why = prefix + reason
        return TargetEvent(target: index, name: name, from: before, to: after, at: now, reason: why.isEmpty ? fallback : why)
    }

    /// The combined state and its reason; `changed` is the monitor whose change caused it.
    private func combine(changed: Int?) -> (HealthState, String) {
        if monitors.isEmpty { return (.up, "no monitors: always up") }
        var up = 0, unknown = 0
        for m in monitors {
            switch m.state {
            case .up: up += 1
            case .unknown: unknown += 1
            case .down: break
            }
        }
        let s: HealthState = up >= quorum ? .up : (up + unknown < quorum ? .down : .unknown)
        // The monitor that explains the state: the one that just changed if it agrees with the
        // result, else the first monitor in the combined state.
        var culprit = changed.flatMap { monitors[$0].state == s ? $0 : nil }
        if culprit == nil { culprit = monitors.firstIndex { $0.state == s } }
        let detail: String
        if s == .unknown {
            let waiting = monitors.indices.filter { monitors[$0].state == .unknown }.map { monitorNames[$0] }
            detail = "waiting for the first result of \(waiting.joined(separator: ", "))"
        } else if let c = culprit {
            detail = monitors.count == 1 ? monitors[c].reason : "\(monitorNames[c]): \(monitors[c].reason)"
        } else {
            detail = ""
        }
        if monitors.count == 1 || (quorum == monitors.count && s != .unknown) { return (s, detail) }
        return (s, "\(up) of \(monitors.count) monitors up (quorum \(quorum)); \(detail)")
    }

    static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }
}
