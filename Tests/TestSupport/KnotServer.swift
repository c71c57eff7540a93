#if canImport(Glibc)
import Glibc
#endif
import Foundation
import DNSWire

/// A `knotd` started for one test: its own temp directory, config and zone files, bound to
/// 127.0.0.1 on a random high port, stopped by PID. Optionally with mod-cookies (RFC 9018).
public final class KnotServer: @unchecked Sendable {
    /// Where Debian installs the daemon.
    public static let binary = "/usr/sbin/knotd"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }
    /// Ports tried before giving up (another process may hold one).
    static let maxStartAttempts = 5
    /// Readiness probes, each waiting up to `probeTimeoutMs` for a reply.
    static let maxReadinessProbes = 100
    static let probeTimeoutMs = 100

    public let dir: URL
    public let port: UInt16
    let process: Process

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `zones` (origin, zone-file text) and starts knotd; returns once it answers an
    /// SOA query for the first zone.
    /// With `cookieSecret` (32 hex digits), knotd runs mod-cookies with that server secret.
    /// With `transferFrom` (an address prefix), sources inside it may transfer every zone.
    public static func start(zones: [(origin: String, text: String)], cookieSecret: String? = nil,
                             transferFrom: String? = nil) throws -> KnotServer {
        var lastLog = ""
        for _ in 0..<maxStartAttempts {
            let port = UInt16.random(in: 20000...60999)
            let server = try KnotServer(zones: zones, port: port, cookieSecret: cookieSecret, transferFrom: transferFrom)
            if server.waitUntilAnswering(origin: zones[0].origin) { return server }
            lastLog = server.log
            server.stop()
        }
        throw Failure(description: "knotd did not come up after \(maxStartAttempts) attempts; last log:\n\(lastLog)")
    }

    private init(zones: [(origin: String, text: String)], port: UInt16, cookieSecret: String?, transferFrom: String?) throws {
        self.port = port
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-knot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var conf = """
        server:
            rundir: "\(dir.path)"
            pidfile: "\(dir.path)/knot.pid"
            listen: 127.0.0.1@\(port)
            udp-workers: 1
            tcp-workers: 1
            background-workers: 1
        log:
          - target: stderr
            any: warning
        database:
            storage: "\(dir.path)/db"
        control:
            listen: "\(dir.path)/knot.sock"
        \(cookieSecret.map { "mod-cookies:\n  - id: shared\n    secret: 0x\($0)\n" } ?? "")
        \(transferFrom.map { "acl:\n  - id: transfer\n    address: \($0)\n    action: transfer\n" } ?? "")
        template:
          - id: default
            storage: "\(dir.path)"
        \(cookieSecret == nil ? "" : "    global-module: mod-cookies/shared\n")
            zonefile-sync: -1
            zonefile-load: whole
            journal-content: none
            semantic-checks: off
        zone:

        """
        for (i, z) in zones.enumerated() {
            let file = dir.appendingPathComponent("zone\(i).zone")
            try z.text.write(to: file, atomically: true, encoding: .utf8)
            conf += "  - domain: \(z.origin)\n    file: \"\(file.path)\"\n"
            if transferFrom != nil { conf += "    acl: transfer\n" }
        }
        let confFile = dir.appendingPathComponent("knot.conf")
        try conf.write(to: confFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: KnotServer.binary)
        process.arguments = ["-c", confFile.path]
        let logFile = dir.appendingPathComponent("knotd.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    public var log: String {
        (try? String(contentsOf: dir.appendingPathComponent("knotd.log"), encoding: .utf8)) ?? ""
    }

    public func waitUntilAnswering(origin: String) -> Bool {
        guard let name = try? Name(parsing: origin) else { return false }
        for _ in 0..<KnotServer.maxReadinessProbes {
            guard process.isRunning else { return false }
            if let reply = try? query(Question(name, .soa), timeoutMs: KnotServer.probeTimeoutMs, attempts: 1),
               reply.rcode == .noError, !reply.answers.isEmpty {
                return true
            }
        }
        return false
    }

    /// Sends one question over UDP with a 4096-octet EDNS buffer and decodes the reply.
    public func query(_ q: Question, timeoutMs: Int = 2000, attempts: Int = 3) throws -> Message {
        try TestDNS.udp(q, host: "127.0.0.1", port: port, timeoutMs: timeoutMs, attempts: attempts)
    }

    /// Opens a TCP connection to knotd, for `TestDNS.tcp`.
    public func connectTCP(timeoutMs: Int = 3000) throws -> TCPConnection {
        try TCPConnection(host: "127.0.0.1", port: port, timeoutMs: timeoutMs)
    }

    /// Stops knotd by PID (SIGTERM, then waits for it) and removes the directory.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dir)
    }
}
