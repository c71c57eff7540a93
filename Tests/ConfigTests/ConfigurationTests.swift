import DNSWire
import Foundation
import Testing
@testable import Config

let minimal = """
listen: ["127.0.0.1:5353", "[::1]:5353"]
zones:
  - name: example.test
    file: zones/example.test.zone
"""

func decode(_ yaml: String) throws(ConfigError) -> Configuration {
    try Configuration.decode(yaml: yaml, relativeTo: "/etc/tack", hostName: "ns1.test")
}

@Suite struct ConfigurationTests {
    @Test func minimalFileGetsTheDefaults() throws {
        let c = try decode(minimal)
        #expect(c.listen.map(\.description) == ["127.0.0.1:5353", "[::1]:5353"])
        #expect(c.listen[1].family == .ipv6 && c.listen[1].address == Array(repeating: 0, count: 15) + [1])
        #expect(c.zones == [ZoneEntry(name: try Name(parsing: "example.test."), file: "/etc/tack/zones/example.test.zone")])
        #expect(c.identity == IdentityConfiguration(nsid: .text("ns1.test"), idServer: .text("ns1.test"),
                                                    hostnameBind: .text("ns1.test"), version: .hidden))
        #expect(c.edns.udpSize == 1232)
        #expect(c.cookies == CookieConfiguration(enabled: true, secret: nil, previousSecret: nil, require: false))
        #expect(c.limits.tcpIdleTimeout == .seconds(10) && c.limits.tcpMaxConnections == 1024)
        #expect(c.limits.maxUDPPayload == 1232)
        #expect(c.logging == LoggingConfiguration(level: .info, queryLog: false))
        #expect(c.admin.listen.description == "127.0.0.1:8053" && c.admin.token == nil)
    }

    @Test func allowTransferPerZone() throws {
        let c = try decode("""
        listen: ["127.0.0.1:5353"]
        zones:
          - name: a.test
            file: a.zone
            allow_transfer: [192.0.2.0/24, "2001:db8::/32", 198.51.100.7]
          - name: b.test
            file: b.zone
        """)
        #expect(c.zones[0].allowTransfer == [AddressPrefix(address: [192, 0, 2, 0], length: 24),
                                             AddressPrefix(address: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 12), length: 32),
                                             AddressPrefix(address: [198, 51, 100, 7], length: 32)])
        #expect(c.zones[1].allowTransfer.isEmpty)
    }

    @Test func udpWorkers() throws {
        #expect(try decode(minimal).limits.udpWorkers == nil)
        #expect(try decode(minimal + "\nlimits:\n  udp_workers: 3\n").limits.udpWorkers == 3)
    }

    @Test func everyKeySet() throws {
        let c = try decode("""
        listen:
          - 192.0.2.53:53
          - "[2001:db8::53]:53"
        zones:
          - name: Example.TEST.
            file: /var/lib/tack/example.zone
          - name: other.test
            file: ../shared/other.zone
        identity:
          nsid: fra1
          id_server: fra1.ns.example
          hostname_bind: hidden
          version: "Tack 1.0"
        edns:
          udp_size: 1400
        cookies:
          secret: e5e973e5a6b2a43f48e7dc849e37bfcf
          previous_secret: 445536BCD2513298075A5D379663C962
          require: on
        limits:
          tcp_idle_timeout: 500ms
          tcp_max_connections: 200
          max_udp_payload: 1400
        logging:
          level: debug
          query_log: yes
        admin:
          listen: "[::]:9000"
          token: 0123456789abcdef0123
        """)
        #expect(c.listen.map(\.description) == ["192.0.2.53:53", "[2001:db8::53]:53"])
        #expect(c.zones.map(\.file) == ["/var/lib/tack/example.zone", "/etc/shared/other.zone"])
        #expect(c.zones[0].name.wire == [7] + Array("Example".utf8) + [4] + Array("TEST".utf8) + [0])
        #expect(c.identity == IdentityConfiguration(nsid: .text("fra1"), idServer: .text("fra1.ns.example"),
                                                    hostnameBind: .hidden, version: .text("Tack 1.0")))
        #expect(c.edns.udpSize == 1400)
        #expect(c.cookies.secret?.count == 16 && c.cookies.previousSecret?.first == 0x44 && c.cookies.require)
        #expect(c.limits == LimitsConfiguration(tcpIdleTimeout: .milliseconds(500), tcpMaxConnections: 200, maxUDPPayload: 1400))
        #expect(c.logging == LoggingConfiguration(level: .debug, queryLog: true))
        #expect(c.admin.listen.description == "[::]:9000" && c.admin.token == "0123456789abcdef0123")
    }

    @Test func keysWithoutAValueTakeTheirDefault() throws {
        let c = try decode(minimal + "\nedns:\n  udp_size:\nadmin:\n  token:\nlimits:\n")
        #expect(c.edns.udpSize == 1232 && c.admin.token == nil && c.limits == LimitsConfiguration())
    }

    @Test(arguments: [("10s", Duration.seconds(10)), ("500ms", .milliseconds(500)), ("2m", .seconds(120)),
                      ("1h", .seconds(3600)), ("100ms", .milliseconds(100))])
    func durations(text: String, value: Duration) throws {
        let c = try decode(minimal + "\nlimits:\n  tcp_idle_timeout: \(text)\n")
        #expect(c.limits.tcpIdleTimeout == value)
    }

    struct Bad: Sendable, CustomStringConvertible {
        let yaml: String
        let error: String
        let line: Int?
        init(_ yaml: String, _ error: String, line: Int? = nil) { self.yaml = yaml; self.error = error; self.line = line }
        var description: String { error }
    }

    static let zonesOK = "\nzones:\n  - name: example.test\n    file: a.zone\n"
    static let listenOK = "listen: [\"127.0.0.1:5353\"]\n"

    static let bad: [Bad] = [
        Bad("", "the configuration is empty — it needs at least \"listen\" and \"zones\""),
        Bad("listen: [\"127.0.0.1:5353\", \"1.2.3.4\"]" + zonesOK,
            "listen[1]: \"1.2.3.4\" is not address:port — write \"127.0.0.1:5353\" or \"[::1]:5353\"", line: 1),
        Bad("listen: [\"::1:53\"]" + zonesOK,
            "listen[0]: \"::1:53\" is not address:port — write \"127.0.0.1:5353\" or \"[::1]:5353\""),
        Bad("listen: [\"localhost:53\"]" + zonesOK,
            "listen[0]: \"localhost:53\" is not address:port — write \"127.0.0.1:5353\" or \"[::1]:5353\""),
        Bad("listen: [\"127.0.0.1:65536\"]" + zonesOK,
            "listen[0]: \"127.0.0.1:65536\" is not address:port — write \"127.0.0.1:5353\" or \"[::1]:5353\""),
        Bad("listen: [\"[::1]\"]" + zonesOK,
            "listen[0]: \"[::1]\" is not address:port — write \"127.0.0.1:5353\" or \"[::1]:5353\""),
        Bad("listen: 127.0.0.1:53" + zonesOK,
            "listen: must be a list of address:port strings, found \"127.0.0.1:53\""),
        Bad("listen: []" + zonesOK, "listen: is empty — give at least one address:port"),
        Bad("listen: [\"127.0.0.1:53\", \"127.0.0.1:53\"]" + zonesOK,
            "listen[1]: 127.0.0.1:53 is already listed at listen[0] — remove one"),
        Bad("listen:" + zonesOK, "listen: missing — write for example listen: [\"127.0.0.1:5353\", \"[::1]:5353\"]"),
        Bad(zonesOK, "listen: missing — write for example listen: [\"127.0.0.1:5353\", \"[::1]:5353\"]"),
        Bad(listenOK, "zones: missing — list the zones to serve, each with a name and a file"),
        Bad(listenOK + "zones: []", "zones: is empty — list at least one zone with a name and a file"),
        Bad(listenOK + "zones:\n  - name: example.test\n", "zones[0].file: missing — write the zone file path, relative to this configuration file"),
        Bad(listenOK + "zones:\n  - file: a.zone\n", "zones[0].name: missing — write the zone apex, e.g. name: example.com"),
        Bad(listenOK + "zones:\n  - name: a..b\n    file: a.zone\n",
            "zones[0].name: \"a..b\" is not a domain name: empty label in name 'a..b'", line: 3),
        Bad(listenOK + "zones:\n  - name: a.test\n    file: a.zone\n  - name: A.TEST.\n    file: b.zone\n",
            "zones[1].name: zone A.TEST. is already listed at zones[0] — remove one"),
        Bad(listenOK + "zones:\n  - name: a.test\n    fiel: a.zone\n",
            "zones[0].fiel: unknown key — did you mean \"file\"?", line: 4),
        Bad(listenOK + "zones:\n  - name: a.test\n    file: [a, b]\n",
            "zones[0].file: must be a file path, found a list"),
        Bad(listenOK + "zone:\n  - name: a.test\n",
            "zone: unknown key — did you mean \"zones\"?"),
        Bad(listenOK + "colour: blue" + zonesOK,
            "colour: unknown key — known keys here: listen, zones, identity, edns, cookies, limits, logging, admin, health, targets, pools, anycast, rate_limit"),
        Bad(listenOK + "identity:\n  nsid: \"\"" + zonesOK, "identity.nsid: is empty — write a text, or hidden to not reveal it"),
        Bad(listenOK + "identity:\n  version: " + String(repeating: "v", count: 256) + zonesOK,
            "identity.version: is 256 octets long — keep it to 255"),
        Bad(listenOK + "identity:\n  hostname: x" + zonesOK,
            "identity.hostname: unknown key — known keys here: nsid, id_server, hostname_bind, version"),
        Bad(listenOK + "edns:\n  udp_size: 100" + zonesOK,
            "edns.udp_size: \"100\" is not a whole number from 512 to 4096 — write for example 1232"),
        Bad(listenOK + "edns:\n  udp_size: big" + zonesOK,
            "edns.udp_size: \"big\" is not a whole number from 512 to 4096 — write for example 1232"),
        Bad(listenOK + "edns: 1232" + zonesOK,
            "edns: must be a mapping of keys (udp_size), found \"1232\""),
        Bad(listenOK + "zones:\n  - name: a.test\n    file: a.zone\n    allow_transfer: [192.0.2.0/33]\n",
            "zones[0].allow_transfer[0]: \"192.0.2.0/33\": the prefix length must be 0 to 32"),
        Bad(listenOK + "zones:\n  - name: a.test\n    file: a.zone\n    allow_transfer: [secondary.example]\n",
            "zones[0].allow_transfer[0]: \"secondary.example\" is not an address prefix — write for example 192.0.2.0/24 or 2001:db8::/32"),
        Bad(listenOK + "zones:\n  - name: a.test\n    file: a.zone\n    allow_transfer: 192.0.2.1\n",
            "zones[0].allow_transfer: must be a list of address prefixes such as 192.0.2.0/24, found \"192.0.2.1\""),
        Bad(listenOK + "cookies:\n  secret: abcd" + zonesOK,
            "cookies.secret: must be 32 hex digits (16 octets) — generate one with: openssl rand -hex 16"),
        Bad(listenOK + "cookies:\n  secret: e5e973e5a6b2a43f48e7dc849e37bfcg" + zonesOK,
            "cookies.secret: must be 32 hex digits (16 octets) — generate one with: openssl rand -hex 16"),
        Bad(listenOK + "cookies:\n  previous_secret: e5e973e5a6b2a43f48e7dc849e37bfcf" + zonesOK,
            "cookies.previous_secret: needs cookies.secret too — the previous secret is only accepted, new cookies use the current one"),
        Bad(listenOK + "cookies:\n  secret: e5e973e5a6b2a43f48e7dc849e37bfcf\n  previous_secret: E5E973E5A6B2A43F48E7DC849E37BFCF" + zonesOK,
            "cookies.previous_secret: is the same as cookies.secret — give the old secret, or remove it"),
        Bad(listenOK + "cookies:\n  enabled: off\n  require: on" + zonesOK,
            "cookies.require: is on while cookies.enabled is off — turn one of them around"),
        Bad(listenOK + "cookies:\n  require: maybe" + zonesOK,
            "cookies.require: \"maybe\" is not on/off — write on or off (true/false also work)"),
        Bad(listenOK + "cookies:\n  requir: on" + zonesOK, "cookies.requir: unknown key — did you mean \"require\"?"),
        Bad(listenOK + "limits:\n  tcp_idle_timeout: 10" + zonesOK,
            "limits.tcp_idle_timeout: \"10\" is not a duration — write a whole number and a unit: \"500ms\", \"10s\", \"2m\" or \"1h\""),
        Bad(listenOK + "limits:\n  tcp_idle_timeout: 1.5s" + zonesOK,
            "limits.tcp_idle_timeout: \"1.5s\" is not a duration — write a whole number and a unit: \"500ms\", \"10s\", \"2m\" or \"1h\""),
        Bad(listenOK + "limits:\n  tcp_idle_timeout: 2h" + zonesOK,
            "limits.tcp_idle_timeout: 2h is out of range — use 100ms to 6553500ms"),
        Bad(listenOK + "limits:\n  tcp_idle_timeout: 50ms" + zonesOK,
            "limits.tcp_idle_timeout: 50ms is out of range — use 100ms to 6553500ms"),
        Bad(listenOK + "limits:\n  tcp_max_connections: 0" + zonesOK,
            "limits.tcp_max_connections: \"0\" is not a whole number from 1 to 1000000 — write for example 1024"),
        Bad(listenOK + "limits:\n  udp_workers: 0" + zonesOK,
            "limits.udp_workers: \"0\" is not a whole number from 1 to 256 — write for example 2"),
        Bad(listenOK + "limits:\n  max_udp_payload: 65535" + zonesOK,
            "limits.max_udp_payload: \"65535\" is not a whole number from 512 to 4096 — write for example 1232"),
        Bad(listenOK + "logging:\n  level: loud" + zonesOK,
            "logging.level: \"loud\" is not a log level — write one of trace, debug, info, notice, warning, error, critical"),
        Bad(listenOK + "logging:\n  querylog: on" + zonesOK, "logging.querylog: unknown key — did you mean \"query_log\"?"),
        Bad(listenOK + "admin:\n  listen: 0.0.0.0:8053" + zonesOK,
            "admin.token: missing while admin.listen (0.0.0.0:8053) is not a loopback address — set a token, or listen on 127.0.0.1"),
        Bad(listenOK + "admin:\n  token: short" + zonesOK,
            "admin.token: is 5 characters — use at least 16 (e.g. openssl rand -hex 16)"),
        Bad(listenOK + "admin:\n  listen: 8053" + zonesOK,
            "admin.listen: \"8053\" is not address:port — write \"127.0.0.1:5353\" or \"[::1]:5353\""),
        Bad(listenOK + "listen: [\"127.0.0.2:53\"]" + zonesOK,
            "key \"listen\" appears more than once in one mapping — keep one"),
    ]

    @Test(arguments: bad)
    func rejected(_ b: Bad) {
        do {
            _ = try decode(b.yaml)
            Issue.record("accepted: \(b.yaml)")
        } catch {
            #expect(error.summary == b.error)
            if let line = b.line { #expect(error.line == line, "\(error)") }
        }
    }

    @Test func yamlSyntaxErrorsHaveALineAndColumn() {
        do {
            _ = try Configuration.decode(yaml: "listen: [\"127.0.0.1:53\"\nzones: x\n", relativeTo: "/", hostName: "h",
                                         file: "/etc/tack/tack.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.keyPath == "")
            #expect(error.message.hasPrefix("not valid YAML: "))
            #expect(error.line != nil)
            #expect(error.description.hasPrefix("/etc/tack/tack.yaml:"))
        }
    }

    @Test func errorDescriptionCarriesFileLineAndKeyPath() {
        do {
            _ = try Configuration.decode(yaml: "listen: [\"127.0.0.1:5353\", \"1.2.3.4\"]\n" + Self.zonesOK,
                                         relativeTo: "/", hostName: "h", file: "tack.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.description
                    == "tack.yaml:1:28: listen[1]: \"1.2.3.4\" is not address:port — write \"127.0.0.1:5353\" or \"[::1]:5353\"")
        }
    }

    @Test func loadResolvesZoneFilesAgainstTheConfigDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-config-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tack.yaml").path
        try minimal.write(toFile: path, atomically: true, encoding: .utf8)
        let c = try Configuration.load(path: path, hostName: "h")
        #expect(c.zones[0].file == dir.appendingPathComponent("zones/example.test.zone").standardizedFileURL.path)
        #expect(throws: ConfigError.self) { try Configuration.load(path: dir.appendingPathComponent("missing.yaml").path) }
    }

    @Test func didYouMean() {
        #expect(ConfigDecoder.closest("udp_sise", in: ["udp_size"]) == "udp_size")
        #expect(ConfigDecoder.closest("banana", in: ["udp_size", "listen"]) == nil)
        #expect(ConfigDecoder.distance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
    }
}
