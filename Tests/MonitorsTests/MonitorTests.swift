#if canImport(Glibc)
import Glibc
#endif
import DNSWire
import Foundation
import Health
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Testing
@testable import Monitors

let timeout: Duration = .seconds(2)

func port(of ch: any Channel) -> Int { ch.localAddress!.port! }

@Suite struct TCPMonitorTests {
    @Test(arguments: ["127.0.0.1", "::1"])
    func openThenClosed(host: String) async throws {
        let server = try await startTCPListener(host: host)
        let p = port(of: server)
        let m = TCPMonitor(address: try MonitorAddress(host: host, port: p))
        let up = await m.check(timeout: timeout, group: testGroup)
        #expect(up.passed, "\(up.detail)")
        try await server.close()
        let down = await m.check(timeout: timeout, group: testGroup)
        #expect(!down.passed)
        #expect(down.detail == "tcp connect \(host == "::1" ? "[::1]" : host):\(p) refused")
    }

    @Test(arguments: ["web.example", "300.1.1.1", "", "1.2.3"])
    func namesAreNotAddresses(host: String) {
        #expect(throws: MonitorError.self) { try MonitorAddress(host: host, port: 80) }
    }

    @Test func portRange() {
        #expect(throws: MonitorError.self) { try MonitorAddress(host: "127.0.0.1", port: 0) }
        #expect(throws: MonitorError.self) { try MonitorAddress(host: "127.0.0.1", port: 65536) }
    }
}

@Suite struct HTTPMonitorTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String, path: String
        var status: [ClosedRange<Int>] = [200...399]
        var body: String? = nil
        var host: String? = nil
        let passes: Bool
        let detail: String
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "200 is up", path: "/ok", passes: true, detail: "status 200"),
        Row(name: "404 is down", path: "/missing", passes: false, detail: "status 404, expected 200-399"),
        Row(name: "302 counts as up by default and is not followed", path: "/redirect", passes: true, detail: "status 302"),
        Row(name: "302 is down when only 200 is expected", path: "/redirect", status: [200...200], passes: false, detail: "status 302, expected 200"),
        Row(name: "404 is up when expected", path: "/missing", status: [404...404], passes: true, detail: "status 404"),
        Row(name: "body substring present", path: "/ok", body: "hello", passes: true, detail: "body contains \"hello\""),
        Row(name: "body substring absent", path: "/ok", body: "goodbye", passes: false, detail: "does not contain \"goodbye\""),
        Row(name: "Host header is the configured host", path: "/host", body: "Host: www.health.test", host: "www.health.test",
            passes: true, detail: "body contains"),
    ]

    @Test(arguments: rows)
    func statusAndBody(_ row: Row) async throws {
        let server = try await startHTTPServer()
        defer { server.close(promise: nil) }
        let s = try HTTPCheckSettings(https: false, address: try MonitorAddress(host: "127.0.0.1", port: port(of: server)),
                                      host: row.host, path: row.path, expectedStatus: row.status, bodyContains: row.body)
        let m = HTTPMonitor(s, group: testGroup)
        let r = await m.check(timeout: timeout)
        await m.shutdown()
        #expect(r.passed == row.passes, "\(r.detail)")
        #expect(r.detail.contains(row.detail), "\(r.detail)")
    }

    @Test func ipv6Address() async throws {
        let server = try await startHTTPServer(host: "::1")
        defer { server.close(promise: nil) }
        let s = try HTTPCheckSettings(https: false, address: try MonitorAddress(host: "::1", port: port(of: server)), path: "/host",
                                      bodyContains: "Host: [::1]")
        let m = HTTPMonitor(s, group: testGroup)
        let r = await m.check(timeout: timeout)
        await m.shutdown()
        #expect(r.passed, "\(r.detail)")
        #expect(r.detail.hasPrefix("GET http://[::1]:\(s.address.port)/host"), "\(r.detail)")
    }

    @Test func closedPortIsDown() async throws {
        let server = try await startHTTPServer()
        let p = port(of: server)
        try await server.close()
        let m = HTTPMonitor(try HTTPCheckSettings(https: false, address: try MonitorAddress(host: "127.0.0.1", port: p), path: "/ok"),
                            group: testGroup)
        let r = await m.check(timeout: timeout)
        await m.shutdown()
        #expect(!r.passed)
        #expect(r.detail.contains("refused"), "\(r.detail)")
    }

    @Test func httpsCertificateValidation() async throws {
        let (cert, key) = try makeSelfSignedCertificate()
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))))
        let server = try await startHTTPServer(tls: tls)
        defer { server.close(promise: nil) }
        let addr = try MonitorAddress(host: "127.0.0.1", port: port(of: server))

        let strict = HTTPMonitor(try HTTPCheckSettings(https: true, address: addr, host: "health.test", path: "/ok"), group: testGroup)
        let bad = await strict.check(timeout: timeout)
        await strict.shutdown()
        #expect(!bad.passed)
        #expect(bad.detail.lowercased().contains("certificate"), "\(bad.detail)")

        let lax = HTTPMonitor(try HTTPCheckSettings(https: true, address: addr, host: "health.test", path: "/host",
                                                    bodyContains: "Host: health.test", validateCertificate: false), group: testGroup)
        let ok = await lax.check(timeout: timeout)
        await lax.shutdown()
        #expect(ok.passed, "\(ok.detail)")
        #expect(ok.detail.hasPrefix("GET https://health.test:\(addr.port)/host via 127.0.0.1:\(addr.port)"), "\(ok.detail)")
    }

    @Test func badSettingsAreRejected() throws {
        let addr = try MonitorAddress(host: "127.0.0.1", port: 80)
        #expect(throws: MonitorError.self) { try HTTPCheckSettings(https: false, address: addr, path: "ok") }
        #expect(throws: MonitorError.self) { try HTTPCheckSettings(https: false, address: addr, expectedStatus: [600...700]) }
        #expect(throws: MonitorError.self) { try HTTPCheckSettings(https: false, address: addr, host: "a:80") }
    }
}

@Suite struct DNSMonitorTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String, qname: String
        var rcode: RCode = .noError
        var expect: String? = nil
        let passes: Bool
        let detail: String
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "NOERROR as expected", qname: "up.test.", passes: true, detail: "NOERROR, 1 answers"),
        Row(name: "answer address present", qname: "up.test.", expect: "192.0.2.53", passes: true, detail: "answer 192.0.2.53 present"),
        Row(name: "answer address absent", qname: "up.test.", expect: "192.0.2.54", passes: false, detail: "no answer 192.0.2.54 (got 192.0.2.53)"),
        Row(name: "NXDOMAIN when NOERROR expected", qname: "down.test.", passes: false, detail: "rcode NXDOMAIN, expected NOERROR"),
        Row(name: "NXDOMAIN expected", qname: "down.test.", rcode: .nxDomain, passes: true, detail: "NXDOMAIN"),
    ]

    @Test(arguments: rows)
    func responses(_ row: Row) async throws {
        let server = try await startDNSResponder()
        defer { server.close(promise: nil) }
        let m = DNSMonitor(DNSCheckSettings(address: try MonitorAddress(host: "127.0.0.1", port: port(of: server)),
                                            name: try Name(parsing: row.qname), type: .a, rcode: row.rcode, expectAnswer: row.expect))
        let r = await m.check(timeout: timeout, group: testGroup)
        #expect(r.passed == row.passes, "\(r.detail)")
        #expect(r.detail.contains(row.detail), "\(r.detail)")
    }

    @Test func ipv6Responder() async throws {
        let server = try await startDNSResponder(host: "::1")
        defer { server.close(promise: nil) }
        let m = DNSMonitor(DNSCheckSettings(address: try MonitorAddress(host: "::1", port: port(of: server)), name: try Name(parsing: "up.test.")))
        let r = await m.check(timeout: timeout, group: testGroup)
        #expect(r.passed, "\(r.detail)")
    }

    @Test func noResponderIsDown() async throws {
        let server = try await startDNSResponder()
        let p = port(of: server)
        try await server.close()
        let m = DNSMonitor(DNSCheckSettings(address: try MonitorAddress(host: "127.0.0.1", port: p), name: try Name(parsing: "up.test.")))
        let r = await m.check(timeout: .milliseconds(300), group: testGroup)
        #expect(!r.passed)
        #expect(r.detail.hasPrefix("dns up.test. A @127.0.0.1:\(p): "), "\(r.detail)")
    }
}

@Suite struct ExecMonitorTests {
    @Test func exitStatus() async throws {
        let t = await (try ExecMonitor(executable: "/bin/true")).check(timeout: timeout)
        #expect(t.passed && t.detail == "exec /bin/true: exit 0")
        let f = await (try ExecMonitor(executable: "/bin/false")).check(timeout: timeout)
        #expect(!f.passed && f.detail == "exec /bin/false: exit 1")
        let sh = await (try ExecMonitor(executable: "/bin/sh", arguments: ["-c", "exit 3"])).check(timeout: timeout)
        #expect(sh.detail == "exec /bin/sh -c exit 3: exit 3")
    }

    @Test func timeoutKillsTheProcess() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("tack-exec-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let m = try ExecMonitor(executable: "/bin/sh", arguments: ["-c", "echo $$ > \(pidFile); exec /bin/sleep 5"])
        let r = await m.check(timeout: .milliseconds(200))
        #expect(!r.passed)
        #expect(r.detail.hasSuffix("timed out after 200 ms, killed"), "\(r.detail)")
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(pid_t(text))
        // The check reaped it: the process no longer exists.
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func missingExecutable() async throws {
        let r = await (try ExecMonitor(executable: "/nonexistent/tack-check")).check(timeout: timeout)
        #expect(!r.passed && r.detail.contains("cannot start"), "\(r.detail)")
        #expect(throws: MonitorError.self) { try ExecMonitor(executable: "true") }
    }
}

@Suite struct FileMonitorTests {
    func write(_ text: String, to path: String) throws {
        // Written the way an external monitor should: temp file and rename.
        try text.write(toFile: path + ".new", atomically: false, encoding: .utf8)
        #expect(rename(path + ".new", path) == 0)
    }

    @Test func stateFollowsTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tack-file-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let m = try FileMonitor(path: path, targetName: "web1")
        #expect(!m.check().passed)

        let model = try HealthModel(
            targets: [TargetDefinition(name: "web1", answers: [try RData.parse(type: .a, text: "192.0.2.1")],
                                       monitors: [MonitorSlot(name: "file", thresholds: try Thresholds(rise: 1, fall: 1))])],
            pools: [])
        let board = HealthBoard(model: model, at: Date()) { _, _ in }
        let steps: [(String, HealthState, String)] = [
            ("# written by keepalived\nweb2 down\nweb1 up\n", .up, "line 3: web1 up"),
            ("web1 up\nweb1 down\n", .down, "line 2: web1 down"),
            ("web1   UP   # comment\n", .up, "web1 up"),
            ("web1 sideways\n", .down, "expected 'web1 up' or 'web1 down', found 'web1 sideways'"),
            ("web2 up\n", .down, "no line for web1"),
        ]
        for (text, state, detail) in steps {
            try write(text, to: path)
            let r = m.check()
            #expect(r.detail.contains(detail), "\(r.detail)")
            board.record(target: 0, monitor: 0, result: r, at: Date())
            #expect(board.snapshot.targets[0].state == state)
        }
        // Unchanged file: the same verdict again.
        #expect(m.check().detail.contains("no line for web1"))
        try FileManager.default.removeItem(atPath: path)
        #expect(m.check().detail.contains("cannot read"))
    }
}

@Suite struct HealthStateStoreTests {
    @Test func roundTripMissingAndCorrupt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = HealthStateStore(path: "\(dir)/health.json")
        let logs = CapturedLogs()
        #expect(store.load(logger: logs.logger) == nil)
        #expect(logs.warnings.count == 1 && logs.warnings[0].contains("missing"))

        let state = PersistedHealth(savedAt: Date(timeIntervalSince1970: 1_800_000_000), targets: [
            "web1": PersistedTarget(monitors: ["tcp": PersistedMonitor(state: .down, reason: "3 consecutive failures: refused",
                                                                       lastChange: Date(timeIntervalSince1970: 1_799_999_000))],
                                    forced: nil, lastChange: nil),
        ])
        try store.save(state)
        try store.save(state)
        #expect(store.load(logger: logs.logger) == state)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["health.json"])

        try "{ not json".write(toFile: "\(dir)/health.json", atomically: false, encoding: .utf8)
        #expect(store.load(logger: logs.logger) == nil)
        #expect(logs.warnings.count == 2 && logs.warnings[1].contains("is not a valid Tack health state"))

        #expect(throws: MonitorError.self) { try HealthStateStore(path: "\(dir)/no/such/dir/health.json").save(state) }
    }
}

@Suite struct CommandTests {
    @Test func collectsOutputAndStatus() async throws {
        let r = try await Command.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 4"], timeout: timeout, grace: .milliseconds(100),
                                      collectOutput: true)
        #expect(r.end == .exited(4))
        #expect(r.output == "out\nerr\n")
        let limited = try await Command.run("/bin/sh", ["-c", "printf 0123456789"], timeout: timeout, grace: .milliseconds(100),
                                            collectOutput: true, outputLimit: 4)
        #expect(limited.end == .exited(0) && limited.output == "0123")
    }

    /// A program that ignores SIGTERM gets SIGKILL after the grace, and is reaped.
    @Test func sigkillAfterTheGrace() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("tack-cmd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let r = try await Command.run("/bin/sh", ["-c", "trap '' TERM; echo $$ > \(pidFile); while :; do sleep 1; done"],
                                      timeout: .milliseconds(300), grace: .milliseconds(200))
        #expect(r.end == .timedOut)
        let pid = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func manyAtOnce() async throws {
        let ends = try await withThrowingTaskGroup(of: Command.End.self) { group in
            for i in 0..<16 {
                group.addTask { try await Command.run("/bin/sh", ["-c", "exit \(i % 3)"], timeout: timeout, grace: .milliseconds(100)).end }
            }
            return try await group.reduce(into: [Command.End]()) { $0.append($1) }
        }
        #expect(ends.count == 16)
        #expect(ends.filter { $0 == .exited(0) }.count == 6 && ends.filter { $0 == .exited(1) }.count == 5)
    }

    /// Only 0, 1 and 2 reach the program, even a descriptor opened without close-on-exec (a
    /// leaked listening socket kept a closed test server's port answering).
    @Test func onlyTheStandardDescriptorsAreInherited() async throws {
        let fd = open("/dev/null", O_RDONLY)
        #expect(fd > 2)
        defer { close(fd) }
        let r = try await Command.run("/bin/sh", ["-c", "[ -e /proc/$$/fd/\(fd) ] && echo inherited || echo closed"],
                                      timeout: timeout, grace: .milliseconds(100), collectOutput: true)
        #expect(r.end == .exited(0))
        #expect(r.output == "closed\n", "descriptor \(fd): \(r.output)")
    }

    @Test func aMissingProgramIsAStartError() async {
        await #expect(throws: Command.StartError.self) {
            _ = try await Command.run("/nonexistent/tack-cmd", [], timeout: timeout, grace: .milliseconds(100))
        }
    }

    /// A child reaped by someone else (as with SIGCHLD ignored) ends as `statusLost`, not as
    /// `exited(0)`: an exec check whose result is unknown must not count as up.
    @Test func aChildReapedElsewhereIsNotASuccess() throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("exit 3"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid && (status >> 8) & 0xff == 3)
        #expect(Command.Child(pid: pid).waitAndReap() == .statusLost)
    }
}
