import Foundation
import Synchronization

/// A target's full status with counters, for the admin API (not on the query path).
public struct TargetStatus: Sendable, Hashable {
    /// The summary also found in snapshots.
    public let summary: TargetSummary
    /// Results recorded.
    public let checks: UInt64
    /// Failed results recorded.
    public let failures: UInt64
    /// Changes of the effective state.
    public let transitions: UInt64
    /// Each monitor's state machine, in monitor-index order, with its name.
    public let monitors: [(name: String, machine: MonitorStateMachine)]

    /// Equality over everything but the monitor tuples' labels.
    public static func == (a: TargetStatus, b: TargetStatus) -> Bool {
        a.summary == b.summary && a.checks == b.checks && a.failures == b.failures && a.transitions == b.transitions
            && a.monitors.map(\.name) == b.monitors.map(\.name) && a.monitors.map(\.machine) == b.monitors.map(\.machine)
    }

    /// Hashes the summary and counters.
    public func hash(into h: inout Hasher) {
        h.combine(summary); h.combine(checks); h.combine(failures); h.combine(transitions)
    }
}

/// The mutable owner of all target state machines. Takes monitor results and operator commands,
/// and publishes a new `HealthSnapshot` through `publish` whenever a state changed. Thread-safe;
/// not on the query path (queries read the published snapshot).
///
/// `publish` is called with the board's lock held, so snapshots arrive in generation order; it
/// must not call back into the board (hand the snapshot to an atomic reference and return).
public final class HealthBoard: Sendable {
    private struct State: ~Copyable {
        var machines: [TargetStateMachine]
        var snapshot: HealthSnapshot
    }

    /// The model the board was built from.
    public let model: HealthModel
    private let state: Mutex<State>
    private let publish: @Sendable (HealthSnapshot, [TargetEvent]) -> Void

    /// A board for `model`, restoring `restoring` if given (states older than `maxRestoreAge`
    /// are ignored; nil accepts any age). The initial snapshot is available at once through
    /// `snapshot` and is not passed to `publish`.
    public init(model: HealthModel, restoring: PersistedHealth? = nil, maxRestoreAge: TimeInterval? = nil, at now: Date,
                publish: @escaping @Sendable (HealthSnapshot, [TargetEvent]) -> Void) {
        var machines = model.makeStateMachines()
        if let p = restoring, maxRestoreAge.map({ now.timeIntervalSince(p.savedAt) <= $0 }) ?? true {
            for i in machines.indices {
                if let t = p.targets[machines[i].name] { machines[i].restore(t, at: now) }
            }
        }
        self.model = model
        self.publish = publish
        let snap = HealthSnapshot.build(model: model, machines: machines, generation: 0, at: now)
        self.state = Mutex(State(machines: machines, snapshot: snap))
    }

    /// The latest snapshot.
    public var snapshot: HealthSnapshot { state.withLock { $0.snapshot } }

    /// Records a monitor result for `target` (both indices from the model); returns the event if
    /// the target's effective state changed (a new snapshot has then been published).
    @discardableResult
    public func record(target: Int, monitor: Int, result: CheckResult, at now: Date) -> TargetEvent? {
        change(target: target, at: now) { $0.record(monitor: monitor, result: result, at: now) }
    }

    /// Forces `target` up or down until `until` (nil: until released).
    @discardableResult
    public func force(target: Int, _ forced: ForcedHealth, until: Date?, reason: String, at now: Date) -> TargetEvent? {
        change(target: target, at: now, always: true) { $0.force(forced, until: until, reason: reason, at: now) }
    }

    /// Releases the forced state of `target`.
    @discardableResult
    public func release(target: Int, reason: String = "released by operator", at now: Date) -> TargetEvent? {
        change(target: target, at: now, always: true) { $0.release(reason: reason, at: now) }
    }

    /// Ends every forced state whose expiry has come; call it periodically (the scheduler does,
    /// every second).
    @discardableResult
    public func expireForced(at now: Date) -> [TargetEvent] {
        state.withLock { s in
            var events: [TargetEvent] = []
            for i in s.machines.indices {
                if let e = s.machines[i].expire(at: now) { events.append(e) }
            }
            if !events.isEmpty { rebuild(&s, changed: events.map(\.target), events: events, at: now) }
            return events
        }
    }

    /// Every target's status with counters.
    public func statuses() -> [TargetStatus] {
        state.withLock { s in
            s.machines.map { m in
                TargetStatus(summary: HealthSnapshot.summary(m), checks: m.checks, failures: m.failures,
                             transitions: m.transitions, monitors: Array(zip(m.monitorNames, m.monitors)).map { ($0, $1) })
            }
        }
    }

    /// The states to save in a state file.
    public func persisted(at now: Date) -> PersistedHealth {
        state.withLock { s in
            var t: [String: PersistedTarget] = [:]
            for m in s.machines { t[m.name] = m.persisted }
            return PersistedHealth(savedAt: now, targets: t)
        }
    }

    /// Applies `body` to one machine; republishes when the effective state changed, or when the
    /// target's published summary changed and `always` is set (forced state without a flip) or the
    /// monitored state changed.
    private func change(target: Int, at now: Date, always: Bool = false, _ body: (inout TargetStateMachine) -> TargetEvent?) -> TargetEvent? {
        state.withLock { s in
            let before = s.machines[target].monitoredState
            let beforeForced = s.machines[target].forced
            let e = body(&s.machines[target])
            let m = s.machines[target]
            if e != nil || m.monitoredState != before || (always && m.forced != beforeForced) {
                rebuild(&s, changed: [target], events: e.map { [$0] } ?? [], at: now)
            }
            return e
        }
    }

    private func rebuild(_ s: inout State, changed: [Int], events: [TargetEvent], at now: Date) {
        let old = s.snapshot
        var targets = old.targets
        for t in changed { targets[t] = HealthSnapshot.summary(s.machines[t]) }
        var pools = old.pools
        // Pools of changed targets only: their answers (on a flip) or their reasons (otherwise).
        if !changed.isEmpty {
            let states = targets.map(\.state), reasons = targets.map(\.reason), names = targets.map(\.name)
            var affected = Set<Int>()
            for t in changed { affected.formUnion(model.poolsOfTarget[t]) }
            for p in affected.sorted() {
                pools[p] = PoolAnswer.evaluate(model.pools[p], states: states, reasons: reasons, names: names)
            }
        }
        let snap = HealthSnapshot(generation: old.generation + 1, builtAt: now, model: model, targets: targets, pools: pools)
        s.snapshot = snap
        publish(snap, events)
    }
}
