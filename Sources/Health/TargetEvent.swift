import Foundation

/// A change of a target's effective state, as returned by the state machines (they never log).
public struct TargetEvent: Sendable, Hashable {
    /// The target index.
    public let target: Int
    /// The target name.
    public let name: String
    /// The effective state before.
    public let from: HealthState
    /// The effective state after.
    public let to: HealthState
    /// When it happened (the time passed in).
    public let at: Date
    /// Why: "3 consecutive failures: tcp connect 192.0.2.1:80 refused".
    public let reason: String
}
