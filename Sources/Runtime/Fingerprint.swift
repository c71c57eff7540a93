import Config
import Crypto
import DNSWire
import Zone

/// What one instance serves, reduced to hashes that are equal on every instance serving the
/// same data: each zone's serial and a SHA-256 of its records in canonical form (RFC 4034 6.2,
/// sorted, TTLs included), and a SHA-256 of the targets, monitors and pools. Shown in
/// `/v1/status` and as CHAOS TXT `fingerprint.server.`, and compared by `tack fleet check`.
public struct Fingerprint: Sendable, Equatable, Codable {
    public struct ZonePrint: Sendable, Equatable, Codable {
        public var name: String
        public var serial: UInt32
        public var sha256: String

        public init(name: String, serial: UInt32, sha256: String) {
            self.name = name
            self.serial = serial
            self.sha256 = sha256
        }
    }
    public var zones: [ZonePrint]
    /// Targets, monitors and pools.
    public var pools: String
    /// Everything above.
    public var all: String

    /// Hex digits of each hash in the CHAOS answer: 64 bits tell drift apart and keep the
    /// answer short (the full hashes are in /v1/status).
    public static let shortLength = 16
    public static let chaosName = "fingerprint.server."

    public init(zones: ZoneSet, configuration c: Configuration) {
        self.zones = zones.zones.map { z in
            var serial: UInt32 = 0
            if case .soa(let s) = z.soa.rdata { serial = s.serial }
            let wires = z.records.map { $0.canonicalWire() }.sorted { $0.lexicographicallyPrecedes($1) }
            var h = SHA256()
            for w in wires {
                h.update(data: [UInt8(w.count >> 8), UInt8(w.count & 0xFF)])
                h.update(data: w)
            }
            return ZonePrint(name: "\(z.origin)".lowercased(), serial: serial, sha256: Fingerprint.hex(h.finalize()))
        }.sorted { $0.name < $1.name }
        pools = Fingerprint.hex(SHA256.hash(data: Array(Fingerprint.describeHealth(c).utf8)))
        var all = SHA256()
        for z in self.zones { all.update(data: Array("\(z.name) \(z.serial) \(z.sha256)\n".utf8)) }
        all.update(data: Array("pools \(pools)\n".utf8))
        self.all = Fingerprint.hex(all.finalize())
    }

    public init(zones: [ZonePrint], pools: String, all: String) {
        self.zones = zones; self.pools = pools; self.all = all
    }

    /// The CHAOS TXT text: `all=H pools=H zone=NAME/SERIAL/H ...` with short hashes.
    public var chaosText: String {
        var parts = ["all=\(all.prefix(Fingerprint.shortLength))", "pools=\(pools.prefix(Fingerprint.shortLength))"]
        for z in zones { parts.append("zone=\(z.name)/\(z.serial)/\(z.sha256.prefix(Fingerprint.shortLength))") }
        return parts.joined(separator: " ")
    }

    /// Parses `chaosText` (hashes stay short).
    public init?(chaosText: String) {
        var zones: [ZonePrint] = [], pools: String?, all: String?
        for word in chaosText.split(separator: " ") {
            if word.hasPrefix("all=") { all = String(word.dropFirst(4)) }
            else if word.hasPrefix("pools=") { pools = String(word.dropFirst(6)) }
            else if word.hasPrefix("zone=") {
                let f = word.dropFirst(5).split(separator: "/")
                guard f.count == 3, let serial = UInt32(f[1]) else { return nil }
                zones.append(ZonePrint(name: String(f[0]), serial: serial, sha256: String(f[2])))
            }
        }
        guard let pools, let all else { return nil }
        self.init(zones: zones, pools: pools, all: all)
    }

    /// The health configuration in a fixed textual form (what answers and how it is checked;
    /// not the key paths or comments): Config's `healthDescription`, pinned by its tests.
    public static func describeHealth(_ c: Configuration) -> String { c.healthDescription }

    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
