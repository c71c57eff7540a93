import Foundation

/// An operator's override of a target's state.
public struct ForcedState: Sendable, Hashable, Codable {
    /// The forced state.
    public let state: ForcedHealth
    /// When the override ends by itself (nil: until released).
    public let until: Date?
    /// Why the operator set it.
    public let reason: String
    /// When it was set.
    public let since: Date

    /// An override of `state` set at `since`, ending at `until` (nil: never).
    public init(state: ForcedHealth, until: Date?, reason: String, since: Date) {
        self.state = state
        self.until = until
        self.reason = reason
        self.since = since
    }
}
