import DNSWire
import Testing
@testable import Answer

/// Octets from a hex string (test fixtures only; traps on bad input).
func hex(_ s: String) -> [UInt8] {
    let c = Array(s.utf8)
    precondition(c.count % 2 == 0, "odd hex length")
    return stride(from: 0, to: c.count, by: 2).map { UInt8(String(decoding: c[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

func secret(_ s: String) -> CookieSecret { CookieSecret(bytes: hex(s))! }

let a1Secret = "e5e973e5a6b2a43f48e7dc849e37bfcf"
let a1Client = ClientAddress(ipv4: 198, 51, 100, 100)

/// RFC 9018 Appendix A, byte for byte.
@Suite struct ServerCookieTests {
    struct Vector: Sendable, CustomStringConvertible {
        let name: String
        let secret: String
        let previous: String?
        let address: ClientAddress
        let query: String
        let now: UInt32
        let verdict: CookieVerdict
        let reply: String
        var description: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "A.1 learning a new server cookie", secret: a1Secret, previous: nil, address: a1Client,
               query: "2464c4abcf10c957", now: 1559731985, verdict: .clientOnly,
               reply: "2464c4abcf10c957010000005cf79f111f8130c3eee29480"),
        Vector(name: "A.2 the same client, 40 minutes later, gets a renewed cookie", secret: a1Secret, previous: nil,
               address: a1Client, query: "2464c4abcf10c957010000005cf79f111f8130c3eee29480", now: 1559734385,
               verdict: .valid(reuse: false), reply: "2464c4abcf10c957010000005cf7a871d4a564a1442aca77"),
        Vector(name: "A.3 another resolver; its cookie is 1h52m old, so invalid, and a new one is made",
               secret: a1Secret, previous: nil, address: ClientAddress(ipv4: 203, 0, 113, 203),
               query: "fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5", now: 1559734700, verdict: .invalid,
               reply: "fc93fc62807ddb86010000005cf7a9acf73a7810aca2381e"),
        Vector(name: "A.4 IPv6 client, cookie made with the previous secret, re-issued with the new",
               secret: "445536bcd2513298075a5d379663c962", previous: "dd3bdf9344b678b185a6f5cb60fca715",
               address: ClientAddress(bytes: hex("20010db80220000159ded0f4876982b8"))!,
               query: "22681ab97d52c298010000005cf7c57926556bd0934c72f8", now: 1559741961,
               verdict: .valid(reuse: false), reply: "22681ab97d52c298010000005cf7c609a6bb79d16625507a"),
    ]

    @Test(arguments: vectors)
    func rfc9018AppendixA(_ v: Vector) {
        let q = hex(v.query)
        let client = Array(q[0..<8]), server = Array(q[8...])
        let policy = CookiePolicy(secret: secret(v.secret), previousSecret: v.previous.map(secret))
        #expect(ServerCookie.verify(client: client, server: server, address: v.address, now: v.now, policy: policy) == v.verdict)
        let made = ServerCookie.make(secret: policy.secret, client: client, address: v.address, now: v.now)
        #expect(client + made == hex(v.reply))
        // What we hand out verifies when it comes back, and is echoed unchanged.
        #expect(ServerCookie.verify(client: client, server: made, address: v.address, now: v.now, policy: policy)
                == .valid(reuse: true))
    }

    /// A.3's cookie has nonzero Reserved octets; they are hashed as received, so it verified
    /// when it was issued (another implementation of the anycast set may set them).
    @Test func reservedOctetsAreHashedAsReceived() {
        let q = hex("fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5")
        let v = ServerCookie.verify(client: Array(q[0..<8]), server: Array(q[8...]),
                                    address: ClientAddress(ipv4: 203, 0, 113, 203), now: 1559727985,
                                    policy: CookiePolicy(secret: secret(a1Secret)))
        #expect(v == .valid(reuse: false))  // valid, but re-issued with zero Reserved octets
    }

    @Test(arguments: [
        (Int32(0), CookieVerdict.valid(reuse: true)),
        (1799, .valid(reuse: true)),
        (1800, .valid(reuse: false)),
        (3600, .valid(reuse: false)),
        (3601, .invalid),
        (-300, .valid(reuse: true)),
        (-301, .invalid),
        (-100_000, .invalid),
        (100_000, .invalid),
    ])
    func timestampWindow(offset: Int32, expected: CookieVerdict) {
        let issued: UInt32 = 1559731985
        let q = hex("2464c4abcf10c957010000005cf79f111f8130c3eee29480")
        let now = UInt32(bitPattern: Int32(bitPattern: issued) &+ offset)
        let v = ServerCookie.verify(client: Array(q[0..<8]), server: Array(q[8...]), address: a1Client, now: now,
                                    policy: CookiePolicy(secret: secret(a1Secret)))
        #expect(v == expected)
    }

    @Test func windowWorksAcrossTheTimestampWrap() {
        let policy = CookiePolicy(secret: secret(a1Secret))
        let client = hex("2464c4abcf10c957")
        let made = ServerCookie.make(secret: policy.secret, client: client, address: a1Client, now: 0xFFFF_FF00)
        #expect(ServerCookie.verify(client: client, server: made, address: a1Client, now: 0x100, policy: policy)
                == .valid(reuse: true))
        #expect(ServerCookie.verify(client: client, server: made, address: a1Client, now: 0xFFFF_FF00 &+ 3601,
                                    policy: policy) == .invalid)
    }

    @Test func boundToClientCookieAddressAndSecret() {
        let policy = CookiePolicy(secret: secret(a1Secret))
        let q = hex("2464c4abcf10c957010000005cf79f111f8130c3eee29480")
        let client = Array(q[0..<8]), server = Array(q[8...])
        let now: UInt32 = 1559731985
        var otherClient = client; otherClient[0] ^= 1
        var otherHash = server; otherHash[15] ^= 1
        var otherVersion = server; otherVersion[0] = 2
        var otherTime = server; otherTime[7] ^= 1
        for (c, s, a) in [(otherClient, server, a1Client), (client, otherHash, a1Client),
                          (client, otherVersion, a1Client), (client, otherTime, a1Client),
                          (client, server, ClientAddress(ipv4: 198, 51, 100, 101)),
                          (client, server + [0], a1Client)] {
            #expect(ServerCookie.verify(client: c, server: s, address: a, now: now, policy: policy) == .invalid)
        }
        #expect(ServerCookie.verify(client: client, server: server, address: a1Client, now: now,
                                    policy: CookiePolicy(secret: secret("dd3bdf9344b678b185a6f5cb60fca715"))) == .invalid)
        // The same address seen on a dual-stack socket as IPv4-mapped IPv6.
        let mapped = ClientAddress(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 198, 51, 100, 100])!
        #expect(mapped == a1Client)
        #expect(ServerCookie.verify(client: client, server: server, address: mapped, now: now, policy: policy)
                == .valid(reuse: true))
    }

    @Test func secretParsing() {
        #expect(CookieSecret(bytes: hex(a1Secret)) != nil)
        #expect(CookieSecret(bytes: Array(hex(a1Secret).dropLast())) == nil)
        #expect(CookieSecret.random() != CookieSecret.random())
    }
}
