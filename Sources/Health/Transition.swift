/// A change of state with the reason for it.
public struct Transition: Sendable, Hashable {
    /// The state before.
    public let from: HealthState
    /// The state after.
    public let to: HealthState
    /// Why: "3 consecutive failures: tcp connect 192.0.2.1:80 refused".
    public let reason: String
}
