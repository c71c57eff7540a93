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
