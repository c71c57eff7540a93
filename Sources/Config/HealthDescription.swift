import DNSWire
import Health

extension Configuration {
    /// The health configuration in a fixed textual form: what answers and how it is checked,
    /// not the key paths or comments. The fingerprint hashes this text, so it must stay the
    /// same, byte for byte, for the same configuration across versions (HealthDescriptionTests
    /// pins it).
    public var healthDescription: String {
        var out = ""
        for t in targets {
            out += "target \(t.name) answers \(t.answers.map(\.presentation).joined(separator: ",")) quorum \(t.quorum.map(String.init) ?? "all")\n"
            for m in t.monitors {
                let f = FlatMonitorFields(m.kind)
                out += "  monitor \(m.name) \(m.type.rawValue) address=\(f.address?.description ?? "-") path=\(f.path ?? "-") host=\(f.host ?? "-")"
                out += " status=\(f.expectStatus.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")) body=\(f.bodyContains ?? "-")"
                out += " verify=\(f.validateCertificate) query=\(f.query.map { "\($0)" } ?? "-")/\(f.queryType)/\(f.expectRcode)/\(f.expectAnswer ?? "-")"
                out += " command=\(f.command.joined(separator: " ")) interval=\(m.interval) timeout=\(m.timeout) jitter=\(m.jitter)"
                out += " rise=\(m.thresholds.rise) fall=\(m.thresholds.fall)\n"
            }
        }
        for p in pools {
            let d = p.definition
            let tiers = d.tiers.map { $0.map { "\($0.target):\($0.weight)" }.joined(separator: ",") }.joined(separator: " | ")
            out += "pool \(d.name) \(d.owner) \(d.kind) \(d.policy) min=\(d.minHealthy) alldown=\(d.allDown?.rawValue ?? "default")"
            out += " ttl=\(d.ttl) degraded=\(d.degradedTTL.map(String.init) ?? "default") tiers \(tiers)\n"
        }
        return out
    }
}

/// A monitor's settings as the one flat record the description has always printed, every
/// field of every kind, with the defaults the decoder gave the fields a kind does not take.
private struct FlatMonitorFields {
    var address: ListenAddress?
    var path: String?
    var host: String?
    var expectStatus = HTTPMonitorSettings.defaultExpectStatus
    var bodyContains: String?
    var validateCertificate = true
    var query: Name?
    var queryType = DNSMonitorSettings.defaultQueryType
    var expectRcode = DNSMonitorSettings.defaultExpectRcode
    var expectAnswer: String?
    var command: [String] = []

    init(_ kind: MonitorKind) {
        switch kind {
        case .tcp(let a):
            address = a
        case .http(let h):
            address = h.address; path = h.path; host = h.host; expectStatus = h.expectStatus; bodyContains = h.bodyContains
            if case .https(let validate) = h.scheme { validateCertificate = validate }
        case .dns(let d):
            address = d.address; query = d.query; queryType = d.queryType; expectRcode = d.expectRcode; expectAnswer = d.expectAnswer
        case .exec(let c):
            command = c.words
        case .file(let p):
            path = p
        }
    }
}
