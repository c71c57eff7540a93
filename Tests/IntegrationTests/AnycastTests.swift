#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import DNSWire

/// `tack announce`, drain and `tack fleet check` against real `tack serve` processes. BIRD is
/// replaced by a recording `birdc` here (the netns lab in lab/ drives a real BIRD); what is
/// checked is what the announcer asks BIRD to do, and when.
@Suite(.serialized) struct AnycastTests {
    /// A fake birdc that appends "time enable|disable PROTO" to a log and answers as BIRD does.
    static func fakeBirdc(in dir: URL) throws -> (program: String, log: URL) {
        let log = dir.appendingPathComponent("birdc.log")
        let program = dir.appendingPathComponent("birdc")
        try """
            #!/bin/sh
            echo "$(date +%s.%N) $3 $4" >> "\(log.path)"
            echo "BIRD 2.0.12 ready."
            echo "$4: ${3}d"

            """.write(to: program, atomically: true, encoding: .utf8)
        chmod(program.path, 0o755)
        return (program.path, log)
    }

    /// The last action the announcer sent for `proto` ("enable" or "disable"), if any.
    static func lastAction(_ log: URL, _ proto: String = "anycast4") -> String? {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").last { $0.hasSuffix(" \(proto)") }.map { String($0.split(separator: " ")[1]) }
    }

    /// How many times the announcer has called birdc so far.
    static func birdcCalls(_ log: URL) -> Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Starts `tack announce` for `tack`'s config; stopped by the caller.
    static func announce(_ tack: TackProcess, dir: URL) throws -> Process {
        let p = Process()
        p.executableURL = TackProcess.binary
        p.arguments = ["announce", "--config", tack.configFile.path, "--duration", "60"]
        let out = FileHandle(forWritingAtPath: dir.appendingPathComponent("announce.log").path)
            ?? FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = out
        try p.run()
        return p
    }

    @Test func announcesWhileHealthyAndWithdrawsOnFaultsAndDrain() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-any-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("announce.log").path, contents: nil)
        let birdc = try Self.fakeBirdc(in: dir)
        let admin = try TackProcess.freePort()
        let drainFile = dir.appendingPathComponent("drain").path
        // A pool whose only target is down: the announcer must not care (shared fate).
        let closed = try Listener()
        closed.close()
        let config = """
            admin:
              listen: 127.0.0.1:\(admin)
              token: anycast-test-token-0123456789
            anycast:
              interval: 100ms
              timeout: 100ms
              rise: 3
              fall: 2
              birdc: \(birdc.program)
              bird_socket: \(dir.path)/bird.ctl
              drain_file: \(drainFile)
              drain_period: 3s
            targets:
              - name: only
                answers: [192.0.2.1]
                monitors:
                  - type: tcp
                    address: "127.0.0.1:\(closed.port)"
                    interval: 200ms
                    timeout: 100ms
            pools:
              - name: app
                owner: app.example.test
                tiers: [[only]]
                all_down: servfail
                ttl: 60

            """
        let tack = try TackProcess.start(zones: [try TackProcess.exampleZone()], extraConfig: config)
        defer { tack.stop() }
        let announcer = try Self.announce(tack, dir: dir)
        defer { if announcer.isRunning { kill(announcer.processIdentifier, SIGKILL) }; announcer.waitUntilExit() }
        let log = birdc.log
        let announceLog = { (try? String(contentsOf: dir.appendingPathComponent("announce.log"), encoding: .utf8)) ?? "" }

        // Healthy: announced on both protocols, although the only pool is all down.
        #expect(waitUntil(limit: 5) { Self.lastAction(log) == "enable" && Self.lastAction(log, "anycast6") == "enable" } != nil,
                "\(announceLog())\n\(tack.log)")
        #expect(try DigTool.dig("127.0.0.1", tack.port, ["app.example.test", "A"]).rcode == "SERVFAIL")
        // Re-asserted every second while unchanged (a restarted BIRD would be corrected).
        let before = Self.birdcCalls(log)
        #expect(waitUntil(limit: 5) { Self.birdcCalls(log) >= before + 4 } != nil,
                "no re-assertion within 5 s: \(before) -> \(Self.birdcCalls(log)) birdc calls")
        #expect(Self.lastAction(log) == "enable")

        // The drain file withdraws at once; removing it announces again.
        _ = FileManager.default.createFile(atPath: drainFile, contents: nil)
        #expect(waitUntil(limit: 1) { Self.lastAction(log) == "disable" } != nil, "\(announceLog())")
        try FileManager.default.removeItem(atPath: drainFile)
        #expect(waitUntil(limit: 2) { Self.lastAction(log) == "enable" } != nil, "\(announceLog())")

        // A hung server (SIGSTOP): withdrawn after `fall` failed rounds; back after SIGCONT.
        tack.signal(SIGSTOP)
        let hung = waitUntil(limit: 3) { Self.lastAction(log) == "disable" }
        tack.signal(SIGCONT)
        #expect(hung != nil && hung! < 1.5, "withdrawn after \(hung.map { String($0) } ?? "never") s\n\(announceLog())")
        #expect(waitUntil(limit: 3) { Self.lastAction(log) == "enable" } != nil, "\(announceLog())")

        // A drain through the API: not ready at once (withdrawn), still answering during the
        // drain period, then stopped.
        let drained = try DigTool.run(TackProcess.binary.path, ["ctl", "drain", "--admin", "127.0.0.1:\(admin)",
                                                                "--token", "anycast-test-token-0123456789"])
        #expect(drained.status == 0 && drained.output.contains("draining"), "\(drained.output)")
        let withdrawn = waitUntil(limit: 1) { Self.lastAction(log) == "disable" }
        #expect(withdrawn != nil && withdrawn! < 0.5, "\(announceLog())")
        let during = try TestDNS.udp(Question(try Name(parsing: "example.test."), .soa), host: "127.0.0.1", port: tack.port)
        #expect(during.rcode == .noError, "queries must be answered while draining")
        #expect(try AdminClient(port: admin).request("GET", "/readyz").status == 503)
        #expect(tack.waitForExit(timeout: 8) == 0, "\(tack.log)")
        #expect(tack.log.contains("draining (admin API)"), "\(tack.log)")
        // The server is gone: the announcer stays withdrawn (checked after its next round,
        // which re-asserts the withdrawal).
        let calls = Self.birdcCalls(log)
        #expect(waitUntil(limit: 3) { Self.birdcCalls(log) > calls } != nil, "no announcer round within 3 s\n\(announceLog())")
        #expect(Self.lastAction(log) == "disable")
        kill(announcer.processIdentifier, SIGTERM)
        announcer.waitUntilExit()
        #expect(announcer.terminationStatus == 0, "\(announceLog())")
        #expect(Self.lastAction(log) == "disable" && Self.lastAction(log, "anycast6") == "disable")
    }

    @Test func sigtermDrainsBeforeStopping() throws {
        let tack = try TackProcess.start(zones: [try TackProcess.exampleZone()], extraConfig: """
            admin:
              listen: 127.0.0.1:\(try TackProcess.freePort())
            anycast:
              drain_period: 1500ms

            """)
        defer { tack.stop() }
        let soa = Question(try Name(parsing: "example.test."), .soa)
        tack.signal(SIGTERM)
        let sent = Date()
        // Answers keep coming during the drain period, then the process exits by itself.
        var answered = 0
        while Date().timeIntervalSince(sent) < 1.2 {
            if (try? TestDNS.udp(soa, host: "127.0.0.1", port: tack.port, timeoutMs: 200, attempts: 1))?.rcode == .noError { answered += 1 }
            usleep(100_000)
        }
        #expect(answered >= 8, "only \(answered) answers during the drain\n\(tack.log)")
        #expect(tack.waitForExit(timeout: 5) == 0, "\(tack.log)")
        let stopped = Date().timeIntervalSince(sent)
        #expect(stopped >= 1.4, "stopped after \(stopped) s, before the drain period")
        #expect(tack.log.contains("draining (signal SIGTERM)"), "\(tack.log)")
    }

    @Test func fleetCheckFindsZoneAndPoolDrift() throws {
        let zone = try TackProcess.exampleZone()
        let pools = """
            targets:
              - name: web
                answers: [192.0.2.80]
                monitors:
                  - type: exec
                    command: [/bin/true]
            pools:
              - name: app
                owner: app.example.test
                tiers: [[web]]
                ttl: 60

            """
        let a = try TackProcess.start(zones: [zone], extraConfig: pools)
        defer { a.stop() }
        let b = try TackProcess.start(zones: [zone], extraConfig: pools)
        defer { b.stop() }
        let fleet = { (args: [String]) in try DigTool.run(TackProcess.binary.path, ["fleet", "check"] + args) }
        let same = try fleet(["127.0.0.1:\(a.port)", "[::1]:\(b.port)"])
        #expect(same.status == 0 && same.output.contains("2 instance(s) serve the same data"), "\(same.output)")

        // One record changed on b, serial unchanged: drift in that zone only.
        try b.writeZone(file: zone.file, text: zone.text.replacingOccurrences(of: "192.0.2.10", with: "192.0.2.11"))
        b.signal(SIGHUP)
        #expect(waitUntil(limit: 5) { b.log.contains("reload succeeded") } != nil)
        let zoneDrift = try fleet(["127.0.0.1:\(a.port)", "127.0.0.1:\(b.port)"])
        #expect(zoneDrift.status == 1 && zoneDrift.output.contains("zone example.test.:"), "\(zoneDrift.output)")
        #expect(!zoneDrift.output.contains("targets, monitors and pools"), "\(zoneDrift.output)")

        // A pool policy changed on a (same zone data as b now): only the pools differ.
        try a.writeZone(file: zone.file, text: zone.text.replacingOccurrences(of: "192.0.2.10", with: "192.0.2.11"))
        let config = try String(contentsOf: a.configFile, encoding: .utf8)
        try config.replacingOccurrences(of: "ttl: 60", with: "ttl: 30").write(to: a.configFile, atomically: true, encoding: .utf8)
        a.signal(SIGHUP)
        #expect(waitUntil(limit: 5) { a.log.contains("reload succeeded") } != nil)
        let poolDrift = try fleet(["127.0.0.1:\(a.port)", "127.0.0.1:\(b.port)"])
        #expect(poolDrift.status == 1 && poolDrift.output.contains("targets, monitors and pools"), "\(poolDrift.output)")
        #expect(!poolDrift.output.contains("zone example.test.:"), "\(poolDrift.output)")

        // An instance that does not answer is reported and fails the check.
        let gone = try fleet(["127.0.0.1:\(b.port)", "127.0.0.1:\(try TackProcess.freePort())", "--timeout", "200"])
        #expect(gone.status == 1 && gone.output.contains("unreachable"), "\(gone.output)")
    }
}
