import Foundation

/// What a state file keeps of one monitor.
public struct PersistedMonitor: Sendable, Hashable, Codable {
    /// Its last state.
    public var state: HealthState
    /// Why.
    public var reason: String
    /// When it last changed.
    public var lastChange: Date?

    /// A persisted monitor state.
    public init(state: HealthState, reason: String, lastChange: Date?) {
        self.state = state
        self.reason = reason
        self.lastChange = lastChange
    }
}

/// What a state file keeps of one target.
public struct PersistedTarget: Sendable, Hashable, Codable {
    /// Monitor states by monitor name.
    public var monitors: [String: PersistedMonitor]
    /// The operator override, if any.
    public var forced: ForcedState?
    /// When the effective state last changed.
    public var lastChange: Date?

    /// A persisted target state.
    public init(monitors: [String: PersistedMonitor], forced: ForcedState?, lastChange: Date?) {
        self.monitors = monitors
        self.forced = forced
        self.lastChange = lastChange
    }
}

/// The last known states of every target, saved so that a restart does not flip answers.
/// Targets and monitors are keyed by name, so a changed configuration restores what still matches.
public struct PersistedHealth: Sendable, Hashable, Codable {
    /// Format version (`HealthLimits.stateFileVersion`).
    public var version: Int
    /// When the states were saved.
    public var savedAt: Date
    /// Target states by target name.
    public var targets: [String: PersistedTarget]

    /// A persisted state set.
    public init(savedAt: Date, targets: [String: PersistedTarget]) {
        self.version = HealthLimits.stateFileVersion
        self.savedAt = savedAt
        self.targets = targets
    }

    /// The JSON bytes of a state file (sorted keys, so equal states give equal files).
    public func encoded() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        e.dateEncodingStrategy = .secondsSince1970
        // Encoding plain structs of strings, numbers and dates cannot fail.
        return try! e.encode(self)
    }

    /// Decodes a state file; `source` names it in the error.
    public static func decode(_ data: Data, source: String) throws(HealthError) -> PersistedHealth {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        let p: PersistedHealth
        do {
            p = try d.decode(PersistedHealth.self, from: data)
        } catch {
            throw HealthError(.corruptState, "state file \(source) is not a valid Tack health state (\(error)); it will be ignored and rewritten")
        }
        guard p.version == HealthLimits.stateFileVersion else {
            throw HealthError(.corruptState, "state file \(source) has format version \(p.version), expected \(HealthLimits.stateFileVersion); it will be ignored and rewritten")
        }
        return p
    }
}
