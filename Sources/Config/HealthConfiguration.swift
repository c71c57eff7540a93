import DNSWire
import Health

/// What a monitor checks: the values of its `type` key (docs/config.md, "targets").
public enum MonitorType: String, Sendable, Hashable, CaseIterable {
    case tcp, http, https, dns, exec, file
}

/// One configured monitor of a target: what to check, how often, and its thresholds.
public struct MonitorConfiguration: Sendable, Equatable {
    /// The monitor name, unique within its target (default: the type).
    public var name: String
    /// What is checked, with the settings of that kind of check.
    public var kind: MonitorKind
    /// Time between checks, check timeout, and random spread of the start.
    public var interval: Duration
    public var timeout: Duration
    public var jitter: Duration
    /// Anti-flap thresholds.
    public var thresholds: Thresholds

    public init(name: String, kind: MonitorKind, interval: Duration, timeout: Duration, jitter: Duration, thresholds: Thresholds) {
        self.name = name; self.kind = kind; self.interval = interval; self.timeout = timeout; self.jitter = jitter
        self.thresholds = thresholds
    }

    /// The `type` it was written with (shown in status and fingerprints).
    public var type: MonitorType { kind.type }
}

/// What a monitor checks, each kind with its own settings; the decoder has checked them all.
public enum MonitorKind: Sendable, Equatable {
    /// Connects to the address; passes when the connection is accepted.
    case tcp(address: ListenAddress)
    /// An HTTP or HTTPS request.
    case http(HTTPMonitorSettings)
    /// A DNS query.
    case dns(DNSMonitorSettings)
    /// Runs a program; exit status 0 passes.
    case exec(ExecCommand)
    /// Reads the status file an external monitor keeps (an absolute path), one
    /// "target-name up|down" line per target.
    case file(path: String)

    /// The `type` key's value for this kind.
    public var type: MonitorType {
        switch self {
        case .tcp: .tcp
        case .http(let h): h.scheme == .http ? .http : .https
        case .dns: .dns
        case .exec: .exec
        case .file: .file
        }
    }
}

/// An HTTP(S) monitor's request and what passes.
public struct HTTPMonitorSettings: Sendable, Equatable {
    /// The accepted status codes when `expect_status` is left out: 200-399, as HAProxy's httpchk.
    public static let defaultExpectStatus: [ClosedRange<Int>] = [200...399]

    /// Plain HTTP, or HTTPS and whether its certificate is validated.
    public enum Scheme: Sendable, Equatable {
        case http
        /// `validateCertificate`: against the system roots and the host name (default on).
        case https(validateCertificate: Bool)
    }

    public var scheme: Scheme
    /// The address:port connected to.
    public var address: ListenAddress
    /// The request path as written (starts with /); nil when left out, and `/` is asked.
    public var path: String?
    /// The Host header and TLS server name; nil: the address.
    public var host: String?
    /// The status codes that pass.
    public var expectStatus: [ClosedRange<Int>]
    /// A substring the body must contain (nil: the body is not read).
    public var bodyContains: String?

    public init(scheme: Scheme, address: ListenAddress, path: String? = nil, host: String? = nil,
                expectStatus: [ClosedRange<Int>] = HTTPMonitorSettings.defaultExpectStatus, bodyContains: String? = nil) {
        self.scheme = scheme; self.address = address; self.path = path; self.host = host
        self.expectStatus = expectStatus; self.bodyContains = bodyContains
    }

    /// The path requested.
    public var requestPath: String { path ?? "/" }
}

/// A DNS monitor's query and what passes.
public struct DNSMonitorSettings: Sendable, Equatable {
    /// The query type when `query_type` is left out.
    public static let defaultQueryType = RRType.soa
    /// The response code that passes when `expect_rcode` is left out.
    public static let defaultExpectRcode = RCode.noError

    /// The server asked.
    public var address: ListenAddress
    /// The name queried and its type.
    public var query: Name
    public var queryType: RRType
    /// The response code that passes.
    public var expectRcode: RCode
    /// A value an answer record must have (an address, or the RDATA's presentation text);
    /// nil: any answer passes.
    public var expectAnswer: String?

    public init(address: ListenAddress, query: Name, queryType: RRType = DNSMonitorSettings.defaultQueryType,
                expectRcode: RCode = DNSMonitorSettings.defaultExpectRcode, expectAnswer: String? = nil) {
        self.address = address; self.query = query; self.queryType = queryType; self.expectRcode = expectRcode
        self.expectAnswer = expectAnswer
    }
}

/// An exec monitor's command: the program, by absolute path, and its arguments.
public struct ExecCommand: Sendable, Equatable {
    public var program: String
    public var arguments: [String]

    public init(program: String, arguments: [String] = []) { self.program = program; self.arguments = arguments }

    /// The program and its arguments, as written in `command`.
    public var words: [String] { [program] + arguments }
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
