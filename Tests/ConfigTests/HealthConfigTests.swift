import DNSWire
import Health
import Testing
@testable import Config

/// The targets and pools sections: a full example decodes to the expected model; each broken
/// variant is rejected with its key path.
@Suite struct HealthConfigTests {
    static let base = """
    listen: ["127.0.0.1:5354"]
    zones:
      - name: example.test
        file: example.test.zone
    targets:
      - name: primary
        answers: [192.0.2.10, "2001:db8::10"]
        monitors:
          - type: http
            address: "127.0.0.1:8080"
            path: /health
            interval: 5s
            timeout: 2s
            rise: 2
            fall: 3
          - name: port
            type: tcp
            address: "127.0.0.1:8443"
        quorum: 1
      - name: secondary
        answers: [198.51.100.20]
        monitors:
          - type: https
      - name: edge
        cname: edge.cdn.example.net
        monitors:
          - type: dns
            address: "127.0.0.1:53"
            query: cdn.example.net
          - type: exec
            command: [/usr/local/bin/check-edge, --quick]
          - type: file
            path: /run/edge-up
    pools:
      - name: app
        owner: app.example.test
        kind: A
        tiers:
          - [primary]
          - [{target: secondary, weight: 3}]
        policy: failover
        all_down: nodata
        ttl: 60
        degraded_ttl: 10
      - name: cdn
        owner: www.example.test
        kind: CNAME
        tiers: [[edge]]
        ttl: 300
    """

    @Test func fullExampleDecodes() throws {
        let c = try decode(HealthConfigTests.base)
        #expect(c.targets.map(\.name) == ["primary", "secondary", "edge"])
        #expect(c.targets[0].monitors.map(\.name) == ["http", "port"])
        #expect(c.targets[0].monitors[0].interval == .seconds(5) && c.targets[0].monitors[0].timeout == .seconds(2))
        #expect(c.targets[0].monitors[0].http?.path == "/health")
        // The https monitor defaults to the first answer address, port 443.
        #expect(c.targets[1].monitors[0].http?.address.description == "198.51.100.20:443")
        #expect(c.targets[2].monitors.map(\.type) == [.dns, .exec, .file])
        #expect(c.targets[2].answers == [.cname(try Name(parsing: "edge.cdn.example.net."))])
        let app = c.pools[0].definition
        #expect(app.owner == (try Name(parsing: "app.example.test.")) && app.kind == .a)
        #expect(app.tiers == [[PoolMemberDefinition(target: "primary")], [PoolMemberDefinition(target: "secondary", weight: 3)]])
        #expect(app.allDown == .nodata && app.ttl == 60 && app.degradedTTL == 10)
        #expect(c.pools[1].keyPath == "pools[1]" && c.pools[1].definition.kind == .cname)
        let model = try c.healthModel()
        #expect(model.poolIndex(owner: try Name(parsing: "www.example.test."), kind: .cname) == 1)
        #expect(model.pools[0].records[0][0] == [try RData.parse(type: .a, text: "192.0.2.10")])
    }

    @Test func monitorSettingsAndDefaults() throws {
        let c = try decode(HealthConfigTests.base)
        let http = try #require(c.targets[0].monitors[0].http)
        #expect(http.expectStatus == [200...399] && http.bodyContains == nil && http.scheme == .http && http.requestPath == "/health")
        #expect(c.targets[1].monitors[0].http?.scheme == .https(validateCertificate: true))
        #expect(c.targets[1].monitors[0].http?.path == nil && c.targets[1].monitors[0].http?.requestPath == "/")
        let dns = try #require(c.targets[2].monitors[0].dns)
        #expect(dns.queryType == .soa && dns.expectRcode == .noError && dns.expectAnswer == nil)
        // Each kind carries its own settings, decoded once.
        #expect(c.targets[0].monitors[1].kind == .tcp(address: try #require(ListenAddress("127.0.0.1:8443"))))
        #expect(c.targets[2].monitors.map(\.kind) == [
            .dns(DNSMonitorSettings(address: try #require(ListenAddress("127.0.0.1:53")), query: try Name(parsing: "cdn.example.net."))),
            .exec(ExecCommand(program: "/usr/local/bin/check-edge", arguments: ["--quick"])),
            .file(path: "/run/edge-up"),
        ])
        // The state file sits beside the configuration by default, named after it.
        #expect(c.health.stateFile == "/etc/tack/tack.health.json")
        #expect(c.health.restoreMaxAge == .seconds(3600))

        let tuned = try decode(HealthConfigTests.base
            .replacingOccurrences(of: "path: /health", with: "path: /health\n        expect_status: [200, \"300-302\"]\n        body_contains: ok")
            .replacingOccurrences(of: "      - type: https", with: "      - type: https\n        validate_certificate: off\n        expect_status: 204")
            .replacingOccurrences(of: "query: cdn.example.net", with: "query: cdn.example.net\n        query_type: A\n        expect_rcode: nxdomain\n        expect_answer: 192.0.2.1")
            .replacingOccurrences(of: "path: /run/edge-up", with: "path: edge-up")
            + "\nhealth:\n  state_file: /var/lib/tack/health.json\n  restore_max_age: 10m\n")
        #expect(tuned.targets[0].monitors[0].http?.expectStatus == [200...200, 300...302])
        #expect(tuned.targets[0].monitors[0].http?.bodyContains == "ok")
        #expect(tuned.targets[1].monitors[0].http?.scheme == .https(validateCertificate: false))
        #expect(tuned.targets[1].monitors[0].http?.expectStatus == [204...204])
        let tunedDNS = try #require(tuned.targets[2].monitors[0].dns)
        #expect(tunedDNS.queryType == .a && tunedDNS.expectRcode == .nxDomain && tunedDNS.expectAnswer == "192.0.2.1")
        // A file monitor's path is relative to the configuration's directory.
        #expect(tuned.targets[2].monitors[2].kind == .file(path: "/etc/tack/edge-up"))
        #expect(tuned.health.stateFile == "/var/lib/tack/health.json" && tuned.health.restoreMaxAge == .seconds(600))
        let off = try decode(HealthConfigTests.base + "\nhealth:\n  state_file: off\n")
        #expect(off.health.stateFile == nil)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var replace: String
        var with: String
        var error: String
        var testDescription: String { error }
    }

    static let bad: [Bad] = [
        Bad(replace: "- [{target: secondary, weight: 3}]", with: "- [secondry]",
            error: "pools[0].tiers[1][0]: unknown target \"secondry\" — did you mean secondary?"),
        Bad(replace: "answers: [198.51.100.20]", with: "answers: [198.51.100.300]",
            error: "targets[1].answers[0]: \"198.51.100.300\" is not an IPv4 or IPv6 address — write for example 192.0.2.10 or 2001:db8::10"),
        Bad(replace: "kind: A\n", with: "kind: AAAA\n",
            error: "pools[0].tiers[1][0]: target secondary answers A only, but this pool's kind is AAAA — give the target a AAAA answer or use another pool"),
        Bad(replace: "kind: CNAME", with: "kind: MX", error: "pools[1].kind: \"MX\" is not a pool kind — write A, AAAA or CNAME"),
        Bad(replace: "owner: www.example.test", with: "owner: www.example.org",
            error: "pools[1].owner: www.example.org. is not in a served zone — add its zone under zones or fix the name"),
        Bad(replace: "owner: www.example.test", with: "owner: app.example.test",
            error: "pools[1].owner: pools[0] also answers app.example.test.; a CNAME cannot share its owner with other data (RFC 1034 3.6.2)"),
        Bad(replace: "all_down: nodata", with: "all_down: never",
            error: "pools[0].all_down: \"never\" is not an all-down mode — write first-tier, all, nodata or servfail"),
        Bad(replace: "degraded_ttl: 10", with: "degraded_ttl: 600",
            error: "pools[0].degraded_ttl: 600 is longer than ttl 60 — make it shorter so clients come back sooner"),
        Bad(replace: "policy: failover", with: "policy: failover\n    max_answers: 2",
            error: "pools[0].max_answers: only applies to the multivalue policy — remove it or set policy: multivalue"),
        Bad(replace: "policy: failover", with: "policy: roundrobin",
            error: "pools[0].policy: \"roundrobin\" is not a policy — write failover, multivalue or weighted"),
        Bad(replace: "\n    ttl: 300", with: "", error: "pools[1].ttl: missing — write the answers' TTL in seconds, e.g. ttl: 60"),
        Bad(replace: "type: tcp", with: "type: ping",
            error: "targets[0].monitors[1].type: \"ping\" is not a monitor type — write one of tcp, http, https, dns, exec, file"),
        Bad(replace: "path: /run/edge-up", with: "path: /run/edge-up\n        address: \"127.0.0.1:1\"",
            error: "targets[2].monitors[2].address: is not a setting of a file monitor — remove it (a file monitor takes path)"),
        Bad(replace: "address: \"127.0.0.1:8443\"", with: "path: /x",
            error: "targets[0].monitors[1].path: is not a setting of a tcp monitor — remove it (a tcp monitor takes address)"),
        Bad(replace: "timeout: 2s", with: "timeout: 6s",
            error: "targets[0].monitors[0].timeout: 6s is longer than the interval 5s — make it shorter"),
        Bad(replace: "fall: 3", with: "fall: 0",
            error: "targets[0].monitors[0].fall: \"0\" is not a whole number from 1 to 1000 — write for example 3"),
        Bad(replace: "quorum: 1", with: "quorum: 3",
            error: "targets[0].quorum: \"3\" is not a whole number from 1 to 2 — write for example 1"),
        Bad(replace: "command: [/usr/local/bin/check-edge, --quick]", with: "command: [check-edge]",
            error: "targets[2].monitors[1].command: must start with the program's absolute path — write for example [/usr/local/bin/check-db]"),
        Bad(replace: "query: cdn.example.net", with: "query_type: A",
            error: "targets[2].monitors[0].query: missing — write the name to ask, e.g. query: cdn.example.net".replacingOccurrences(of: "cdn.example.net", with: "example.com")),
        Bad(replace: "  - name: secondary", with: "  - name: primary",
            error: "targets[1].name: target primary is already defined at targets[0] — names must be unique"),
        Bad(replace: "targets:", with: "target:", error: "target: unknown key — did you mean \"targets\"?"),
        Bad(replace: "path: /health", with: "path: /health\n        expect_status: \"299-200\"",
            error: "targets[0].monitors[0].expect_status: \"299-200\" is not a status code (100-599) or range — write 200, \"200-299\" or [200, 204, \"300-399\"]"),
        Bad(replace: "path: /health", with: "path: /health\n        expect_status: [200, 700]",
            error: "targets[0].monitors[0].expect_status[1]: \"700\" is not a status code (100-599) or range — write 200, \"200-299\" or [200, 204, \"300-399\"]"),
        Bad(replace: "path: /health", with: "path: /health\n        validate_certificate: off",
            error: "targets[0].monitors[0].validate_certificate: is not a setting of a http monitor — remove it (a http monitor takes address, body_contains, expect_status, host, path)"),
        Bad(replace: "query: cdn.example.net", with: "query: cdn.example.net\n        expect_rcode: BOGUS",
            error: "targets[2].monitors[0].expect_rcode: \"BOGUS\" is not a response code — write one of NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED"),
        Bad(replace: "address: \"127.0.0.1:8443\"", with: "address: \"127.0.0.1:8443\"\n        body_contains: x",
            error: "targets[0].monitors[1].body_contains: is not a setting of a tcp monitor — remove it (a tcp monitor takes address)"),
        // Each stage of a monitor: its type, timing, and the settings of its kind.
        Bad(replace: "- type: exec", with: "- name: check",
            error: "targets[2].monitors[1].type: missing — write one of tcp, http, https, dns, exec, file"),
        Bad(replace: "timeout: 2s", with: "timeout: 2s\n        jitter: 5s",
            error: "targets[0].monitors[0].jitter: 5s is not shorter than the interval 5s — make it shorter"),
        Bad(replace: "address: \"127.0.0.1:8443\"", with: "rise: 2",
            error: "targets[0].monitors[1].address: missing — write the address:port to check (a tcp monitor has no default port, or the target has no address to check)"),
        Bad(replace: "address: \"127.0.0.1:53\"", with: "timeout: 1s",
            error: "targets[2].monitors[0].address: missing — write the address:port to check (a dns monitor has no default port, or the target has no address to check)"),
        Bad(replace: "address: \"127.0.0.1:8443\"", with: "address: \"127.0.0.1\"",
            error: "targets[0].monitors[1].address: \"127.0.0.1\" is not address:port — write \"192.0.2.10:8080\" or \"[2001:db8::10]:443\""),
        Bad(replace: "path: /health", with: "path: health",
            error: "targets[0].monitors[0].path: \"health\" must start with / — write for example /health"),
        Bad(replace: "path: /health", with: "path: /health\n        body_contains: \"\"",
            error: "targets[0].monitors[0].body_contains: is empty — write the text the body must contain, or remove the key"),
        Bad(replace: "query: cdn.example.net", with: "query: cdn.example.net\n        query_type: BOGUS",
            error: "targets[2].monitors[0].query_type: \"BOGUS\" is not a record type — write for example SOA or A"),
        Bad(replace: "query: cdn.example.net", with: "query: cdn.example.net\n        expect_answer: \"\"",
            error: "targets[2].monitors[0].expect_answer: is empty — write the address (or record data) an answer must have"),
        Bad(replace: "command: [/usr/local/bin/check-edge, --quick]", with: "timeout: 1s",
            error: "targets[2].monitors[1].command: missing — write the program and its arguments, e.g. [/usr/local/bin/check-db, --quick]"),
        Bad(replace: "path: /run/edge-up", with: "timeout: 1s",
            error: "targets[2].monitors[2].path: missing — write the status file (one \"target-name up|down\" line per target) an external monitor keeps"),
        // Each stage of a pool: name, owner and kind, tiers and members, policy.
        Bad(replace: "- name: cdn", with: "- name: app",
            error: "pools[1].name: pool app is already defined at pools[0] — names must be unique"),
        Bad(replace: "owner: www.example.test\n    kind: CNAME", with: "owner: app.example.test\n    kind: A",
            error: "pools[1].owner: pools[0] already answers app.example.test. A — use one pool per owner and kind"),
        Bad(replace: "tiers: [[edge]]", with: "tiers: []", error: "pools[1].tiers: is empty — list at least one tier of targets"),
        Bad(replace: "- [primary]", with: "- [primary, {target: primary, weight: 2}]",
            error: "pools[0].tiers[0][1]: target primary is already listed at pools[0].tiers[0][0] — list each target once per pool"),
        Bad(replace: "- [{target: secondary, weight: 3}]", with: "- [{target: secondary, weight: 0}]",
            error: "pools[0].tiers[1][0].weight: \"0\" is not a whole number from 1 to 1000000 — write for example 10"),
        Bad(replace: "tiers: [[edge]]", with: "tiers: [[edge]]\n    policy: multivalue",
            error: "pools[1].policy: a CNAME pool answers one CNAME — use failover or weighted"),
    ]

    @Test(arguments: bad)
    func rejected(_ b: Bad) {
        let yaml = HealthConfigTests.base.replacingOccurrences(of: b.replace, with: b.with)
        #expect(yaml != HealthConfigTests.base, "the replacement did not apply")
        do {
            _ = try decode(yaml)
            Issue.record("accepted")
        } catch {
            #expect(error.summary == b.error)
            #expect(error.line != nil, "\(error)")
        }
    }
}

extension MonitorConfiguration {
    /// The settings of an http or https monitor, nil for another kind.
    var http: HTTPMonitorSettings? { if case .http(let s) = kind { s } else { nil } }
    /// The settings of a dns monitor, nil for another kind.
    var dns: DNSMonitorSettings? { if case .dns(let s) = kind { s } else { nil } }
}
