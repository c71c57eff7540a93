import DNSWire
import Foundation
import Testing
@testable import Answer
#if canImport(Glibc)
import Glibc
#endif

struct KnotDidNotStart: Error { let log: String }

/// A knotd (mod-cookies, RFC 9018 server cookies) on a loopback port, stopped by PID.
final class KnotServer {
    let dir: URL
    let port: UInt16
    let process = Process()

    init(secret: String) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-knot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        port = try KnotServer.freePort()
        try """
        $ORIGIN example.test.
        $TTL 300
        @ SOA ns1 hostmaster 1 3600 600 86400 300
        @ NS ns1
        ns1 A 192.0.2.1
        """.write(to: dir.appendingPathComponent("example.test.zone"), atomically: true, encoding: .utf8)
        try """
        server:
            listen: 127.0.0.1@\(port)
            rundir: \(dir.path)
        database:
            storage: \(dir.path)
        mod-cookies:
          - id: shared
            secret: 0x\(secret)
        template:
          - id: default
            global-module: mod-cookies/shared
            storage: \(dir.path)
        zone:
          - domain: example.test
            file: example.test.zone
        log:
          - target: stderr
            any: warning
        """.write(to: dir.appendingPathComponent("knot.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/knotd")
        process.arguments = ["-c", dir.appendingPathComponent("knot.conf").path]
        let log = dir.appendingPathComponent("knotd.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        // Bounded wait for the server to answer: at most 50 tries, 100 ms apart.
        var last = ""
        for _ in 0..<50 {
            last = try query(cookie: "0102030405060708")
            if last.contains("status:") { return }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        let why = ((try? String(contentsOf: log, encoding: .utf8)) ?? "") + "\nlast kdig output: " + last
        stop()
        throw KnotDidNotStart(log: why)
    }

    /// A port free on 127.0.0.1 right now (bound to 0 and released).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else { throw CancellationError() }
        return UInt16(bigEndian: addr.sin_port)
    }

    /// kdig's text output for an SOA query carrying `cookie` (hex), without BADCOOKIE retries.
    func query(cookie: String) throws -> String {
        let kdig = Process()
        kdig.executableURL = URL(fileURLWithPath: "/usr/bin/kdig")
        kdig.arguments = ["@127.0.0.1", "-p", "\(port)", "+timeout=1", "+retry=0", "+nobadcookie",
                          "+cookie=\(cookie)", "example.test", "SOA"]
        let pipe = Pipe()
        kdig.standardOutput = pipe
        kdig.standardError = FileHandle.nullDevice
        try kdig.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        kdig.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dir)
    }
}

/// RFC 9018's point: servers of one anycast set, different implementations included, accept
/// each other's cookies when they share the secret. Checked against Knot DNS.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/knotd")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/kdig")),
       .serialized)
struct KnotCookieInteropTests {
    static let secretHex = "e5e973e5a6b2a43f48e7dc849e37bfcf"
    let loopback = ClientAddress(ipv4: 127, 0, 0, 1)

    func status(_ out: String) -> String? {
        out.split(separator: "\n").first { $0.contains("status:") }
            .flatMap { $0.split(separator: "status: ").last?.split(separator: ";").first.map(String.init) }
    }

    @Test func knotCookiesVerifyHereAndOursVerifyAtKnot() throws {
        let knot = try KnotServer(secret: Self.secretHex)
        defer { knot.stop() }
        let policy = CookiePolicy(secret: secret(Self.secretHex))

        // Knot answers a client-only cookie with BADCOOKIE and a server cookie of its own.
        let out = try knot.query(cookie: "0102030405060708")
        let line = try #require(out.split(separator: "\n").first { $0.contains("COOKIE: ") })
        let cookie = hex(String(line.split(separator: "COOKIE: ").last!).lowercased())
        try #require(cookie.count == 24)
        let server = Array(cookie[8...])
        let issued = UInt32(server[4]) << 24 | UInt32(server[5]) << 16 | UInt32(server[6]) << 8 | UInt32(server[7])
        #expect(ServerCookie.verify(client: Array(cookie[0..<8]), server: server, address: loopback, now: issued,
                                    policy: policy) == .valid(reuse: true))
        // With another secret it is not ours.
        #expect(ServerCookie.verify(client: Array(cookie[0..<8]), server: server, address: loopback, now: issued,
                                    policy: CookiePolicy(secret: secret("445536bcd2513298075a5d379663c962"))) == .invalid)

        // A cookie we make, sent to Knot, is accepted (NOERROR); one bit off, it is not.
        let now = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970))
        let client = hex("a1b2c3d4e5f60718")
        let ours = client + ServerCookie.make(secret: policy.secret, client: client, address: loopback, now: now)
        #expect(status(try knot.query(cookie: Hex.encode(ours))) == "NOERROR")
        var tampered = ours
        tampered[23] ^= 1
        #expect(status(try knot.query(cookie: Hex.encode(tampered))) == "BADCOOKIE")
    }
}
