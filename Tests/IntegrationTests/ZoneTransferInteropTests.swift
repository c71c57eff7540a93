#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import DNSWire

/// A zone with enough records for several transfer messages, a multi-string TXT and names in
/// mixed case.
let transferZone: (name: String, file: String, text: String) = {
    var text = """
    $ORIGIN xfr.test.
    $TTL 300
    @ IN SOA ns1 hostmaster 2024010101 7200 900 1209600 300
      IN NS ns1
      IN MX 10 mail
    ns1 IN A 192.0.2.53
    mail IN AAAA 2001:db8::25
    www IN CNAME web
    web IN A 192.0.2.80
    child IN NS ns.child
    ns.child IN A 192.0.2.99
    txt IN TXT "one" "two"

    """
    for i in 0..<2_500 { text += "h\(i) IN A 10.\(i >> 16 & 255).\(i >> 8 & 255).\(i & 255)\n" }
    return ("xfr.test", "xfr.test.zone", text)
}()

/// AXFR and IXFR out of the built `tack serve`, fetched with dig and compared with what knotd
/// sends for the same zone text; the ACL checked from a second loopback source address.
@Suite("zone transfers against Knot", .serialized, .enabled(if: KnotServer.isInstalled))
struct ZoneTransferInteropTests {
    /// The records of a dig transfer, one normalised line each: owner lower-cased (Knot keeps
    /// names in lower case), fields single-spaced.
    static func records(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line -> String? in
            guard !line.hasPrefix(";"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            fields[0] = fields[0].lowercased()
            return fields.joined(separator: " ")
        }
    }

    static func dig(_ port: UInt16, _ args: [String]) throws -> String {
        let (out, status) = try DigTool.run(DigTool.dig, ["@127.0.0.1", "-p", "\(port)", "+time=5", "+tries=1",
                                                          "+nocmd", "+nostats", "+noall", "+answer"] + args)
        #expect(status == 0, "dig \(args) exited \(status): \(out)")
        return out
    }

    @Test("AXFR and IXFR carry the same records as Knot's, SOA first and last; sources outside the ACL are refused")
    func againstKnot() throws {
        let served = try TackProcess.start(zones: [transferZone],
                                           zoneConfig: [transferZone.name: "allow_transfer: [127.0.0.1/32, \"::1\"]"])
        defer { served.stop() }
        let knot = try KnotServer.start(zones: [(transferZone.name + ".", transferZone.text)], transferFrom: "127.0.0.1")
        defer { knot.stop() }

        let ours = Self.records(try Self.dig(served.port, ["AXFR", "xfr.test."]))
        let theirs = Self.records(try Self.dig(knot.port, ["AXFR", "xfr.test."]))
        #expect(ours.count == 2_500 + 10 + 1)  // the SOA twice
        #expect(ours.first?.contains(" SOA ") == true && ours.last?.contains(" SOA ") == true)
        #expect(ours.sorted() == theirs.sorted(), "AXFR differs from Knot's")

        // IXFR from an older serial: the whole zone (Knot without a journal does the same).
        let ixfr = Self.records(try Self.dig(served.port, ["IXFR=2024010100", "xfr.test."]))
        #expect(ixfr.sorted() == ours.sorted())
        let ixfrKnot = Self.records(try Self.dig(knot.port, ["IXFR=2024010100", "xfr.test."]))
        #expect(ixfr.sorted() == ixfrKnot.sorted(), "IXFR differs from Knot's")
        // IXFR from the current serial: the SOA alone.
        let current = Self.records(try Self.dig(served.port, ["IXFR=2024010101", "xfr.test."]))
        #expect(current.count == 1 && current[0].contains(" SOA "))

        // From 127.0.0.2 (outside the ACL): REFUSED, nothing else; then still served to 127.0.0.1.
        let outside = try TCPConnection(host: "127.0.0.1", port: served.port, source: "127.0.0.2")
        try outside.sendFramed(TestDNS.query(Question(try Name(parsing: "xfr.test."), .axfr), udpSize: nil))
        let refused = try Message.decode(try #require(try outside.readFramed()))
        #expect(refused.rcode == .refused && refused.answers.isEmpty)
        // AXFR over UDP: NOTIMP (RFC 5936 4.2 defines AXFR over TCP only; NSD answers the same).
        let udp = try TestDNS.udp(Question(try Name(parsing: "xfr.test."), .axfr), host: "127.0.0.1", port: served.port)
        #expect(udp.rcode == .notImp)
        #expect(Self.records(try Self.dig(served.port, ["AXFR", "xfr.test."])).count == ours.count)
    }
}
