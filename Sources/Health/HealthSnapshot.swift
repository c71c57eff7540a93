import DNSWire
import Foundation

/// A target's state as published in a snapshot.
public struct TargetSummary: Sendable, Hashable {
    /// The target index.
    public let index: Int
    /// The target name.
    public let name: String
    /// The effective state (forced or monitored).
    public let state: HealthState
    /// What the monitors say, whatever is forced.
    public let monitoredState: HealthState
    /// The override, if any.
    public let forced: ForcedState?
    /// Why the target is in its effective state.
    public let reason: String
    /// When the effective state last changed.
    public let lastChange: Date?
}

/// The immutable health state the query path reads, once per query, without locks.
///
/// Pools and targets are integer indices resolved at load (`HealthModel.poolIndex(owner:kind:)`).
/// A query does `snapshot.select(pool: i, selector: queryID)`; everything it returns was
/// precomputed when a target changed state.
public final class HealthSnapshot: Sendable {
    /// Increases by one with every published snapshot of a board.
    public let generation: UInt64
    /// When this snapshot was built (the time passed to the board).
    public let builtAt: Date
    /// The model the indices refer to.
    public let model: HealthModel
    /// The targets' states, by target index.
    public let targets: [TargetSummary]
    /// The pools' precomputed answers, by pool index.
    public let pools: [PoolAnswer]

    /// A snapshot (built by `HealthBoard`; public for tests and tools).
    public init(generation: UInt64, builtAt: Date, model: HealthModel, targets: [TargetSummary], pools: [PoolAnswer]) {
        self.generation = generation
        self.builtAt = builtAt
        self.model = model
        self.targets = targets
        self.pools = pools
    }

    /// The answer of pool `pool` for one query (see `PoolAnswer.select`).
    @inlinable
    public func select(pool: Int, selector: UInt32) -> PoolSelection {
        pools[pool].select(selector)
    }

    /// Targets that have no result yet (neither checked nor forced nor restored). Zero means
    /// the first health round is complete: a readiness signal for anycast announcement.
    public var uncheckedTargets: Int {
        targets.reduce(0) { $0 + ($1.state == .unknown ? 1 : 0) }
    }

    /// Builds a snapshot straight from state machines (every pool evaluated).
    public static func build(model: HealthModel, machines: [TargetStateMachine], generation: UInt64, at now: Date) -> HealthSnapshot {
        let targets = machines.map(summary)
        let states = targets.map(\.state), reasons = targets.map(\.reason), names = targets.map(\.name)
        let pools = model.pools.map { PoolAnswer.evaluate($0, states: states, reasons: reasons, names: names) }
        return HealthSnapshot(generation: generation, builtAt: now, model: model, targets: targets, pools: pools)
    }

    /// The summary of one state machine.
    public static func summary(_ m: TargetStateMachine) -> TargetSummary {
        TargetSummary(index: m.index, name: m.name, state: m.state, monitoredState: m.monitoredState,
                      forced: m.forced, reason: m.reason, lastChange: m.lastChange)
    }
}
