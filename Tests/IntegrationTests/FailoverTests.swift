#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import DNSWire

/// End to end failover through the real `tack serve`: monitors against listeners the test opens
/// and closes, answers seen with dig and a raw client, the admin API over HTTP and `tack ctl`.
@Suite(.serialized) struct FailoverTests {
    /// Monitor timing used here: fast, so the flips take seconds.
    static let interval = 0.5
    static let rise = 2
    static let fall = 2
    static let token = "integration-test-token-0123456789"

    /// A zone with a static name beside the pool owners.
    static let zone: (name: String, file: String, text: String) = ("fo.test", "fo.test.zone", """
        $ORIGIN fo.test.
        $TTL 300
        @ IN SOA ns1 hostmaster 1 7200 900 1209600 300
          IN NS ns1
        ns1 IN A 192.0.2.53
        app IN TXT "the A and AAAA answers of app come from a pool"

        """)

    /// Config for pool `app` (failover, primary 192.0.2.1, secondary 192.0.2.2) with the given
    /// monitor blocks and extra pool settings.
    static func config(admin: UInt16, primary: String, secondary: String, pool: String = "", extra: String = "") -> String {
        """
        admin:
          listen: 127.0.0.1:\(admin)
          token: \(token)
        \(extra)
        targets:
          - name: primary
            answers: [192.0.2.1]
            monitors:
        \(primary)
          - name: secondary
            answers: [192.0.2.2]
            monitors:
        \(secondary)
        pools:
          - name: app
            owner: app.fo.test
            tiers: [[primary], [secondary]]
            ttl: 60
            degraded_ttl: 5
        \(pool)

        """
    }

    static func tcpMonitor(_ port: UInt16) -> String {
        """
              - type: tcp
                address: "127.0.0.1:\(port)"
                interval: \(Int(interval * 1000))ms
                timeout: 300ms
                jitter: 0s
                rise: \(rise)
                fall: \(fall)
        """
    }

    static func execMonitor(_ script: String, _ arg: String, interval: String = "1s", timeout: String = "900ms") -> String {
        """
              - type: exec
                command: ["\(script)", "\(arg)"]
                interval: \(interval)
                timeout: \(timeout)
                jitter: 0s
                rise: 1
                fall: 1
        """
    }

    /// The A records of app.fo.test over UDP (raw client: quick enough to poll).
    static func answer(_ tack: TackProcess) -> [String] {
        guard let m = try? TestDNS.udp(Question(try! Name(parsing: "app.fo.test."), .a), host: "127.0.0.1", port: tack.port,
                                         timeoutMs: 500, attempts: 2) else { return ["(no reply)"] }
        if m.rcode != .noError { return ["\(m.rcode)"] }
        return m.answers.map(\.rdata.presentation).sorted()
    }

    /// Polls until `answer` is `want`; the seconds it took, or nil after `limit` seconds.
    static func waitForAnswer(_ tack: TackProcess, _ want: [String], limit: Double) -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            if answer(tack) == want { return Date().timeIntervalSince(start) }
            usleep(50_000)
        }
        return nil
    }

    @Test func primaryPortClosesThenReopens() throws {
        let primary = try Listener()
        let secondary = try Listener()
        let admin = try TackProcess.freePort()
        let tack = try TackProcess.start(zones: [Self.zone], extraConfig: Self.config(
            admin: admin, primary: Self.tcpMonitor(primary.port), secondary: Self.tcpMonitor(secondary.port)))
        defer { tack.stop() }
        #expect(Self.waitForAnswer(tack, ["192.0.2.1"], limit: 10) != nil, "\(tack.log)")

        // Down: `fall` failed checks, one interval apart, plus the one second the issue allows.
        primary.close()
        let downLimit = Double(Self.fall) * Self.interval + 1
        let down = Self.waitForAnswer(tack, ["192.0.2.2"], limit: 10)
        #expect(down != nil && down! <= downLimit, "secondary after \(down.map { String($0) } ?? "never") s, limit \(downLimit) s\n\(tack.log)")
        // dig sees the secondary, with the shorter degraded TTL.
        let dig = try DigTool.dig("127.0.0.1", tack.port, ["app.fo.test", "A"])
        #expect(dig.rdata("ANSWER", type: "A") == ["192.0.2.2"], "\(dig)")
        #expect(dig.records("ANSWER").first?[1] == "5", "\(dig)")

        // Up again: `rise` passing checks.
        try primary.reopen()
        let upLimit = Double(Self.rise) * Self.interval + 1
        let up = Self.waitForAnswer(tack, ["192.0.2.1"], limit: 10)
        #expect(up != nil && up! <= upLimit, "primary after \(up.map { String($0) } ?? "never") s, limit \(upLimit) s\n\(tack.log)")
        let back = try DigTool.dig("127.0.0.1", tack.port, ["app.fo.test", "A"])
        #expect(back.rdata("ANSWER", type: "A") == ["192.0.2.1"], "\(back)")
        #expect(back.records("ANSWER").first?[1] == "60", "\(back)")
        // Static data beside the pool still answers.
        #expect(try DigTool.dig("127.0.0.1", tack.port, ["app.fo.test", "TXT"]).rdata("ANSWER", type: "TXT").count == 1)
        // Every transition is logged with its reason.
        #expect(tack.log.contains("target primary up -> down: \(Self.fall) consecutive failures"), "\(tack.log)")
        #expect(tack.log.contains("target primary down -> up: \(Self.rise) consecutive successes"), "\(tack.log)")
    }

    @Test func forcedStatesExpireAndWritesNeedTheToken() throws {
        let primary = try Listener()
        let secondary = try Listener()
        let admin = try TackProcess.freePort()
        let tack = try TackProcess.start(zones: [Self.zone], extraConfig: Self.config(
            admin: admin, primary: Self.tcpMonitor(primary.port), secondary: Self.tcpMonitor(secondary.port)))
        defer { tack.stop() }
        #expect(Self.waitForAnswer(tack, ["192.0.2.1"], limit: 10) != nil)
        let api = AdminClient(port: admin)

        // Reads are open; writes without the token, or with a wrong one, are refused.
        #expect(try api.request("GET", "/healthz").status == 200)
        let body = #"{"state": "down", "expires_in": "3s", "reason": "maintenance"}"#
        #expect(try api.request("PUT", "/v1/targets/primary/force", body: body).status == 401)
        #expect(try api.request("PUT", "/v1/targets/primary/force", body: body, token: "wrong-token-wrong-token").status == 401)
        #expect(try api.request("POST", "/v1/reload").status == 401)
        #expect(Self.answer(tack) == ["192.0.2.1"])

        // With the token: forced down for 3 s, then back to what the monitors say.
        let forced = try api.request("PUT", "/v1/targets/primary/force", body: body, token: Self.token)
        #expect(forced.status == 200, "\(forced.body)")
        #expect(forced.body.contains("\"state\" : \"down\""), "\(forced.body)")
        #expect(Self.answer(tack) == ["192.0.2.2"])
        let explain = try api.request("GET", "/v1/explain?name=app.fo.test&type=A")
        #expect(explain.body.contains("forced by operator: maintenance"), "\(explain.body)")
        #expect(Self.waitForAnswer(tack, ["192.0.2.1"], limit: 8) != nil, "forced state did not expire\n\(tack.log)")

        // tack ctl: force up a target whose monitors say down, then release it.
        secondary.close()
        let ctl = ["--admin", "127.0.0.1:\(admin)", "--token", Self.token]
        #expect(waitUntil(limit: 10, interval: 0.1) { (try? api.request("GET", "/v1/status").body.contains("\"monitored_state\" : \"down\"")) == true } != nil)
        let forceUp = try DigTool.run(TackProcess.binary.path, ["ctl", "force", "secondary", "up", "--reason", "test"] + ctl)
        #expect(forceUp.status == 0 && forceUp.output.contains("secondary forced up"), "\(forceUp.output)")
        let status = try DigTool.run(TackProcess.binary.path, ["ctl", "status"] + ctl)
        #expect(status.output.contains("secondary  up (forced up; monitors say down)"), "\(status.output)")
        let release = try DigTool.run(TackProcess.binary.path, ["ctl", "force", "secondary", "none"] + ctl)
        #expect(release.status == 0 && release.output.contains("secondary released: down"), "\(release.output)")
        // ctl without the token: refused, and it says why.
        let refused = try DigTool.run(TackProcess.binary.path, ["ctl", "force", "secondary", "up", "--admin", "127.0.0.1:\(admin)",
                                                                 "--config", "/nonexistent.yaml"])
        #expect(refused.status != 0 && refused.output.contains("401"), "\(refused.output)")

        // Metrics scrape: query counters and per-target state.
        let metrics = try api.request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("tack_queries_total{transport=\"udp\",rcode=\"NOERROR\",qtype=\"A\"}"), "\(metrics.body)")
        #expect(metrics.body.contains("tack_target_state{target=\"secondary\",state=\"down\"} 1"), "\(metrics.body)")
        #expect(metrics.body.contains("tack_pool_serving_tier{pool=\"app\"} 1"), "\(metrics.body)")
        #expect(metrics.body.contains("tack_query_duration_seconds_bucket"), "\(metrics.body)")
    }

    @Test(arguments: [("first-tier", ["192.0.2.1"]), ("all", ["192.0.2.1", "192.0.2.2"]), ("nodata", []), ("servfail", ["SERVFAIL"])])
    func allDownModes(mode: String, expected: [String]) throws {
        // Both monitors point at ports nobody listens on.
        let closedA = try Listener(), closedB = try Listener()
        closedA.close(); closedB.close()
        let admin = try TackProcess.freePort()
        let tack = try TackProcess.start(zones: [Self.zone], extraConfig: Self.config(
            admin: admin, primary: Self.tcpMonitor(closedA.port), secondary: Self.tcpMonitor(closedB.port),
            pool: "    all_down: \(mode)"))
        defer { tack.stop() }
        #expect(Self.waitForAnswer(tack, expected, limit: 10) != nil, "\(mode): \(Self.answer(tack))\n\(tack.log)")
        let api = AdminClient(port: admin)
        #expect(try api.request("GET", "/readyz").status == 200)
        let status = try api.request("GET", "/v1/status").body
        #expect(status.contains("all-down (\(mode))"), "\(status)")
    }

    @Test func restartKeepsStates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-fo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // An exec monitor: `check.sh NAME` passes while NAME.up exists, after a delay while
        // `slow` exists (so a restarted server has no fresh result for a while).
        let script = dir.appendingPathComponent("check.sh")
        try """
            #!/bin/sh
            cd "\(dir.path)"
            if [ -e slow ]; then sleep 5; fi
            test -e "$1.up"

            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("secondary.up").path, contents: nil)
        let stateFile = dir.appendingPathComponent("health.json").path
        let admin = try TackProcess.freePort()
        // A 4 s timeout: after the restart, no check can end (by timing out) before the test
        // has asked its question, however slowly the machine starts the server.
        let config = Self.config(admin: admin, primary: Self.execMonitor(script.path, "primary", interval: "5s", timeout: "4s"),
                                 secondary: Self.execMonitor(script.path, "secondary", interval: "5s", timeout: "4s"),
                                 extra: "health:\n  state_file: \(stateFile)")
        var tack = try TackProcess.start(zones: [Self.zone], extraConfig: config)
        #expect(Self.waitForAnswer(tack, ["192.0.2.2"], limit: 10) != nil, "\(tack.log)")
        tack.stop()
        #expect(FileManager.default.fileExists(atPath: stateFile))

        // Restarted, with checks that take 5 s: the restored states answer at once. Without
        // them every target would be unknown and the pool would serve its first tier.
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("slow").path, contents: nil)
        tack = try TackProcess.start(zones: [Self.zone], extraConfig: config)
        defer { tack.stop() }
        #expect(Self.answer(tack) == ["192.0.2.2"], "\(tack.log)")
        #expect(tack.log.contains("restored health states from \(stateFile)"), "\(tack.log)")
        let status = try AdminClient(port: admin).request("GET", "/v1/status").body
        #expect(status.contains("\"checks\" : 0"), "no check should have finished yet: \(status)")
    }
}

/// A TCP listener on 127.0.0.1 the test opens and closes (a monitored "service").
final class Listener {
    private(set) var fd: Int32 = -1
    private(set) var port: UInt16 = 0

    init() throws {
        try open(port: 0)
    }

    private func open(port want: UInt16) throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw TestDNS.Failure(description: "socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 4)
        let addr = try RawSocketAddress(host: "127.0.0.1", port: want)
        guard addr.withSockaddr({ bind(s, $0, $1) }) == 0, listen(s, 64) == 0 else {
            Glibc.close(s)
            throw TestDNS.Failure(description: "bind/listen 127.0.0.1:\(want): errno \(errno)")
        }
        var sin = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &sin) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        fd = s
        port = UInt16(bigEndian: sin.sin_port)
    }

    /// Stops listening: connects are refused.
    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Listens again on the same port.
    func reopen() throws {
        try open(port: port)
    }

    deinit { close() }
}

/// A minimal HTTP/1.1 client for the admin API (one request per connection, bounded reads).
struct AdminClient {
    let port: UInt16

    func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) throws -> (status: Int, body: String) {
        let conn = try TCPConnection(host: "127.0.0.1", port: port, timeoutMs: 5000)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let payload = Array((body ?? "").utf8)
        head += "Content-Length: \(payload.count)\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        try conn.send(Array((head + "\r\n").utf8) + payload)
        var received: [UInt8] = []
        while received.count < 4 << 20 {
            let chunk = try conn.readSome()
            if chunk.isEmpty { break }
            received += chunk
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0..<max(0, received.count - 3)).first(where: { Array(received[$0..<$0 + 4]) == separator }) else {
            throw TestDNS.Failure(description: "not an HTTP response: \(String(decoding: received.prefix(200), as: UTF8.self))")
        }
        let headText = String(decoding: received[..<split], as: UTF8.self)
        let fields = headText.split(separator: "\r\n").first?.split(separator: " ") ?? []
        guard fields.count >= 2, let status = Int(fields[1]) else {
            throw TestDNS.Failure(description: "not an HTTP status line: \(headText.prefix(200))")
        }
        var payloadBytes = Array(received[(split + 4)...])
        if headText.lowercased().contains("transfer-encoding: chunked") { payloadBytes = Self.dechunk(payloadBytes) }
        return (status, String(decoding: payloadBytes, as: UTF8.self))
    }

    /// Removes chunked transfer framing: hex size line, data, CRLF, until a zero size.
    static func dechunk(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [], i = 0
        while i < b.count {
            var j = i
            while j + 1 < b.count, !(b[j] == 13 && b[j + 1] == 10) { j += 1 }
            guard j + 1 < b.count, let size = Int(String(decoding: b[i..<j], as: UTF8.self), radix: 16), size > 0,
                  j + 2 + size <= b.count else { break }
            out += b[(j + 2)..<(j + 2 + size)]
            i = j + 2 + size + 2
        }
        return out
    }
}
