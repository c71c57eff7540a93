#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import DNSWire

/// A small zone whose `big` TXT RRset (12 x 250 octets, about 3 KB) cannot fit a 1232-octet UDP
/// reply, and whose `mid` RRset (4 x 200 octets, about 850 octets) fits 1232 but not 512.
let sizesZone: (name: String, file: String, text: String) = {
    let chunk250 = String(repeating: "a", count: 240)
    let chunk200 = String(repeating: "b", count: 190)
    var text = """
    $ORIGIN sizes.test.
    $TTL 300
    @ IN SOA ns1 hostmaster 1 7200 900 1209600 300
      IN NS ns1
    ns1 IN A 192.0.2.53

    """
    for i in 0..<12 { text += "big IN TXT \"\(String(format: "%02d", i))\(chunk250)\"\n" }
    for i in 0..<4 { text += "mid IN TXT \"\(String(format: "%02d", i))\(chunk200)\"\n" }
    return ("sizes.test", "sizes.test.zone", text)
}()

/// A zone for reload tests: `www` answers `192.0.2.<host>`.
func reloadZone(serial: Int, host: Int) -> String {
    """
    $ORIGIN reload.test.
    $TTL 300
    @ IN SOA ns1 hostmaster \(serial) 7200 900 1209600 300
      IN NS ns1
    ns1 IN A 192.0.2.53
    www IN A 192.0.2.\(host)

    """
}

let identityConfig = """
identity:
  nsid: itest-nsid
  id_server: itest.id.server
  hostname_bind: hidden
  version: hidden

"""

/// The address families, each over UDP and TCP.
let endpoints: [(host: String, transport: String)] = [
    ("127.0.0.1", "+notcp"), ("127.0.0.1", "+tcp"), ("::1", "+notcp"), ("::1", "+tcp"),
]

@Suite("tack serve, black box", .serialized)
struct ServeTests {
    @Test("answers: A, CNAME chain, NXDOMAIN with SOA, referral with glue", arguments: endpoints)
    func answers(host: String, transport: String) throws {
        let tack = try TackProcess.start(zones: [TackProcess.exampleZone()])
        defer { tack.stop() }

        let www = try DigTool.dig(host, tack.port, [transport, "www.example.test", "A"])
        #expect(www.rcode == "NOERROR", "\(www)")
        #expect(www.flags.contains("aa"))
        #expect(Set(www.rdata("ANSWER", type: "A")) == ["192.0.2.10", "192.0.2.11"], "\(www)")

        let alias = try DigTool.dig(host, tack.port, [transport, "alias.example.test", "A"])
        #expect(alias.rcode == "NOERROR", "\(alias)")
        #expect(alias.records("ANSWER").map { [$0[0], $0[3], $0[4]] } == [
            ["alias.example.test.", "CNAME", "web.example.test."],
            ["web.example.test.", "CNAME", "www.example.test."],
            ["www.example.test.", "A", "192.0.2.10"],
            ["www.example.test.", "A", "192.0.2.11"],
        ], "\(alias)")

        let missing = try DigTool.dig(host, tack.port, [transport, "nope.example.test", "A"])
        #expect(missing.rcode == "NXDOMAIN", "\(missing)")
        #expect(missing.records("ANSWER").isEmpty)
        #expect(missing.records("AUTHORITY").map { [$0[0], $0[3]] } == [["example.test.", "SOA"]], "\(missing)")

        let referral = try DigTool.dig(host, tack.port, [transport, "host.sub.example.test", "A"])
        #expect(referral.rcode == "NOERROR", "\(referral)")
        #expect(!referral.flags.contains("aa"), "a referral is not authoritative: \(referral)")
        #expect(referral.records("ANSWER").isEmpty)
        #expect(Set(referral.rdata("AUTHORITY", type: "NS")) == ["ns1.sub.example.test.", "ns.elsewhere.example."], "\(referral)")
        #expect(referral.rdata("ADDITIONAL", type: "A") == ["192.0.2.200"], "\(referral)")
    }

    @Test("a 3 KB RRset is truncated over UDP and dig retries over TCP", arguments: ["127.0.0.1", "::1"])
    func truncationThenTCP(host: String) throws {
        let tack = try TackProcess.start(zones: [sizesZone])
        defer { tack.stop() }

        let cut = try DigTool.dig(host, tack.port, ["+ignore", "+bufsize=1232", "big.sizes.test", "TXT"])
        #expect(cut.rcode == "NOERROR", "\(cut)")
        #expect(cut.flags.contains("tc"), "\(cut)")
        #expect(cut.rdata("ANSWER", type: "TXT").count < 12, "\(cut)")
        #expect(cut.text.contains("(UDP)"), "\(cut)")

        let full = try DigTool.dig(host, tack.port, ["+bufsize=1232", "big.sizes.test", "TXT"])
        #expect(full.rcode == "NOERROR", "\(full)")
        #expect(!full.flags.contains("tc"), "\(full)")
        #expect(full.rdata("ANSWER", type: "TXT").count == 12, "\(full)")
        #expect(full.text.contains("(TCP)"), "dig should have retried over TCP: \(full)")
    }

    @Test("EDNS buffer size: 512 truncates an 850-octet answer, 4096 carries it; our OPT says edns.udp_size")
    func ednsSizes() throws {
        let tack = try TackProcess.start(zones: [sizesZone], extraConfig: "edns:\n  udp_size: 1400\n")
        defer { tack.stop() }

        let small = try DigTool.dig("127.0.0.1", tack.port, ["+ignore", "+bufsize=512", "mid.sizes.test", "TXT"])
        #expect(small.flags.contains("tc"), "\(small)")
        #expect(small.rdata("ANSWER", type: "TXT").count < 4, "\(small)")

        let large = try DigTool.dig("127.0.0.1", tack.port, ["+ignore", "+bufsize=4096", "mid.sizes.test", "TXT"])
        #expect(!large.flags.contains("tc"), "\(large)")
        #expect(large.rdata("ANSWER", type: "TXT").count == 4, "\(large)")
        #expect(large.option("EDNS")?.hasSuffix("udp: 1400") == true, "\(large)")
    }

    @Test("EDNS version 1 is answered BADVERS", arguments: endpoints)
    func badvers(host: String, transport: String) throws {
        let tack = try TackProcess.start(zones: [TackProcess.exampleZone()])
        defer { tack.stop() }
        let out = try DigTool.dig(host, tack.port, [transport, "+edns=1", "+noednsneg", "www.example.test", "A"])
        #expect(out.rcode == "BADVERS", "\(out)")
        #expect(out.records("ANSWER").isEmpty, "\(out)")
    }

    @Test("NSID and the CHAOS identity names follow the configuration")
    func identity() throws {
        let tack = try TackProcess.start(zones: [TackProcess.exampleZone()], extraConfig: identityConfig)
        defer { tack.stop() }

        let nsid = try DigTool.dig("127.0.0.1", tack.port, ["+nsid", "www.example.test", "A"])
        #expect(nsid.option("NSID")?.hasSuffix("(\"itest-nsid\")") == true, "\(nsid)")
        let knsid = try DigTool.kdig("::1", tack.port, ["+nsid", "www.example.test", "A"])
        #expect(knsid.option("NSID")?.contains("itest-nsid") == true, "\(knsid)")
        let plain = try DigTool.dig("127.0.0.1", tack.port, ["www.example.test", "A"])
        #expect(plain.option("NSID") == nil, "NSID only when asked: \(plain)")

        let id = try DigTool.dig("127.0.0.1", tack.port, ["id.server", "CH", "TXT"])
        #expect(id.rcode == "NOERROR", "\(id)")
        #expect(id.rdata("ANSWER", type: "TXT") == ["\"itest.id.server\""], "\(id)")
        for name in ["version.bind", "version.server", "hostname.bind"] {
            let hidden = try DigTool.dig("127.0.0.1", tack.port, [name, "CH", "TXT"])
            #expect(hidden.rcode == "REFUSED", "\(name): \(hidden)")
            #expect(hidden.records("ANSWER").isEmpty, "\(name): \(hidden)")
        }
    }

    @Test("a server cookie minted by one instance is accepted by another with the same secret")
    func sharedCookieSecret() throws {
        let cookies = "cookies:\n  secret: e5e973e5a6b2a43f48e7dc849e37bfcf\n"
        let first = try TackProcess.start(zones: [TackProcess.exampleZone()], extraConfig: cookies)
        defer { first.stop() }
        let second = try TackProcess.start(zones: [TackProcess.exampleZone()], extraConfig: cookies + "  require: on\n")
        defer { second.stop() }

        let client = "0123456789abcdef"
        let minted = try DigTool.kdig("127.0.0.1", first.port, ["+cookie=\(client)", "+nobadcookie", "www.example.test", "A"])
        #expect(minted.rcode == "NOERROR", "\(minted)")
        let cookie = try #require(minted.option("COOKIE")?.prefix { $0.isHexDigit }.lowercased(), "\(minted)")
        #expect(cookie.count == 48 && cookie.hasPrefix(client), "client + 16-octet RFC 9018 server cookie: \(minted)")

        let accepted = try DigTool.kdig("127.0.0.1", second.port, ["+cookie=\(cookie)", "+nobadcookie", "www.example.test", "A"])
        #expect(accepted.rcode == "NOERROR", "\(accepted)")
        #expect(!accepted.text.contains("BADCOOKIE"), "\(accepted)")
        #expect(accepted.option("COOKIE")?.lowercased().hasPrefix(client) == true, "\(accepted)")
        #expect(Set(accepted.rdata("ANSWER", type: "A")) == ["192.0.2.10", "192.0.2.11"], "\(accepted)")

        // The control: the same cookie with one hash digit changed is refused (require: on).
        let last = cookie.last == "0" ? "1" : "0"
        let forged = String(cookie.dropLast()) + last
        let refused = try DigTool.kdig("127.0.0.1", second.port, ["+cookie=\(forged)", "+nobadcookie", "www.example.test", "A"])
        #expect(refused.rcode == "BADCOOKIE", "\(refused)")
    }

    @Test("pipelined TCP queries on one connection are all answered, in order; repeats come from the cache with the asker's ID and spelling",
          arguments: ["127.0.0.1", "::1"])
    func pipelinedTCP(host: String) throws {
        let tack = try TackProcess.start(zones: [TackProcess.exampleZone()])
        defer { tack.stop() }
        let names = ["www", "mail", "ns1", "sip", "exists.wild", "x.wild", "nope"]
        let conn = try TCPConnection(host: host, port: tack.port)
        var first: [Message] = []
        // Round 0 fills the response cache; rounds 1 and 2 ask again (upper case in round 1),
        // all pipelined in one write per round.
        for round in 0..<3 {
            let spelled = names.map { round == 1 ? "\($0).EXAMPLE.test.".uppercased() : "\($0).example.test." }
            var batch = [UInt8]()
            for (i, n) in spelled.enumerated() {
                let q = TestDNS.query(Question(try Name(parsing: n), .a), id: UInt16(1000 + round * 100 + i))
                batch += [UInt8(q.count >> 8), UInt8(q.count & 0xFF)] + q
            }
            try conn.send(batch)
            for (i, n) in spelled.enumerated() {
                let bytes = try #require(try conn.readFramed(), "EOF before reply \(i) of round \(round)")
                let reply = try Message.decode(bytes)
                #expect(reply.header.id == UInt16(1000 + round * 100 + i))
                #expect(reply.questions.first?.name.description == n, "the question as asked, case included")
                #expect(reply.rcode == (names[i] == "nope" ? .nxDomain : .noError))
                if round == 0 {
                    first.append(reply)
                } else {
                    #expect(reply.answers.map(\.rdata) == first[i].answers.map(\.rdata))
                    #expect(reply.authority.count == first[i].authority.count)
                }
            }
        }
    }

    @Test("limits.tcp_idle_timeout closes an idle TCP connection", arguments: ["127.0.0.1", "::1"])
    func idleTimeout(host: String) throws {
        let tack = try TackProcess.start(zones: [TackProcess.exampleZone()], extraConfig: "limits:\n  tcp_idle_timeout: 300ms\n")
        defer { tack.stop() }
        // Silent from the start.
        let silent = try TCPConnection(host: host, port: tack.port, timeoutMs: 5000)
        #expect(try silent.read(1) == nil, "the server should close an idle connection (EOF), not keep it open")
        // Idle after one answered query.
        let used = try TCPConnection(host: host, port: tack.port, timeoutMs: 5000)
        try used.sendFramed(TestDNS.query(Question(try Name(parsing: "www.example.test."), .a)))
        #expect(try used.readFramed() != nil)
        #expect(try used.read(1) == nil)
    }

    @Test("reloads under continuous UDP queries lose no query")
    func reloadUnderLoad() throws {
        let tack = try TackProcess.start(zones: [("reload.test", "reload.test.zone", reloadZone(serial: 1, host: 1))])
        defer { tack.stop() }
        let www = Question(try Name(parsing: "www.reload.test."), .a)
        let port = tack.port

        final class Tally: @unchecked Sendable { var failures: [String] = []; var sent = 0
            private let lock = NSLock(); private var _done = false
            var reloadsDone: Bool { get { lock.withLock { _done } } set { lock.withLock { _done = newValue } } } }
        let tally = Tally()
        let finished = DispatchSemaphore(value: 0)
        let queries = 1000
        // At least `queries`, and on until the last reload is served (bounded by `maxQueries`).
        let maxQueries = 50_000
        DispatchQueue.global().async {
            var i = 0
            while (i < queries || !tally.reloadsDone) && i < maxQueries {
                defer { i += 1 }
                let host = i % 2 == 0 ? "127.0.0.1" : "::1"
                do {
                    let reply = try TestDNS.udp(www, host: host, port: port, timeoutMs: 500, attempts: 2)
                    if reply.rcode != .noError || reply.answers.count != 1 {
                        tally.failures.append("query \(i): \(reply.rcode), \(reply.answers.count) answers")
                    }
                } catch {
                    tally.failures.append("query \(i): \(error)")
                }
            }
            tally.sent = i
            finished.signal()
        }
        for r in 2...11 {
            try tack.writeZone(file: "reload.test.zone", text: reloadZone(serial: r, host: r))
            tack.signal(SIGHUP)
            #expect(waitForAnswer(tack, www, "192.0.2.\(r)"), "reload \(r) never served; log:\n\(tack.log)")
        }
        tally.reloadsDone = true
        #expect(finished.wait(timeout: .now() + 120) == .success, "the query loop did not finish")
        #expect(tally.sent >= queries)
        #expect(tally.failures.isEmpty, "\(tally.failures.count) failed: \(tally.failures.prefix(5))")
        #expect(!tack.log.contains("reload failed"), "\(tack.log)")
    }

    @Test("a broken zone on reload keeps the old zone serving; fixing it and reloading serves the new one")
    func brokenReloadKeepsOld() throws {
        let tack = try TackProcess.start(zones: [("reload.test", "reload.test.zone", reloadZone(serial: 1, host: 1))])
        defer { tack.stop() }
        let www = Question(try Name(parsing: "www.reload.test."), .a)

        try tack.writeZone(file: "reload.test.zone", text: reloadZone(serial: 2, host: 2) + "bad IN A 192.0.2.300\n")
        tack.signal(SIGHUP)
        #expect(waitForLog(tack, "reload failed"), "no 'reload failed' in the log:\n\(tack.log)")
        let old = try TestDNS.udp(www, host: "127.0.0.1", port: tack.port)
        #expect(old.answers.map(\.rdata.presentation) == ["192.0.2.1"])

        try tack.writeZone(file: "reload.test.zone", text: reloadZone(serial: 3, host: 3))
        tack.signal(SIGHUP)
        #expect(waitForAnswer(tack, www, "192.0.2.3"), "the fixed zone was never served; log:\n\(tack.log)")
    }

    @Test("SIGTERM stops gracefully: exit 0, and a TCP query sent just before is answered", arguments: ["127.0.0.1", "::1"])
    func gracefulStop(host: String) throws {
        let tack = try TackProcess.start(zones: [TackProcess.exampleZone()], extraConfig: "limits:\n  tcp_idle_timeout: 2s\n")
        defer { tack.stop() }
        let conn = try TCPConnection(host: host, port: tack.port, timeoutMs: 5000)
        // One answered query first: the connection is then accepted and served, not still in
        // the listen backlog (a backlog connection is reset when the listener closes).
        try conn.sendFramed(TestDNS.query(Question(try Name(parsing: "mail.example.test."), .a), id: 76))
        #expect(try conn.readFramed().map { try Message.decode($0).header.id } == 76)
        try conn.sendFramed(TestDNS.query(Question(try Name(parsing: "www.example.test."), .a), id: 77))
        tack.signal(SIGTERM)
        let bytes = try #require(try conn.readFramed(), "no answer to the in-flight TCP query; log:\n\(tack.log)")
        let reply = try Message.decode(bytes)
        #expect(reply.header.id == 77 && reply.answers.count == 2)
        let status = tack.waitForExit(timeout: 15)
        #expect(status == 0, "exit status \(String(describing: status)); log:\n\(tack.log)")
    }
}

/// Polls (bounded: 200 queries of up to 100 ms) until `q` is answered with `address`.
func waitForAnswer(_ tack: TackProcess, _ q: Question, _ address: String) -> Bool {
    for _ in 0..<200 {
        if let reply = try? TestDNS.udp(q, host: "127.0.0.1", port: tack.port, timeoutMs: 100, attempts: 1),
           reply.answers.map(\.rdata.presentation) == [address] {
            return true
        }
    }
    return false
}

/// Waits (bounded: 200 x 25 ms) until the log contains `text`.
func waitForLog(_ tack: TackProcess, _ text: String) -> Bool {
    for _ in 0..<200 {
        if tack.log.contains(text) { return true }
        usleep(25_000)
    }
    return false
}
