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
                out += "  monitor \(m.name) \(m.type.rawValue) address=\(m.address?.description ?? "-") path=\(m.path ?? "-") host=\(m.host ?? "-")"
                out += " status=\(m.expectStatus.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")) body=\(m.bodyContains ?? "-")"
                out += " verify=\(m.validateCertificate) query=\(m.query.map { "\($0)" } ?? "-")/\(m.queryType)/\(m.expectRcode)/\(m.expectAnswer ?? "-")"
                out += " command=\(m.command.joined(separator: " ")) interval=\(m.interval) timeout=\(m.timeout) jitter=\(m.jitter)"
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
