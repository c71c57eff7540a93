import Testing
@testable import DNSWire

/// Byte-exact fixtures. The expected hex was produced by an independent encoder, dnspython
/// 2.9.2, with Tests/Golden/make_golden.py (run in a venv after `pip install dnspython`; each
/// record is its own dnspython RRset so the record order is the one written here). dnspython,
/// like Tack, compresses against the first prior occurrence of a suffix, case-insensitively,
/// and only in the RDATA of the RFC 1035 types.
@Suite struct GoldenMessageTests {
    static func n(_ s: String) -> Name { try! Name(parsing: s) }
    static func a(_ s: String) -> RData { .a(A(parseIPv4(s)!)) }

    static func header(tc: Bool = false) -> Header {
        var h = Header(id: 0xBEEF)
        h.qr = true; h.aa = true; h.rd = true; h.tc = tc
        return h
    }

    /// www.example.com. A: a CNAME chain, NS with one in-zone and one out-of-zone server, glue
    /// whose owner differs in case from the NS target, and EDNS.
    static let compressed = Message(
        header: header(),
        questions: [Question(n("www.example.com."), .a)],
        answers: [
            ResourceRecord(n("www.example.com."), ttl: 300, .cname(n("web.example.com."))),
            ResourceRecord(n("web.example.com."), ttl: 300, a("192.0.2.1")),
            ResourceRecord(n("web.example.com."), ttl: 300, a("192.0.2.2")),
        ],
        authority: [
            ResourceRecord(n("example.com."), ttl: 3600, .ns(n("ns1.example.com."))),
            ResourceRecord(n("example.com."), ttl: 3600, .ns(n("ns.example.net."))),
        ],
        additional: [
            ResourceRecord(n("NS1.example.com."), ttl: 3600, a("192.0.2.53")),
            ResourceRecord(n("ns.example.net."), ttl: 3600, .aaaa(AAAA(parseIPv6("2001:db8::53")!))),
        ],
        edns: EDNS(udpSize: 1232))

    static let compressedHex = """
        BEEF8500000100030002000303777777076578616D706C6503636F6D0000010001C00C000500010000012C00\
        0603776562C010C02D000100010000012C0004C0000201C02D000100010000012C0004C0000202C010000200\
        0100000E100006036E7331C010C0100002000100000E100010026E73076578616D706C65036E657400C05F00\
        01000100000E100004C0000235C071001C000100000E10001020010DB80000000000000000000000530000\
        2904D0000000000000
        """

    @Test func compressionPointersGoWhereAnIndependentEncoderPutsThem() throws {
        let wire = Self.compressed.encode()
        #expect(Hex.encode(wire) == Self.compressedHex)
        // Where each pointer goes, by offset:
        //  12 www.example.com. in full (www@12, example@16, com@24)
        #expect(Array(wire[33..<35]) == [0xC0, 12])   // answer 1 owner -> question name
        #expect(Array(wire[49..<51]) == [0xC0, 16])   // CNAME target web. + -> example.com.@16
        #expect(Array(wire[51..<53]) == [0xC0, 45])   // answer 2 owner -> CNAME target web@45
        #expect(Array(wire[67..<69]) == [0xC0, 45])   // answer 3 owner, same
        #expect(Array(wire[83..<85]) == [0xC0, 16])   // NS owner example.com.
        #expect(Array(wire[99..<101]) == [0xC0, 16])  // NS target ns1. + -> example.com.
        #expect(Array(wire[113..<129]) == Self.n("ns.example.net.").wire)  // nothing to share: in full
        #expect(Array(wire[129..<131]) == [0xC0, 95]) // glue NS1.example.com. -> ns1@95 (case of the target)
        #expect(Array(wire[145..<147]) == [0xC0, 113]) // ns.example.net. AAAA -> NS target @113

        let back = try Message.decode(wire)
        #expect(back.answers == Self.compressed.answers && back.authority == Self.compressed.authority)
        #expect(back.additional == Self.compressed.additional)
        // The glue owner takes the case of the earlier name it points to: case-insensitive
        // compression, as BIND and dnspython do (RFC 3597 7 notes that "case distinctions in
        // domain names are lost due to compression", which is why DNSSEC lower-cases them).
        #expect(back.additional[0].name.wire == Self.n("ns1.example.com.").wire)
    }

    static let big = Message(
        header: header(),
        questions: [Question(n("big.example.com."), .any)],
        answers: [
            ResourceRecord(n("big.example.com."), ttl: 60, .txt(TXT([Array(repeating: 0x61, count: 60)]))),
            ResourceRecord(n("big.example.com."), ttl: 60, .txt(TXT([Array(repeating: 0x62, count: 60)]))),
            ResourceRecord(n("big.example.com."), ttl: 60, a("192.0.2.10")),
            ResourceRecord(n("big.example.com."), ttl: 60, a("192.0.2.11")),
            ResourceRecord(n("big.example.com."), ttl: 60, .aaaa(AAAA(parseIPv6("2001:db8::10")!))),
        ],
        authority: [
            ResourceRecord(n("example.com."), ttl: 3600, .ns(n("ns1.example.com."))),
            ResourceRecord(n("example.com."), ttl: 3600, .ns(n("ns2.example.com."))),
        ],
        additional: [
            ResourceRecord(n("ns1.example.com."), ttl: 3600, a("192.0.2.53")),
            ResourceRecord(n("ns2.example.com."), ttl: 3600, a("192.0.2.54")),
        ],
        edns: EDNS(udpSize: 1232))

    /// dnspython's encoding of the message holding only the TXT RRset, with TC set (190 octets).
    static let truncatedHex = """
        BEEF8700000100020000000103626967076578616D706C6503636F6D0000FF0001C00C001000010000003C00\
        3D3C616161616161616161616161616161616161616161616161616161616161616161616161616161616161\
        616161616161616161616161616161616161C00C001000010000003C003D3C62626262626262626262626262\
        6262626262626262626262626262626262626262626262626262626262626262626262626262626262626262\
        62626200002904D0000000000000
        """

    /// dnspython's encoding without the last additional RRset, TC clear (302 octets).
    static let additionalDroppedHex = """
        BEEF8500000100050002000203626967076578616D706C6503636F6D0000FF0001C00C001000010000003C00\
        3D3C616161616161616161616161616161616161616161616161616161616161616161616161616161616161\
        616161616161616161616161616161616161C00C001000010000003C003D3C62626262626262626262626262\
        6262626262626262626262626262626262626262626262626262626262626262626262626262626262626262\
        626262C00C000100010000003C0004C000020AC00C000100010000003C0004C000020BC00C001C0001000000\
        3C001020010DB8000000000000000000000010C0100002000100000E100006036E7331C010C0100002000100\
        000E100006036E7332C010C0FB0001000100000E100004C000023500002904D0000000000000
        """

    @Test func truncationDropsAnswerRRsetsAndSetsTC() throws {
        #expect(Self.big.encode().count == 318)
        // 200 octets: the TXT RRset (190 with OPT) fits, the A RRset (32 more) does not.
        let wire = Self.big.encode(maxSize: 200)
        #expect(Hex.encode(wire) == Self.truncatedHex)
        let d = try Message.decode(wire)
        #expect(d.header.tc)
        #expect(d.answers == Array(Self.big.answers.prefix(2)))
        #expect(d.authority.isEmpty && d.additional.isEmpty && d.edns == Self.big.edns)
    }

    @Test func truncationDropsAdditionalWithoutTC() throws {
        // 310 octets: everything but the last glue RRset (16 octets) fits.
        let wire = Self.big.encode(maxSize: 310)
        #expect(Hex.encode(wire) == Self.additionalDroppedHex)
        let d = try Message.decode(wire)
        #expect(!d.header.tc)
        #expect(d.answers == Self.big.answers && d.authority == Self.big.authority)
        #expect(d.additional == Array(Self.big.additional.prefix(1)))
    }

    /// Regression: a name whose suffix repeats one of its own earlier labels (a.a.b.) made the
    /// compressor compare against its own unterminated labels and index past the buffer.
    @Test func nameRepeatingItsOwnLabelEncodes() throws {
        let n = try Name(parsing: "a.a.b.")
        var m = Message()
        m.questions = [Question(n, .a)]
        m.answers = [ResourceRecord(n, ttl: 1, .a(A([192, 0, 2, 1])))]
        let wire = m.encode()
        // question name in full at 12, answer owner a pointer to it.
        #expect(Array(wire[12..<19]) == [1, 0x61, 1, 0x61, 1, 0x62, 0])
        #expect(Array(wire[23..<25]) == [0xC0, 12])
        #expect(try Message.decode(wire).answers == m.answers)
    }
}
