import DNSWire
import TestSupport
import Foundation
import Testing
@testable import Answer
#if canImport(Glibc)
import Glibc
#endif

extension KnotServer {
    /// A knotd with mod-cookies sharing `secret`, serving a one-name zone.
    static func withCookies(secret: String) throws -> KnotServer {
        try KnotServer.start(zones: [(origin: "example.test.", text: """
            $ORIGIN example.test.
            $TTL 300
            @ SOA ns1 hostmaster 1 3600 600 86400 300
            @ NS ns1
            ns1 A 192.0.2.1
            """)], cookieSecret: secret)
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
        let knot = try KnotServer.withCookies(secret: Self.secretHex)
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
