import DNSWire
import Health

/// What a monitor checks (docs/config.md, "targets").
public enum MonitorType: String, Sendable, Hashable, CaseIterable {
    case tcp, http, https, dns, exec, file
}

/// One configured monitor of a target: what to check, how often, and its thresholds.
public struct MonitorConfiguration: Sendable, Equatable {
    /// The monitor name, unique within its target (default: the type).
    public var name: String
    /// The kind of check.
    public var type: MonitorType
    /// The address:port checked (tcp, http, https, dns); nil for exec and file.
    public var address: ListenAddress?
    /// HTTP(S) request path, or the file path of a file monitor.
    public var path: String?
    /// HTTP(S) Host header / TLS server name.
    public var host: String?
    /// HTTP(S) accepted status codes (default 200-399, as HAProxy's httpchk).
    public var expectStatus: [ClosedRange<Int>]
    /// HTTP(S): a substring the body must contain (nil: the body is not read).
    public var bodyContains: String?
    /// HTTPS: validate the certificate against the system roots and the host name (default on).
    public var validateCertificate: Bool
    /// DNS monitor: the name queried and its type.
    public var query: Name?
    public var queryType: RRType
    /// DNS monitor: the response code that passes (default NOERROR), and optionally a value an
    /// answer record must have (an address, or the RDATA's presentation text).
    public var expectRcode: RCode
    public var expectAnswer: String?
    /// Exec monitor: the program and its arguments (exit status 0 passes).
    public var command: [String]
    /// Time between checks, check timeout, and random spread of the start.
    public var interval: Duration
    public var timeout: Duration
    public var jitter: Duration
    /// Anti-flap thresholds.
    public var thresholds: Thresholds
}

/// One configured target: what pools answer with for it, and how it is monitored.
public struct TargetConfiguration: Sendable, Equatable {
    /// The unique target name.
    public var name: String
    /// The A/AAAA addresses or the single CNAME the target contributes to pool answers.
    public var answers: [RData]
    /// Its monitors.
    public var monitors: [MonitorConfiguration]
    /// How many monitors must pass (nil: all).
    public var quorum: Int?
    /// Where it was written (`targets[0]`), for messages.
    public var keyPath: String

    /// The Health module's view of the target.
    public var definition: TargetDefinition {
        TargetDefinition(name: name, answers: answers, monitors: monitors.map { MonitorSlot(name: $0.name, thresholds: $0.thresholds) },
                         quorum: quorum)
    }
}

/// Where the health state survives restarts.
public struct HealthSettings: Sendable, Equatable {
    /// The state file (absolute, resolved against the config's directory); nil: not persisted.
    public var stateFile: String?
    /// States older than this are not restored (default 1 h): after a long stop, checking
    /// afresh is better than trusting old news.
    public var restoreMaxAge: Duration

    public init(stateFile: String? = nil, restoreMaxAge: Duration = .seconds(3600)) {
        self.stateFile = stateFile
        self.restoreMaxAge = restoreMaxAge
    }
}

/// One configured pool, with where it was written (`pools[0]`) for messages such as collisions.
public struct PoolConfiguration: Sendable, Equatable {
    /// The Health module's definition.
    public var definition: PoolDefinition
    /// Where it was written.
    public var keyPath: String
}

extension Configuration {
    /// The validated health model of the configured targets and pools (already checked at load,
    /// so this only fails if the configuration was edited in code).
    public func healthModel() throws(ConfigError) -> HealthModel {
        do {
            return try HealthModel(targets: targets.map(\.definition), pools: pools.map(\.definition))
        } catch {
            throw ConfigError("pools", error.description)
        }
    }
}
