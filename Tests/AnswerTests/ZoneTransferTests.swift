import Testing
import DNSWire
import Zone
@testable import Answer

/// AXFR and IXFR out (RFC 5936, RFC 1995) through the responder: the ACL, the transports, the
/// message stream. Knot's transfers of the same zones are compared in ZoneTransferInteropTests.
@Suite("Zone transfers")
struct ZoneTransferTests {
    static let allowed = ClientAddress(ipv4: 192, 0, 2, 53)
    static let other = ClientAddress(ipv4: 198, 51, 100, 7)

    /// `example.` from the fixtures plus a `bulk.test.` zone of `bulk` A records, large enough
    /// to need several 16 KiB messages; 192.0.2.0/24 may transfer both.
    static func responder(bulk: Int = 3_000) throws -> Responder<QueryEngine> {
        var text = "$ORIGIN bulk.test.\n$TTL 300\n@ SOA ns1 hostmaster 2024010101 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"
        for i in 0..<bulk { text += "host\(i) A 10.\(i >> 16 & 255).\(i >> 8 & 255).\(i & 255)\n" }
        text += "big TXT \(Array(repeating: "\"\(String(repeating: "x", count: 250))\"", count: 80).joined(separator: " "))\n"
        let zones = try ZoneSet([try Fixtures.load("example.", Fixtures.example), try Fixtures.load("bulk.test.", text)])
        let acl = [ClientPrefix(address: [192, 0, 2, 0], length: 24)!]
        let config = ResponderConfiguration(transferACL: [try Name(parsing: "example.").key: acl,
                                                          try Name(parsing: "bulk.test.").key: acl])
        return Responder(source: QueryEngine(zones: zones), configuration: config)
    }

    static func transferQuery(_ zone: String, _ type: RRType, id: UInt16 = 0x4242, serial: UInt32? = nil) throws -> [UInt8] {
        var m = Message(header: Header(id: id), questions: [Question(try Name(parsing: zone), type)])
        if let serial {
            let soa = SOA(mname: try Name(parsing: "ns1.\(zone)"), rname: try Name(parsing: "h.\(zone)"), serial: serial,
                          refresh: 1, retry: 1, expire: 1, minimum: 1)
            m.authority = [ResourceRecord(try Name(parsing: zone), ttl: 0, .soa(soa))]
        }
        return m.encode()
    }

    static func context(_ transport: Transport, _ client: ClientAddress = allowed) -> QueryContext {
        QueryContext(transport: transport, client: client, receiveTime: 0)
    }

    /// One reply, decoded; fails the test on a stream or a drop.
    static func single(_ r: Responder<QueryEngine>, _ q: [UInt8], _ ctx: QueryContext) throws -> Message {
        guard case .reply(let bytes) = r.respond(to: q, context: ctx) else {
            Issue.record("expected one reply")
            throw CancellationError()
        }
        return try Message.decode(bytes)
    }

    static func stream(_ r: Responder<QueryEngine>, _ q: [UInt8], _ ctx: QueryContext) throws -> [Message] {
        guard case .replies(let messages) = r.respond(to: q, context: ctx) else {
            Issue.record("expected a transfer stream")
            throw CancellationError()
        }
        for m in messages { #expect(m.count <= ZoneTransfer.messageSize || m.count <= EncodeLimits.maxMessage) }
        return try messages.map { try Message.decode($0) }
    }

    @Test("AXFR over TCP from an allowed source: SOA first and last, every record once, in 16 KiB messages")
    func axfr() throws {
        let r = try Self.responder()
        let zone = try #require(r.source.transferZone(apex: try Name(parsing: "bulk.test.")))
        let messages = try Self.stream(r, try Self.transferQuery("bulk.test.", .axfr), Self.context(.tcp))
        #expect(messages.count > 3)
        for (i, m) in messages.enumerated() {
            #expect(m.header.id == 0x4242 && m.header.qr && m.header.aa && !m.header.tc && m.rcode == .noError)
            #expect(m.questions.count == (i == 0 ? 1 : 0))
            #expect(m.authority.isEmpty && m.additional.isEmpty)
        }
        let records = messages.flatMap(\.answers)
        #expect(records.first?.type == .soa && records.last?.type == .soa)
        #expect(records.filter { $0.type == .soa }.count == 2)
        let expected = zone.records.map(render).sorted()
        #expect(records.dropLast().map(render).sorted() == expected)
        // The 80 x 250-octet TXT RRset (about 20 KB) does not fit one message: it is split.
        #expect(records.filter { $0.type == .txt }.count == 1)
    }

    @Test("the query's OPT is answered in every message")
    func ednsInEveryMessage() throws {
        let r = try Self.responder()
        var m = try Message.decode(try Self.transferQuery("bulk.test.", .axfr))
        m.edns = EDNS(udpSize: 1232)
        let messages = try Self.stream(r, m.encode(), Self.context(.tcp))
        #expect(messages.allSatisfy { $0.edns != nil })
    }

    @Test("refused outside the ACL, and for a zone without one; NOTAUTH off an apex; NOTIMP over UDP")
    func refusals() throws {
        let r = try Self.responder(bulk: 10)
        let outside = try Self.single(r, try Self.transferQuery("bulk.test.", .axfr), Self.context(.tcp, Self.other))
        #expect(outside.rcode == .refused && outside.answers.isEmpty && !outside.header.aa)
        let outsideIXFR = try Self.single(r, try Self.transferQuery("bulk.test.", .ixfr, serial: 1), Self.context(.tcp, Self.other))
        #expect(outsideIXFR.rcode == .refused && outsideIXFR.answers.isEmpty)

        let noACL = Responder(source: r.source, configuration: ResponderConfiguration())
        #expect(try Self.single(noACL, try Self.transferQuery("bulk.test.", .axfr), Self.context(.tcp)).rcode == .refused)

        let notApex = try Self.single(r, try Self.transferQuery("host1.bulk.test.", .axfr), Self.context(.tcp))
        #expect(notApex.rcode == .notAuth)
        #expect(try Self.single(r, try Self.transferQuery("elsewhere.test.", .axfr), Self.context(.tcp)).rcode == .notAuth)

        let udp = try Self.single(r, try Self.transferQuery("bulk.test.", .axfr), Self.context(.udp))
        #expect(udp.rcode == .notImp && udp.answers.isEmpty)
    }

    @Test("IXFR: one SOA when the client is current or ahead, or over UDP; the whole zone when behind")
    func ixfr() throws {
        let r = try Self.responder(bulk: 10)
        let ours: UInt32 = 2024010101
        for serial in [ours, ours + 1] {
            let m = try Self.single(r, try Self.transferQuery("bulk.test.", .ixfr, serial: serial), Self.context(.tcp))
            #expect(m.rcode == .noError && m.header.aa && m.answers.map(\.type) == [.soa])
        }
        let udp = try Self.single(r, try Self.transferQuery("bulk.test.", .ixfr, serial: ours - 1), Self.context(.udp))
        #expect(udp.answers.map(\.type) == [.soa])
        let behind = try Self.stream(r, try Self.transferQuery("bulk.test.", .ixfr, serial: ours - 1), Self.context(.tcp))
        let records = behind.flatMap(\.answers)
        #expect(records.first?.type == .soa && records.last?.type == .soa && records.count == 10 + 3 + 2)
        // Serial arithmetic wraps (RFC 1982): 1 is newer than 0xFFFFFFF0.
        #expect(Responder<QueryEngine>.serial(1, isNewerThan: 0xFFFF_FFF0))
        #expect(!Responder<QueryEngine>.serial(0xFFFF_FFF0, isNewerThan: 1))
        // No SOA in the authority section: FORMERR.
        let bare = try Self.single(r, try Self.transferQuery("bulk.test.", .ixfr), Self.context(.tcp))
        #expect(bare.rcode == .formErr)
    }

    @Test("transfers never enter the response cache: the answer depends on who asks")
    func notCached() throws {
        #expect(ResponseCache.shape(of: try Self.transferQuery("bulk.test.", .axfr), tcp: true) == nil)
        #expect(ResponseCache.shape(of: try Self.transferQuery("bulk.test.", .ixfr), tcp: false) == nil)
        #expect(ResponseCache.shape(of: try Self.transferQuery("bulk.test.", .soa), tcp: false) != nil)
    }

    @Test("prefixes match by family and length")
    func prefixes() {
        let p = ClientPrefix(address: [192, 0, 2, 0], length: 24)!
        #expect(p.contains(ClientAddress(ipv4: 192, 0, 2, 200)))
        #expect(!p.contains(ClientAddress(ipv4: 192, 0, 3, 1)))
        #expect(!p.contains(ClientAddress(ipv6High: 0x2001_0db8_0000_0000, low: 1)))
        let v6 = ClientPrefix(address: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 12), length: 32)!
        #expect(v6.contains(ClientAddress(ipv6High: 0x2001_0db8_ffff_0000, low: 9)))
        #expect(!v6.contains(ClientAddress(ipv6High: 0x2001_0db9_0000_0000, low: 0)))
        #expect(ClientPrefix(address: [1, 2, 3], length: 8) == nil)
        #expect(ClientPrefix(address: [1, 2, 3, 4], length: 33) == nil)
        #expect(ClientPrefix(address: [10, 0, 0, 0], length: 0)!.contains(ClientAddress(ipv4: 255, 1, 1, 1)))
    }
}
