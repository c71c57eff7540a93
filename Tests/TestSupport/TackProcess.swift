#if canImport(Glibc)
import Glibc
#endif
import Foundation
import DNSClient
import DNSWire

/// A real `tack serve` child process for one test: its own temp directory with a config and zone
/// files, listening on one free high port on 127.0.0.1 and ::1, stopped by PID.
public final class TackProcess: @unchecked Sendable {
    /// Ports tried before giving up (another process may take the port between probe and bind).
    public static let maxStartAttempts = 5
    /// Readiness probes, each waiting up to `probeTimeoutMs` for a reply.
    public static let maxReadinessProbes = 100
    public static let probeTimeoutMs = 100
    /// How long a SIGTERM may take before SIGKILL.
    public static let stopTimeout: TimeInterval = 10

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let dir: URL
    public let port: UInt16
    public let configFile: URL
    private let process: Process
    private let exited = DispatchSemaphore(value: 0)
    private var reaped = false

    public var pid: Int32 { process.processIdentifier }
    public var log: String { (try? String(contentsOf: dir.appendingPathComponent("tack.log"), encoding: .utf8)) ?? "" }

    /// The package root, from this file's path (Tests/TestSupport/TackProcess.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The built `tack`: next to the test bundle (same build directory), else .build/debug/tack.
    public static var binary: URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDir.appendingPathComponent("tack"),
                          bundleDir.deletingLastPathComponent().appendingPathComponent("tack"),
                          packageRoot.appendingPathComponent(".build/debug/tack")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    /// Writes the zone files (name, file name, text) and a config whose `listen` is filled in,
    /// then starts tack and returns once it answers an SOA query for the first zone over UDP.
    /// `extraConfig` is YAML appended to the generated config (identity, cookies, limits...);
    /// `zoneConfig` adds YAML lines under a zone's entry, by zone name (allow_transfer...).
    public static func start(zones: [(name: String, file: String, text: String)], extraConfig: String = "",
                             zoneConfig: [String: String] = [:]) throws -> TackProcess {
        var lastLog = ""
        for _ in 0..<maxStartAttempts {
            let port = try freePort()
            let tack = try TackProcess(zones: zones, port: port, extraConfig: extraConfig, zoneConfig: zoneConfig)
            if tack.waitUntilAnswering(origin: zones[0].name) { return tack }
            lastLog = tack.log
            tack.stop()
        }
        throw Failure(description: "tack did not come up after \(maxStartAttempts) attempts; last log:\n\(lastLog)")
    }

    /// The example zone from zones/, under its own name.
    public static func exampleZone() throws -> (name: String, file: String, text: String) {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("zones/example.test.zone"), encoding: .utf8)
        return ("example.test", "example.test.zone", text)
    }

    private init(zones: [(name: String, file: String, text: String)], port: UInt16, extraConfig: String,
                 zoneConfig: [String: String]) throws {
        self.port = port
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var conf = "listen: [\"127.0.0.1:\(port)\", \"[::1]:\(port)\"]\nzones:\n"
        for z in zones {
            try z.text.write(to: dir.appendingPathComponent(z.file), atomically: true, encoding: .utf8)
            conf += "  - name: \(z.name)\n    file: \(z.file)\n"
            if let extra = zoneConfig[z.name] { conf += "    \(extra)\n" }
        }
        conf += extraConfig
        // The admin API on a port of its own unless the test sets one (the default, 8053,
        // would clash between tests running at once).
        if !extraConfig.contains("admin:") { conf += "\nadmin:\n  listen: 127.0.0.1:0\n" }
        configFile = dir.appendingPathComponent("tack.yaml")
        try conf.write(to: configFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = TackProcess.binary
        process.arguments = ["serve", "--config", configFile.path]
        let logFile = dir.appendingPathComponent("tack.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        let sem = exited
        process.terminationHandler = { _ in sem.signal() }
        try process.run()
    }

    /// Rewrites one zone file (atomically, so a reload never reads half a file).
    public func writeZone(file: String, text: String) throws {
        try text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    public func signal(_ sig: Int32) { if process.isRunning { kill(process.processIdentifier, sig) } }

    /// Waits up to `timeout` seconds for the process to exit; its exit status, or nil.
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        if !reaped {
            guard exited.wait(timeout: .now() + timeout) == .success else { return nil }
            reaped = true
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Logged by `tack serve` when its admin API listens, which is after the DNS listeners
    /// answer (the admin API is a service of the group that starts then). Until then the admin
    /// API refuses connections. Needs the default log level (info) or lower.
    public static let readyLogLine = "admin API listening on"

    /// Whether tack answers an SOA query for `origin` over UDP and TCP and has logged
    /// `readyLogLine`.
    public func waitUntilAnswering(origin: String) -> Bool {
        guard let name = try? Name(parsing: origin + ".") else { return false }
        for _ in 0..<TackProcess.maxReadinessProbes {
            guard process.isRunning else { return false }
            if let reply = try? TestDNS.udp(Question(name, .soa), host: "127.0.0.1", port: port,
                                              timeoutMs: TackProcess.probeTimeoutMs, attempts: 1),
               reply.rcode == .noError, !reply.answers.isEmpty, answersTCP(name) {
                if log.contains(TackProcess.readyLogLine) { return true }
                // Answering already, so the probe did not wait: wait here instead.
                usleep(UInt32(TackProcess.probeTimeoutMs * 1000))
            }
        }
        return false
    }

    /// Whether an SOA query over TCP is answered on both addresses (UDP may be up first).
    private func answersTCP(_ name: Name) -> Bool {
        for host in ["127.0.0.1", "::1"] {
            guard (try? TestDNS.exchange(Question(name, .soa), host: host, port: port, over: .tcp,
                                         timeoutMs: TackProcess.probeTimeoutMs, attempts: 1)) != nil else { return false }
        }
        return true
    }

    /// Stops tack by PID: SIGTERM, wait, SIGKILL if it lingers; removes the directory.
    public func stop() {
        if !reaped, process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            if waitForExit(timeout: TackProcess.stopTimeout) == nil {
                kill(process.processIdentifier, SIGKILL)
                _ = waitForExit(timeout: TackProcess.stopTimeout)
            }
        }
        try? FileManager.default.removeItem(at: dir)
    }

    /// A port free on 127.0.0.1 and ::1 for both UDP and TCP, found by binding port 0.
    public static func freePort() throws -> UInt16 {
        for _ in 0..<20 {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
            var sin = sockaddr_in()
            if let addr = try? RawSocketAddress(host: "127.0.0.1", port: 0), addr.withSockaddr({ bind(fd, $0, $1) }) == 0 {
                var len = socklen_t(MemoryLayout<sockaddr_in>.size)
                _ = withUnsafeMutablePointer(to: &sin) { p in
                    p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
                }
            }
            close(fd)  // before probing the port on every address and protocol
            let port = UInt16(bigEndian: sin.sin_port)
            if port >= 1024, canBind(port) { return port }
        }
        throw Failure(description: "no free port on 127.0.0.1 and ::1 after 20 tries")
    }

    /// Whether `port` can be bound on every address and protocol tack will listen on.
    private static func canBind(_ port: UInt16) -> Bool {
        for host in ["127.0.0.1", "::1"] {
            for type in [SOCK_DGRAM, SOCK_STREAM] {
                guard let addr = try? RawSocketAddress(host: host, port: port) else { return false }
                let fd = socket(addr.family, Int32(type.rawValue), 0)
                guard fd >= 0 else { return false }
                defer { close(fd) }
                if host == "::1" { var one: Int32 = 1; setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, 4) }
                if addr.withSockaddr({ bind(fd, $0, $1) }) != 0 { return false }
            }
        }
        return true
    }
}
