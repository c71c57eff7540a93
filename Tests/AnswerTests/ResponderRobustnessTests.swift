import DNSWire
import Testing
import TestSupport
@testable import Answer

@Suite struct ResponderRobustnessTests {
    /// Found by the mutation test below: a name whose labels repeat (a.a.example.test) made
    /// the writer compress it against its own unterminated labels and index past its end, a
    /// remote crash from one query. Fixed in WireWriter.name.
    @Test(arguments: ["a.a.example.test", "www.www.www", "\\000.\\000.\\000", "x.x"])
    func repeatedLabelsInTheQuestion(qname: String) throws {
        let n = try Name(parsing: qname + ".")
        var q = u16(0xBEEF) + u16(0x0100) + u16(1) + u16(0) + u16(0) + u16(0)
        q += n.wire + u16(1) + u16(1)
        let (m, _) = try reply(q)
        #expect(m.questions == [Question(n, .a)] && m.rcode == .nxDomain)
        // The writer on its own: the name comes back whole, then compresses against itself.
        var w = WireWriter()
        w.bytes(Array(repeating: 0, count: 12))
        w.name(n)
        w.name(n)
        var r = WireReader(w.bytes, offset: 12)
        #expect(try r.name() == n && r.name() == n && r.isAtEnd)
        #expect(w.count == 12 + n.wire.count + 2)
    }

    /// Mutated queries (flipped bits, cut or extended tails) never trap; every reply decodes,
    /// answers the query's ID, is a response, and fits the transport's limit.
    @Test func mutatedQueriesGetWellFormedRepliesOrNone() throws {
        let seeds: [[UInt8]] = [
            query(), query("big.example.test", additional: [opt(udp: 700)]),
            query(additional: [opt(options: [(10, hex("2464c4abcf10c957010000005cf79f111f8130c3eee29480")), (3, []), (11, [])])]),
            query("id.server", type: 16, qclass: 3), query(flags: 4 << 11),
        ]
        let config = ResponderConfiguration(identity: ServerIdentity(idServer: .text("x"), nsid: [1, 2]),
                                            cookies: CookiePolicy(secret: secret(a1Secret), requireValid: true),
                                            tcpKeepalive: 50)
        let r = Responder(source: source, configuration: config)
        var g = SplitMix64(state: 0x7ACC)
        var w = WireWriter()
        var replies = 0
        for i in 0..<20_000 {
            var q = seeds[i % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                switch Int.random(in: 0..<4, using: &g) {
                case 0, 1: q[Int.random(in: 0..<q.count, using: &g)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &g)
                case 2: q.removeLast(Int.random(in: 0...min(6, q.count - 1), using: &g))
                default: q.append(UInt8.random(in: 0...255, using: &g))
                }
            }
            let ctx = i % 2 == 0 ? udp : tcp
            switch r.respond(to: q, context: ctx, into: &w) {
            case .drop(let why):
                #expect(q.count < 12 || q[2] & 0x80 != 0, "dropped \(why)")
            case .reply(let rcode, let truncated):
                replies += 1
                let m = try Message.decode(w.bytes)
                #expect(m.header.id == UInt16(q[0]) << 8 | UInt16(q[1]))
                #expect(m.header.qr && m.rcode == rcode && m.header.tc == truncated)
                #expect(w.count <= (ctx == udp ? config.maxUDPPayload : 65535))
                if m.edns == nil, ctx == udp { #expect(w.count <= 512) }
            case .transfer:
                Issue.record("a transfer without an ACL")
            }
        }
        #expect(replies > 10_000)
    }
}
