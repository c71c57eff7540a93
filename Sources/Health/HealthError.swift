/// The one error type of the Health module: what was wrong, where (pool, target or file), and
/// what to do about it.
public struct HealthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of mistake this is.
    public enum Code: String, Sendable, Equatable {
        /// rise/fall outside 1...HealthLimits.maxThreshold.
        case invalidThresholds
        /// Two targets (or two monitors of one target) share a name.
        case duplicateName
        /// A pool refers to a target that is not defined.
        case unknownTarget
        /// A pool is malformed (no tiers, empty tier, wrong record kind, bad TTL, ...).
        case invalidPool
        /// A target is malformed (bad quorum, answer of the wrong type, ...).
        case invalidTarget
        /// A state file could not be decoded.
        case corruptState
    }

    /// The kind of mistake.
    public let code: Code
    /// The full message: what, where, what to do.
    public let message: String

    /// Creates an error with its code and message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Named limits of the Health module.
public enum HealthLimits {
    /// Largest rise or fall threshold accepted: beyond this a target could take hours to change
    /// state at common intervals, which is almost certainly a typo.
    public static let maxThreshold = 1000
    /// Largest weight of one pool member.
    public static let maxWeight: UInt32 = 1_000_000
    /// Largest precomputed weighted table (entries). Weights are reduced by their GCD and, if the
    /// sum is still larger, scaled down proportionally (every member keeps at least one entry).
    public static let maxWeightTable = 4096
    /// Version of the state-file format written by `PersistedHealth`.
    public static let stateFileVersion = 1
}
