import Config
import Foundation
import Health
import Runtime

/// The admin API's JSON reports (`/v1/status`, `/v1/explain`) and the labels they print.

extension IdentitySetting {
    var text: String? {
        if case .text(let t) = self { return t }
        return nil
    }
}

extension PoolStatus {
    var label: String {
        switch self {
        case .primary: "primary"
        case .degraded: "degraded"
        case .unchecked: "unchecked"
        case .allDown(let mode): "all-down (\(mode.rawValue))"
        }
    }
}

extension PoolPolicy {
    var label: String {
        switch self {
        case .failover: "failover"
        case .multivalue: "multivalue"
        case .weighted: "weighted"
        }
    }
}

/// `GET /v1/status`.
public struct StatusReport: Codable {
    public struct Identity: Codable {
        public var nsid: String?
        public var idServer: String?
        public var version: String?
    }
    public struct ZoneStatus: Codable {
        public var name: String
        public var serial: UInt32
    }
    public struct PoolStatusReport: Codable {
        public var name: String
        public var owner: String
        public var kind: String
        public var status: String
        public var tier: Int?
        public var ttl: UInt32
        public var answer: [String]
        public var outcome: String
        public var targets: [String]
        public var reason: String
    }
    public struct ForcedReport: Codable {
        public var state: String
        public var until: Date?
        public var reason: String
        public var since: Date
    }
    public struct MonitorReport: Codable {
        public var name: String
        public var type: String
        public var state: String
        public var reason: String
        public var lastCheck: Date?
        public var lastChange: Date?
        public var checks: UInt64
        public var failures: UInt64
    }
    public struct TargetStatusReport: Codable {
        public var name: String
        public var state: String
        public var monitoredState: String
        public var forced: ForcedReport?
        public var reason: String
        public var lastChange: Date?
        public var checks: UInt64
        public var failures: UInt64
        public var transitions: UInt64
        public var monitors: [MonitorReport]
    }
    public var identity: Identity
    public var ready: Bool
    public var draining: Bool
    public var fingerprint: Fingerprint
    public var generation: UInt64
    public var healthGeneration: UInt64?
    public var zones: [ZoneStatus]
    public var pools: [PoolStatusReport]
    public var targets: [TargetStatusReport]
}

/// `GET /v1/explain`.
public struct ExplainReport: Codable {
    public struct PoolPart: Codable {
        public var name: String
        public var kind: String
        public var policy: String
        public var status: String
        public var tier: Int?
        public var ttl: UInt32
        public var targets: [String]
    }
    public var name: String
    public var type: String
    public var zone: String?
    public var source: String
    public var pool: PoolPart?
    public var rcode: String
    public var answer: [String]
    public var reason: String
}
