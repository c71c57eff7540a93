import DNSWire

/// One monitor attached to a target, as the model knows it: a name and its thresholds.
/// (What the monitor checks is the Monitors module's business.)
public struct MonitorSlot: Sendable, Hashable {
    /// The monitor name, unique within the target ("http", "tcp443").
    public let name: String
    /// Its anti-flap thresholds.
    public let thresholds: Thresholds

    /// A monitor slot.
    public init(name: String, thresholds: Thresholds = .default) {
        self.name = name
        self.thresholds = thresholds
    }
}

/// A target as configured: a name, the records it contributes to pool answers, and its monitors.
public struct TargetDefinition: Sendable, Hashable {
    /// The unique target name ("web1").
    public let name: String
    /// What the target answers with: A and/or AAAA addresses, or one CNAME. A pool of kind A
    /// serves the target's A records, and so on.
    public let answers: [RData]
    /// The monitors checking this target (checked addresses may differ from answered ones).
    public let monitors: [MonitorSlot]
    /// How many monitors must pass (nil: all of them).
    public let quorum: Int?

    /// A target definition.
    public init(name: String, answers: [RData], monitors: [MonitorSlot], quorum: Int? = nil) {
        self.name = name
        self.answers = answers
        self.monitors = monitors
        self.quorum = quorum
    }
}
