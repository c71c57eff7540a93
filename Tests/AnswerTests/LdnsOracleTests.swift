import CLdns
import DNSWire
import Testing
@testable import Answer

/// Replies read back by libldns, an independent codec: what it sees must match what we meant.
@Suite struct LdnsOracleTests {
    struct Seen: Equatable, CustomStringConvertible {
        var rcode: UInt16
        var tc: Bool
        var ancount: UInt16
        var edns: Bool
        var udpSize: UInt16
        var version: UInt8
        var description: String { "rcode \(rcode) tc \(tc) an \(ancount) edns \(edns) udp \(udpSize) v\(version)" }
    }

    func ldns(_ bytes: [UInt8]) -> Seen? {
        var pkt: UnsafeMutablePointer<ldns_pkt>?
        let status = bytes.withUnsafeBufferPointer { ldns_wire2pkt(&pkt, $0.baseAddress, $0.count) }
        guard status == LDNS_STATUS_OK, let pkt else { return nil }
        defer { ldns_pkt_free(pkt) }
        let edns = ldns_pkt_edns(pkt)
        let rcode = UInt16(ldns_pkt_get_rcode(pkt).rawValue) | (edns ? UInt16(ldns_pkt_edns_extended_rcode(pkt)) << 4 : 0)
        return Seen(rcode: rcode, tc: ldns_pkt_tc(pkt), ancount: ldns_pkt_ancount(pkt), edns: edns,
                    udpSize: edns ? ldns_pkt_edns_udp_size(pkt) : 0, version: edns ? ldns_pkt_edns_version(pkt) : 0)
    }

    static let cases: [(String, [UInt8], QueryContext, Seen)] = [
        ("plain answer", query(), udp, Seen(rcode: 0, tc: false, ancount: 1, edns: false, udpSize: 0, version: 0)),
        ("truncated without EDNS", query("big.example.test"), udp,
         Seen(rcode: 0, tc: true, ancount: 21, edns: false, udpSize: 0, version: 0)),
        ("whole over TCP", query("big.example.test", additional: [opt()]), tcp,
         Seen(rcode: 0, tc: false, ancount: 40, edns: true, udpSize: 1232, version: 0)),
        ("BADVERS", query(additional: [opt(version: 3)]), udp,
         Seen(rcode: 16, tc: false, ancount: 0, edns: true, udpSize: 1232, version: 0)),
        ("FORMERR", query(qdcount: 2), udp, Seen(rcode: 1, tc: false, ancount: 0, edns: false, udpSize: 0, version: 0)),
        ("NOTIMP", query(flags: 5 << 11, additional: [opt()]), udp,
         Seen(rcode: 4, tc: false, ancount: 0, edns: true, udpSize: 1232, version: 0)),
    ]

    @Test(arguments: 0..<cases.count)
    func ldnsReadsWhatWeMeant(index: Int) throws {
        let (name, q, ctx, expected) = Self.cases[index]
        guard case .reply(let bytes) = Responder(source: source).respond(to: q, context: ctx) else {
            Issue.record("\(name): no reply"); return
        }
        #expect(ldns(bytes) == expected, "\(name)")
    }

    @Test func ldnsReadsTheBadCookieReply() throws {
        let config = ResponderConfiguration(cookies: CookiePolicy(secret: secret(a1Secret), requireValid: true))
        let q = query(additional: [opt(options: [(10, hex("2464c4abcf10c957"))])])
        guard case .reply(let bytes) = Responder(source: source, configuration: config).respond(to: q, context: udp) else {
            Issue.record("no reply"); return
        }
        #expect(ldns(bytes) == Seen(rcode: 23, tc: false, ancount: 0, edns: true, udpSize: 1232, version: 0))
    }
}
