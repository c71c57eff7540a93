import Testing
import DNSWire
@testable import Answer

// MARK: - A table-backed answer source

/// Answers from a fixed table keyed by question (name compared case-insensitively); anything
/// else is NXDOMAIN, authoritative. Records the questions it was asked.
struct TableSource: AnswerSource {
    let table: [Question: AnswerResult]

    func answer(_ question: Question) -> AnswerResult {
        table[question] ?? AnswerResult(rcode: .nxDomain, authoritative: true)
    }
}

func name(_ s: String) -> Name { try! Name(parsing: s) }

func a(_ owner: String, _ addr: [UInt8], ttl: UInt32 = 300) -> ResourceRecord {
    ResourceRecord(name(owner), ttl: ttl, .a(A(addr)))
}

/// 40 A records at 40 different owners: 40 RRsets, about 1 KB of answer.
let manyRRsets: [ResourceRecord] = (0..<40).map { a("host\($0).example.test.", [192, 0, 2, UInt8($0)]) }

let source = TableSource(table: [
    Question(name("www.example.test."), .a): AnswerResult(
        rcode: .noError, authoritative: true, answer: [a("www.example.test.", [192, 0, 2, 1])]),
    Question(name("big.example.test."), .a): AnswerResult(
        rcode: .noError, authoritative: true, answer: manyRRsets),
    Question(name("child.example.test."), .a): AnswerResult(
        rcode: .noError, authoritative: false,
        authority: [ResourceRecord(name("child.example.test."), ttl: 300, .ns(name("ns.child.example.test.")))]),
])

// MARK: - Hand-built queries

/// Wire form of a presentation name, case kept (e.g. "ExAmPle.test" -> 7ExAmPle4test0).
func wireName(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    for label in s.split(separator: ".") { out.append(UInt8(label.utf8.count)); out += Array(label.utf8) }
    return out + [0]
}

func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }

/// An OPT record: root owner, TYPE 41, CLASS = UDP size, TTL = ext-rcode/version/flags, options.
func opt(udp: UInt16 = 4096, version: UInt8 = 0, dnssecOK: Bool = false, options: [(UInt16, [UInt8])] = []) -> [UInt8] {
    var rdata: [UInt8] = []
    for (code, data) in options { rdata += u16(code) + u16(UInt16(data.count)) + data }
    return [0] + u16(41) + u16(udp) + [0, version, dnssecOK ? 0x80 : 0, 0] + u16(UInt16(rdata.count)) + rdata
}

/// A query: header (ID 0xBEEF), one question unless `qdcount` says otherwise, then `additional`
/// records (raw bytes, counted by `arcount`).
func query(_ qname: String = "www.example.test", type: UInt16 = 1, qclass: UInt16 = 1,
           flags: UInt16 = 0x0100, qdcount: UInt16 = 1, ancount: UInt16 = 0,
           body: [UInt8]? = nil, additional: [[UInt8]] = []) -> [UInt8] {
    var m = u16(0xBEEF) + u16(flags) + u16(qdcount) + u16(ancount) + u16(0) + u16(UInt16(additional.count))
    if let body { m += body } else if qdcount > 0 {
        for _ in 0..<qdcount { m += wireName(qname) + u16(type) + u16(qclass) }
    }
    for r in additional { m += r }
    return m
}

let udp = QueryContext(transport: .udp, client: ClientAddress(ipv4: 192, 0, 2, 53), receiveTime: 1559731985)
let tcp = QueryContext(transport: .tcp, client: ClientAddress(ipv4: 192, 0, 2, 53), receiveTime: 1559731985)

func respond(_ q: [UInt8], _ ctx: QueryContext = udp,
             _ config: ResponderConfiguration = ResponderConfiguration()) -> Replied {
    Responder(source: source, configuration: config).respond(to: q, context: ctx)
}

/// Responds and decodes the reply, failing the test when there is none or it does not decode.
func reply(_ q: [UInt8], _ ctx: QueryContext = udp, _ config: ResponderConfiguration = ResponderConfiguration(),
           sourceLocation: SourceLocation = #_sourceLocation) throws -> (Message, [UInt8]) {
    guard case .reply(let bytes) = respond(q, ctx, config) else {
        Issue.record("no reply", sourceLocation: sourceLocation)
        throw CancellationError()
    }
    return (try Message.decode(bytes), bytes)
}

// MARK: - Tests

@Suite struct ResponderTests {
    @Test func answersAQueryWithHeaderRulesApplied() throws {
        // RD and CD set in the query; AD and Z set too, which the reply must not copy.
        let (m, _) = try reply(query(flags: 0x0100 | 0x0010 | 0x0020 | 0x0040))
        #expect(m.header.id == 0xBEEF)
        #expect(m.header.qr && m.header.aa && m.header.rd && m.header.cd)
        #expect(!m.header.ra && !m.header.ad && !m.header.z && !m.header.tc)
        #expect(m.header.opcode == .query)
        #expect(m.rcode == .noError)
        #expect(m.questions == [Question(name("www.example.test."), .a)])
        #expect(m.answers == [a("www.example.test.", [192, 0, 2, 1])])
        #expect(m.edns == nil)  // no OPT in the query, none in the reply (RFC 6891 7)
    }

    @Test func rdClearStaysClearAndAAComesFromTheEngine() throws {
        let (m, _) = try reply(query("child.example.test", flags: 0))
        #expect(!m.header.rd && !m.header.aa)
        #expect(m.authority.count == 1)
        let (nx, _) = try reply(query("nope.example.test"))
        #expect(nx.rcode == .nxDomain && nx.header.aa)
    }

    @Test func questionIsEchoedWithTheQueryCase() throws {
        let (_, bytes) = try reply(query("WwW.ExAmPlE.tEsT"))
        #expect(Array(bytes[12..<(12 + 18)]) == wireName("WwW.ExAmPlE.tEsT"))
    }

    @Test(arguments: [0, 1, 11])
    func dropsMessagesShorterThanTheHeader(length: Int) {
        #expect(respond(Array(query().prefix(length))) == .drop(.tooShort))
    }

    @Test func dropsResponses() {
        #expect(respond(query(flags: 0x8100)) == .drop(.response))
        #expect(respond(query(flags: 0x8000, qdcount: 0)) == .drop(.response))
    }

    struct FormErrCase: Sendable, CustomStringConvertible {
        let name: String
        let query: [UInt8]
        let echoesQuestion: Bool
        let hasOPT: Bool
        var description: String { name }
    }

    static let formErrCases: [FormErrCase] = [
        FormErrCase(name: "QDCOUNT 0", query: query(qdcount: 0), echoesQuestion: false, hasOPT: false),
        FormErrCase(name: "QDCOUNT 0 with OPT but no cookie", query: query(qdcount: 0, additional: [opt()]),
                    echoesQuestion: false, hasOPT: true),
        FormErrCase(name: "QDCOUNT 2", query: query(qdcount: 2), echoesQuestion: false, hasOPT: false),
        FormErrCase(name: "QDCOUNT 1 but no question", query: query(body: []), echoesQuestion: false, hasOPT: false),
        FormErrCase(name: "question name runs past the end",
                    query: query(body: [3, 0x77, 0x77]), echoesQuestion: false, hasOPT: false),
        FormErrCase(name: "question without type and class",
                    query: query(body: wireName("www.example.test")), echoesQuestion: false, hasOPT: false),
        FormErrCase(name: "forward compression pointer in the question",
                    query: query(body: [0xC0, 12] + u16(1) + u16(1)), echoesQuestion: false, hasOPT: false),
        FormErrCase(name: "two OPT records", query: query(additional: [opt(), opt()]),
                    echoesQuestion: true, hasOPT: false),
        FormErrCase(name: "OPT whose option runs past RDLENGTH",
                    query: query(additional: [[0] + u16(41) + u16(4096) + [0, 0, 0, 0] + u16(4) + u16(10) + u16(8)]),
                    echoesQuestion: true, hasOPT: false),
        FormErrCase(name: "OPT not owned by the root",
                    query: query(additional: [[1, 0x61, 0] + u16(41) + u16(4096) + [0, 0, 0, 0] + u16(0)]),
                    echoesQuestion: true, hasOPT: false),
        FormErrCase(name: "COOKIE of 5 octets (RFC 7873 5.2.2)",
                    query: query(additional: [opt(options: [(10, [1, 2, 3, 4, 5])])]), echoesQuestion: true, hasOPT: false),
        FormErrCase(name: "COOKIE of 12 octets", query: query(additional: [opt(options: [(10, Array(repeating: 7, count: 12))])]),
                    echoesQuestion: true, hasOPT: false),
        FormErrCase(name: "COOKIE of 41 octets", query: query(additional: [opt(options: [(10, Array(repeating: 7, count: 41))])]),
                    echoesQuestion: true, hasOPT: false),
        FormErrCase(name: "a record in the answer section",
                    query: query(ancount: 1, body: wireName("www.example.test") + u16(1) + u16(1)
                                 + [0xC0, 12] + u16(1) + u16(1) + [0, 0, 0, 60] + u16(4) + [192, 0, 2, 1]),
                    echoesQuestion: true, hasOPT: false),
        FormErrCase(name: "trailing bytes", query: query() + [0], echoesQuestion: true, hasOPT: false),
    ]

    @Test(arguments: formErrCases)
    func formErr(_ c: FormErrCase) throws {
        let (m, _) = try reply(c.query)
        #expect(m.rcode == .formErr)
        #expect(m.header.id == 0xBEEF && m.header.qr && m.header.rd)
        #expect(m.answers.isEmpty && m.authority.isEmpty && m.additional.isEmpty)
        #expect(m.questions == (c.echoesQuestion ? [Question(name("www.example.test."), .a)] : []))
        #expect((m.edns != nil) == c.hasOPT)
    }

    @Test(arguments: [UInt8(1), 2, 4, 5, 6, 15])
    func notImpForOpcodesOtherThanQuery(opcode: UInt8) throws {
        let q = query(flags: UInt16(opcode) << 11 | 0x0100, additional: [opt()])
        let (m, _) = try reply(q)
        #expect(m.rcode == .notImp)
        #expect(m.header.opcode == Opcode(opcode))
        #expect(m.header.rd && !m.header.aa)
        #expect(m.questions == [Question(name("www.example.test."), .a)])
        #expect(m.edns != nil)
    }

    /// A DNS Stateful Operations message (opcode 6, RFC 8490) has no question and TLVs after
    /// the header: not a message the codec knows, still NOTIMP, never FORMERR.
    @Test func notImpForAStatefulOperationsMessage() throws {
        let dso = u16(0xBEEF) + u16(6 << 11) + u16(0) + u16(0) + u16(0) + u16(0) + u16(1) + u16(2) + u16(0x1234)
        let (m, _) = try reply(dso)
        #expect(m.rcode == .notImp && m.header.opcode == Opcode(6) && m.questions.isEmpty && m.edns == nil)
    }

    @Test func ednsReplyAdvertisesOurSizeAndCopiesDO() throws {
        let (m, _) = try reply(query(additional: [opt(udp: 4096, dnssecOK: true)]))
        let e = try #require(m.edns)
        #expect(e.udpSize == 1232 && e.version == 0 && e.dnssecOK && e.options.isEmpty)
        let (m2, _) = try reply(query(additional: [opt(udp: 4096)]), udp, ResponderConfiguration(advertisedUDPSize: 4000))
        #expect(m2.edns?.udpSize == 4000 && m2.edns?.dnssecOK == false)
    }

    @Test func badVersForEDNSVersionAboveZero() throws {
        let (m, _) = try reply(query(additional: [opt(version: 1, options: [(3, [])])]),
                               udp, ResponderConfiguration(identity: ServerIdentity(nsid: Array("ns1".utf8))))
        #expect(m.rcode == .badVers)
        #expect(m.header.rcodeLow == 0 && m.edns?.extendedRCode == 1)
        #expect(m.edns?.version == 0 && m.edns?.options == [])
        #expect(m.answers.isEmpty)
    }

    struct SizeCase: Sendable, CustomStringConvertible {
        let name: String
        let context: QueryContext
        let edns: UInt16?
        let maxUDPPayload: Int
        let limit: Int
        var description: String { name }
    }

    static let sizeCases: [SizeCase] = [
        SizeCase(name: "UDP without EDNS: 512", context: udp, edns: nil, maxUDPPayload: 1232, limit: 512),
        SizeCase(name: "client offers 4096, we cap at 1232", context: udp, edns: 4096, maxUDPPayload: 1232, limit: 1232),
        SizeCase(name: "client offers 800", context: udp, edns: 800, maxUDPPayload: 1232, limit: 800),
        SizeCase(name: "client offers 100: never under 512", context: udp, edns: 100, maxUDPPayload: 1232, limit: 512),
        SizeCase(name: "TCP: 65535", context: tcp, edns: nil, maxUDPPayload: 1232, limit: 65535),
        SizeCase(name: "TCP with EDNS 512: still 65535", context: tcp, edns: 512, maxUDPPayload: 1232, limit: 65535),
    ]

    @Test(arguments: sizeCases)
    func truncatesAtRRsetBoundariesWithinTheLimit(_ c: SizeCase) throws {
        let q = query("big.example.test", additional: c.edns.map { [opt(udp: $0)] } ?? [])
        let (m, bytes) = try reply(q, c.context, ResponderConfiguration(maxUDPPayload: c.maxUDPPayload))
        #expect(bytes.count <= c.limit)
        let fits = c.limit >= 1000  // the whole answer takes about 950 octets
        #expect(m.header.tc == !fits, "\(bytes.count) bytes, limit \(c.limit)")
        #expect(m.answers == Array(manyRRsets.prefix(m.answers.count)))  // whole RRsets, in order
        if fits { #expect(m.answers.count == manyRRsets.count) } else {
            #expect(m.answers.count < manyRRsets.count)
            // One more RRset would not have fit.
            #expect(bytes.count + 23 > c.limit)  // each RRset takes 22 or 23 octets
        }
        #expect((m.edns != nil) == (c.edns != nil))  // OPT kept even when truncated (RFC 6891 7)
    }

    // MARK: CHAOS

    static let identity = ServerIdentity(idServer: .text("ns1.example"), hostnameBind: .text("host-a"),
                                         version: .text("Tack 0.1"), nsid: nil)

    @Test(arguments: [
        ("id.server", "ns1.example"), ("ID.SERVER", "ns1.example"), ("hostname.bind", "host-a"),
        ("version.server", "Tack 0.1"), ("version.bind", "Tack 0.1"),
    ])
    func chaosIdentity(qname: String, text: String) throws {
        let (m, _) = try reply(query(qname, type: 16, qclass: 3), udp, ResponderConfiguration(identity: Self.identity))
        #expect(m.rcode == .noError && !m.header.aa)  // as Knot
        #expect(m.questions == [Question(name(qname + "."), .txt, .ch)])
        #expect(m.answers == [ResourceRecord(name(qname + "."), ttl: 0, .txt(TXT([Array(text.utf8)])), rclass: .ch)])
    }

    @Test(arguments: [
        ("id.server", UInt16(16), "hidden identity"),
        ("version.bind", 16, "hidden version"),
        ("id.server", 1, "A in class CH"),
        ("authors.bind", 16, "other CH name"),
        ("www.example.test", 16, "a served name, in class CH"),
    ])
    func chaosRefused(qname: String, type: UInt16, why: String) throws {
        let (m, _) = try reply(query(qname, type: type, qclass: 3), udp,
                               ResponderConfiguration(identity: ServerIdentity(idServer: .hidden, version: .hidden)))
        #expect(m.rcode == .refused, "\(why)")
        #expect(m.answers.isEmpty && !m.header.aa)
    }

    @Test(arguments: [UInt16(4), 2, 254, 42])
    func otherClassesRefused(qclass: UInt16) throws {
        let (m, _) = try reply(query(qclass: qclass))
        #expect(m.rcode == .refused && m.answers.isEmpty)
    }

    @Test func classAnyIsAnsweredFromClassIN() throws {
        let (m, bytes) = try reply(query("WWW.example.test", qclass: 255))
        #expect(m.rcode == .noError && m.header.aa)
        #expect(m.questions == [Question(name("www.example.test."), .a, .any)])  // echoed as asked
        #expect(Array(bytes[12..<30]) == wireName("WWW.example.test"))
        #expect(m.answers == [a("www.example.test.", [192, 0, 2, 1])])
        // CHAOS names are not IN data: ANY asks the IN source, which has no such name
        // (the zone engine says REFUSED outside its zones, as Knot does).
        #expect(try reply(query("id.server", type: 16, qclass: 255), udp,
                          ResponderConfiguration(identity: Self.identity)).0.rcode == .nxDomain)
    }

    /// A source without zones has nothing to transfer: NOTAUTH, as NSD and Knot answer a
    /// transfer of a zone they do not serve (ACLs and streams: ZoneTransferTests).
    @Test(arguments: [UInt16(252), 251])
    func zoneTransfersWithoutZones(type: UInt16) throws {
        let (m, _) = try reply(query("example.test", type: type), tcp)
        #expect(m.rcode == .notAuth && !m.header.aa && m.answers.isEmpty)
    }

    // MARK: NSID, keepalive

    @Test func nsidWhenAskedAndConfigured() throws {
        let withNSID = ResponderConfiguration(identity: ServerIdentity(nsid: Array("ns1.fra".utf8)))
        let asked = query(additional: [opt(options: [(3, [])])])
        #expect(try reply(asked, udp, withNSID).0.edns?.options == [.nsid(Array("ns1.fra".utf8))])
        // A payload in the query is ignored (RFC 5001 2.3).
        #expect(try reply(query(additional: [opt(options: [(3, [1, 2])])]), udp, withNSID).0.edns?.options
                == [.nsid(Array("ns1.fra".utf8))])
        #expect(try reply(query(additional: [opt()]), udp, withNSID).0.edns?.options == [])
        #expect(try reply(asked).0.edns?.options == [])
    }

    @Test func tcpKeepaliveOnlyOverTCPWhenAsked() throws {
        let config = ResponderConfiguration(tcpKeepalive: 100)
        let asked = query(additional: [opt(options: [(11, [])])])
        #expect(try reply(asked, tcp, config).0.edns?.options == [.tcpKeepalive(100)])
        #expect(try reply(asked, udp, config).0.edns?.options == [])
        #expect(try reply(query(additional: [opt()]), tcp, config).0.edns?.options == [])
        #expect(try reply(asked, tcp).0.edns?.options == [])
        #expect(ResponderConfiguration.keepaliveUnits(milliseconds: 10_000) == 100)
        #expect(ResponderConfiguration.keepaliveUnits(milliseconds: 10_000_000) == 65535)
    }

    @Test func unknownOptionsAreIgnored() throws {
        let (m, _) = try reply(query(additional: [opt(options: [(65001, [1, 2, 3])])]))
        #expect(m.rcode == .noError && m.edns?.options == [])
    }

    // MARK: Cookies

    static let cookies = ResponderConfiguration(cookies: CookiePolicy(secret: secret(a1Secret)))
    static let requiring = ResponderConfiguration(cookies: CookiePolicy(secret: secret(a1Secret), requireValid: true))
    static let a1Context = QueryContext(transport: .udp, client: a1Client, receiveTime: 1559731985)

    func cookieQuery(_ cookie: String, qdcount: UInt16 = 1) -> [UInt8] {
        query(qdcount: qdcount, additional: [opt(options: [(10, hex(cookie))])])
    }

    func replyCookie(_ m: Message) -> [UInt8]? {
        guard case .cookie(let c, let s)? = m.edns?.option(.cookie) else { return nil }
        return c + s
    }

    @Test func clientCookieOnlyGetsAFreshServerCookie() throws {
        let (m, _) = try reply(cookieQuery("2464c4abcf10c957"), Self.a1Context, Self.cookies)
        #expect(m.rcode == .noError && m.answers.count == 1)
        #expect(replyCookie(m) == hex("2464c4abcf10c957010000005cf79f111f8130c3eee29480"))  // RFC 9018 A.1
    }

    @Test func validCookieIsEchoedThenRefreshedAfterHalfAnHour() throws {
        let cookie = "2464c4abcf10c957010000005cf79f111f8130c3eee29480"
        var ctx = Self.a1Context
        ctx.receiveTime = 1559731985 + 600
        #expect(replyCookie(try reply(cookieQuery(cookie), ctx, Self.cookies).0) == hex(cookie))
        ctx.receiveTime = 1559734385  // RFC 9018 A.2: 40 minutes later
        let (m, _) = try reply(cookieQuery(cookie), ctx, Self.cookies)
        #expect(m.rcode == .noError && m.answers.count == 1)
        #expect(replyCookie(m) == hex("2464c4abcf10c957010000005cf7a871d4a564a1442aca77"))
    }

    @Test func invalidCookieIsTreatedAsClientOnlyUnlessRequired() throws {
        let stale = "2464c4abcf10c957010000005cf79f111f8130c3eee29480"
        var ctx = Self.a1Context
        ctx.receiveTime = 1559731985 + 3601  // expired
        let (m, _) = try reply(cookieQuery(stale), ctx, Self.cookies)
        #expect(m.rcode == .noError && m.answers.count == 1)
        let fresh = ServerCookie.make(secret: secret(a1Secret), client: hex("2464c4abcf10c957"), address: a1Client,
                                      now: ctx.receiveTime)
        #expect(replyCookie(m) == hex("2464c4abcf10c957") + fresh)

        let (bad, _) = try reply(cookieQuery(stale), ctx, Self.requiring)
        #expect(bad.rcode == .badCookie && bad.answers.isEmpty)
        #expect(bad.header.rcodeLow == 7 && bad.edns?.extendedRCode == 1)
        #expect(bad.questions.count == 1)
        #expect(replyCookie(bad) == hex("2464c4abcf10c957") + fresh)  // the cookie to retry with

        let (clientOnly, _) = try reply(cookieQuery("2464c4abcf10c957"), ctx, Self.requiring)
        #expect(clientOnly.rcode == .badCookie)
        // Over TCP the connection itself is the proof: answered (RFC 7873 5.2.3).
        ctx.transport = .tcp
        #expect(try reply(cookieQuery(stale), ctx, Self.requiring).0.rcode == .noError)
        // No COOKIE at all: answered even when required (RFC 7873 5.2.1).
        ctx.transport = .udp
        #expect(try reply(query(additional: [opt()]), ctx, Self.requiring).0.rcode == .noError)
        // A valid cookie passes the requirement.
        let (ok, _) = try reply(cookieQuery(stale), Self.a1Context, Self.requiring)
        #expect(ok.rcode == .noError && ok.answers.count == 1)
    }

    @Test func cookieAcceptedAcrossTwoRespondersSharingASecret() throws {
        let one = Responder(source: source, configuration: Self.cookies)
        let two = Responder(source: TableSource(table: [:]), configuration: Self.requiring)
        guard case .reply(let first) = one.respond(to: cookieQuery("0102030405060708"), context: Self.a1Context)
        else { Issue.record("no reply"); return }
        let cookie = try #require(replyCookie(try Message.decode(first)))
        var later = Self.a1Context
        later.receiveTime += 60
        let q = query(additional: [opt(options: [(10, cookie)])])
        guard case .reply(let second) = two.respond(to: q, context: later) else { Issue.record("no reply"); return }
        let m = try Message.decode(second)
        #expect(m.rcode == .nxDomain)  // answered, not BADCOOKIE
        #expect(replyCookie(m) == cookie)  // and echoed unchanged
        // A third server with another secret does not accept it.
        let three = Responder(source: source, configuration: ResponderConfiguration(
            cookies: CookiePolicy(secret: secret("445536bcd2513298075a5d379663c962"), requireValid: true)))
        guard case .reply(let third) = three.respond(to: q, context: later) else { Issue.record("no reply"); return }
        #expect(try Message.decode(third).rcode == .badCookie)
    }

    @Test func rolloverAcceptsThePreviousSecretAndReissues() throws {
        // RFC 9018 A.4: an IPv6 client's cookie made with the old secret.
        let config = ResponderConfiguration(cookies: CookiePolicy(
            secret: secret("445536bcd2513298075a5d379663c962"),
            previousSecret: secret("dd3bdf9344b678b185a6f5cb60fca715"), requireValid: true))
        let ctx = QueryContext(transport: .udp, client: ClientAddress(bytes: hex("20010db80220000159ded0f4876982b8"))!,
                               receiveTime: 1559741961)
        let (m, _) = try reply(cookieQuery("22681ab97d52c298010000005cf7c57926556bd0934c72f8"), ctx, config)
        #expect(m.rcode == .noError)
        #expect(replyCookie(m) == hex("22681ab97d52c298010000005cf7c609a6bb79d16625507a"))
        // Without the previous secret the same cookie is refused.
        var noPrevious = config
        noPrevious.cookies?.previousSecret = nil
        #expect(try reply(cookieQuery("22681ab97d52c298010000005cf7c57926556bd0934c72f8"), ctx, noPrevious).0.rcode
                == .badCookie)
    }

    @Test func questionlessQueryLearnsAServerCookie() throws {
        // RFC 7873 5.4: QDCOUNT 0 with a COOKIE.
        let (m, _) = try reply(cookieQuery("2464c4abcf10c957", qdcount: 0), Self.a1Context, Self.cookies)
        #expect(m.rcode == .noError && m.questions.isEmpty && m.answers.isEmpty)
        #expect(replyCookie(m) == hex("2464c4abcf10c957010000005cf79f111f8130c3eee29480"))
        var later = Self.a1Context
        later.receiveTime += 7200
        let (bad, _) = try reply(cookieQuery("2464c4abcf10c957010000005cf79f111f8130c3eee29480", qdcount: 0),
                                 later, Self.cookies)
        #expect(bad.rcode == .badCookie && replyCookie(bad)?.count == 24)
        // Without cookie support it is just a question-less query: FORMERR.
        #expect(try reply(cookieQuery("2464c4abcf10c957", qdcount: 0), Self.a1Context).0.rcode == .formErr)
    }

    @Test func cookiesDisabledIgnoresTheOption() throws {
        let (m, _) = try reply(cookieQuery("2464c4abcf10c957"), Self.a1Context)
        #expect(m.rcode == .noError && m.edns != nil && replyCookie(m) == nil)
    }

    @Test func writerEntryPointReusesTheBuffer() {
        let r = Responder(source: source, configuration: Self.cookies)
        var w = WireWriter(capacity: 512)
        let d1 = r.respond(to: query("big.example.test"), context: udp, into: &w)
        #expect(d1 == .reply(rcode: .noError, truncated: true))
        #expect(w.count <= 512)
        let d2 = r.respond(to: query("nope.example.test"), context: udp, into: &w)
        #expect(d2 == .reply(rcode: .nxDomain, truncated: false))
        #expect(r.respond(to: query("nope.example.test"), context: udp) == .reply(w.bytes))
        #expect(r.respond(to: [1, 2, 3], context: udp, into: &w) == .drop(.tooShort))
        #expect(w.count == 0)
    }
}
