import DNSWire

/// The DNS protocol layer: query bytes in, reply bytes out. It validates the message (RFC 1035,
/// RFC 6891), answers CHAOS identity names (RFC 4892) itself, hands class-IN questions to its
/// `Source`, and adds EDNS, NSID (RFC 5001), cookies (RFC 7873, RFC 9018) and TCP keepalive
/// (RFC 7828). Pure and synchronous; generic over the source so calls are static.
public struct Responder<Source: AnswerSource>: Sendable {
    /// Answers class-IN questions (the zone query engine).
    public let source: Source
    /// Sizes, identity, cookies, keepalive; fixed for the responder's life.
    public let configuration: ResponderConfiguration
    /// Lower-case wire keys of the CHAOS identity names and what each answers, built once.
    let chaosNames: [(key: [UInt8], answer: IdentityAnswer)]

    /// A responder over `source`; CHAOS names are looked up once here.
    public init(source: Source, configuration: ResponderConfiguration = ResponderConfiguration()) {
        self.source = source
        self.configuration = configuration
        let id = configuration.identity
        func key(_ s: String) -> [UInt8] {
            // Fixed ASCII names: parsing cannot fail.
            (try? Name(parsing: s))!.key
        }
        chaosNames = [
            (key("id.server."), id.idServer),
            (key("hostname.bind."), id.hostnameBind),
            (key("version.server."), id.version),
            (key("version.bind."), id.version),
            (key("fingerprint.server."), id.fingerprint),
        ]
    }

    /// Answers one query into a reusable writer (reset first); on `.reply`, send `w.bytes`.
    ///
    /// The stages, in order, each either passing the query on or ending it with a reply:
    /// `header` (drop what is no query), `opcode` (NOTIMP), `decode` (FORMERR), `edns`
    /// (BADVERS), `cookie` (RFC 7873), `question` (FORMERR unless exactly one), `options`
    /// (NSID, keepalive, required cookies), then `dispatch` by class and type.
    public func respond(to query: [UInt8], context: QueryContext, into w: inout WireWriter) -> QueryOutcome {
        w.reset()
        let queryHeader: Header
        switch Self.header(of: query) {
        case .drop(let why): return .drop(why)
        case .next(let h): queryHeader = h
        }
        var reply = Message(header: Responder.replyHeader(for: queryHeader))
        let decoded = try? Message.decode(query)
        if queryHeader.opcode != .query {
            return finish(notImplemented(decoded, reply: reply), limit: sizeLimit(decoded?.edns, context), into: &w)
        }
        // Anything the codec rejects (bad names, pointers, counts, a malformed or duplicate
        // OPT, a COOKIE of bad length, RFC 6891 6.1.1, RFC 7873 5.2.2) is FORMERR, without
        // OPT since the query's OPT cannot be trusted.
        guard let m = decoded else {
            reply.questions = Responder.firstQuestion(of: query)
            reply.rcode = .formErr
            return finish(reply, limit: sizeLimit(nil, context), into: &w)
        }
        let limit = sizeLimit(m.edns, context)
        if let early = edns(m, reply: &reply) { return finish(early, limit: limit, into: &w) }
        let cookie = cookie(m, context: context)
        if let early = questionStage(m, cookie: cookie, reply: &reply) { return finish(early, limit: limit, into: &w) }
        if let early = options(m, cookie: cookie, context: context, reply: &reply) { return finish(early, limit: limit, into: &w) }
        return dispatch(m, queryHeader: queryHeader, reply: reply, limit: limit, context: context, into: &w)
    }

    /// A stage's verdict on a query: go on with a value, or end without a reply.
    enum Admission {
        case next(Header)
        case drop(DropReason)
    }

    /// Stage `header`: a query needs a whole header (there is no ID to answer otherwise) and QR
    /// clear (answering a response could loop two servers), RFC 1035 4.1.1.
    static func header(of query: [UInt8]) -> Admission {
        guard query.count >= Header.size else { return .drop(.tooShort) }
        let h = Header(id: UInt16(query[0]) << 8 | UInt16(query[1]), flags: UInt16(query[2]) << 8 | UInt16(query[3]))
        return h.qr ? .drop(.response) : .next(h)
    }

    /// Stage `opcode`: opcodes other than QUERY are not implemented (RFC 1035 4.1.1): NOTIFY
    /// too, since Tack has no secondary zone a NOTIFY could refresh; UPDATE; DSO (RFC 8490 5.1
    /// expects NOTIMP from servers without it). The question and OPT are echoed when the message
    /// has the usual layout.
    func notImplemented(_ decoded: Message?, reply: Message) -> Message {
        var reply = reply
        if let m = decoded, m.questions.count <= 1 {
            reply.questions = m.questions
            if let e = m.edns { reply.edns = replyEDNS(for: e) }
        }
        reply.rcode = .notImp
        return reply
    }

    /// Stage `edns`: the reply gets our OPT; an unknown EDNS version ends here with BADVERS, OPT
    /// version 0 and nothing else (RFC 6891 6.1.3).
    func edns(_ m: Message, reply: inout Message) -> Message? {
        guard let e = m.edns else { return nil }
        reply.edns = replyEDNS(for: e)
        guard e.version > 0 else { return nil }
        var early = reply
        if m.questions.count == 1 { early.questions = m.questions }
        early.rcode = .badVers
        return early
    }

    /// What the cookie stage found: the COOKIE option to send back and the verdict on the
    /// client's server cookie.
    struct CookieResult {
        var option: EDNSOption
        var verdict: CookieVerdict
    }

    /// Stage `cookie` (RFC 7873 5.2): with cookies on and a COOKIE in the query, verify its
    /// server part and make the one to send back (reused while still fresh).
    func cookie(_ m: Message, context: QueryContext) -> CookieResult? {
        guard let policy = configuration.cookies, let e = m.edns,
              case .cookie(let client, let server)? = e.option(.cookie) else { return nil }
        let verdict = ServerCookie.verify(client: client, server: server, address: context.client,
                                          now: context.receiveTime, policy: policy)
        let serverPart: [UInt8]
        if case .valid(reuse: true) = verdict {
            serverPart = server
        } else {
            serverPart = ServerCookie.make(secret: policy.secret, client: client, address: context.client, now: context.receiveTime)
        }
        return CookieResult(option: .cookie(client: client, server: serverPart), verdict: verdict)
    }

    /// Stage `question`: a query with no question and a COOKIE asks for a server cookie
    /// (RFC 7873 5.4); otherwise exactly one question (RFC 1035 4.1.2 allows more, but no
    /// server answers them) and nothing in the answer and authority sections (NSD checks the
    /// same; an IXFR query carries the client's SOA in the authority section, RFC 1995 3).
    func questionStage(_ m: Message, cookie: CookieResult?, reply: inout Message) -> Message? {
        if m.questions.isEmpty, let cookie {
            var early = reply
            early.edns?.options.append(cookie.option)
            if case .invalid = cookie.verdict { early.rcode = .badCookie } else { early.rcode = .noError }
            return early
        }
        guard m.questions.count == 1 else {
            var early = reply
            early.rcode = .formErr
            return early
        }
        let question = m.questions[0]
        reply.questions = [question]  // as received, case included (RFC 1035 7.3)
        guard m.answers.isEmpty, m.authority.isEmpty || question.type == .ixfr else {
            var early = reply
            early.rcode = .formErr
            return early
        }
        return nil
    }

    /// Stage `options`: the COOKIE, NSID (any payload in the query is ignored, RFC 5001 2.3) and
    /// edns-tcp-keepalive (never over UDP, RFC 7828 3.2.2) options of the reply. A client
    /// without a valid server cookie, when the policy requires one, ends here with BADCOOKIE and
    /// a fresh cookie to retry with; never over TCP (RFC 7873 5.2.2, 5.2.3).
    func options(_ m: Message, cookie: CookieResult?, context: QueryContext, reply: inout Message) -> Message? {
        if let cookie { reply.edns?.options.append(cookie.option) }
        if let e = m.edns {
            if let nsid = configuration.identity.nsid, e.option(.nsid) != nil {
                reply.edns?.options.append(.nsid(nsid))
            }
            if context.transport == .tcp, let timeout = configuration.tcpKeepalive, e.option(.tcpKeepalive) != nil {
                reply.edns?.options.append(.tcpKeepalive(timeout))
            }
        }
        if let policy = configuration.cookies, policy.requireValid, context.transport == .udp, let verdict = cookie?.verdict {
            if case .valid = verdict { return nil }
            var early = reply
            early.rcode = .badCookie
            return early
        }
        return nil
    }

    /// Stage `dispatch`: class IN (transfers to the transfer code, everything else to the
    /// source), QCLASS * answered as IN (RFC 1035 3.2.5; Tack holds class IN data only, as
    /// Knot answers it; the question is echoed as asked), CHAOS identity names, and REFUSED for
    /// any other class (HS, NONE, CS, unassigned), as Knot does.
    func dispatch(_ m: Message, queryHeader: Header, reply: Message, limit: Int, context: QueryContext,
                  into w: inout WireWriter) -> QueryOutcome {
        let question = m.questions[0]
        let result: AnswerResult
        switch question.qclass {
        case .in:
            if question.type == .axfr || question.type == .ixfr {
                return transfer(m, question, reply: reply, limit: limit, context: context, into: &w)
            }
            result = source.answer(question, selector: UInt32(queryHeader.id))
        case .any:
            result = source.answer(Question(question.name, question.type, .in), selector: UInt32(queryHeader.id))
        case .ch:
            result = chaos(question)
        default:
            result = AnswerResult(rcode: .refused, authoritative: false)
        }
        var reply = reply
        reply.header.aa = result.authoritative
        reply.answers = result.answer
        reply.authority = result.authority
        reply.additional = result.additional
        reply.rcode = result.rcode
        return finish(reply, limit: limit, into: &w)
    }

    /// The reply header: the query's ID, opcode, RD (RFC 1035 4.1.1) and CD (RFC 4035 3.2.2),
    /// with QR set; everything else clear.
    static func replyHeader(for q: Header) -> Header {
        var h = Header(id: q.id)
        h.qr = true
        h.opcode = q.opcode
        h.rd = q.rd
        h.cd = q.cd
        return h
    }

    /// The reply's OPT: our UDP size, version 0, DO copied (RFC 3225 3).
    func replyEDNS(for query: EDNS) -> EDNS {
        EDNS(udpSize: configuration.advertisedUDPSize, version: 0, dnssecOK: query.dnssecOK)
    }

    /// The most the reply may hold: 65535 over TCP; over UDP the client's EDNS size capped by
    /// ours and never under 512, or 512 without EDNS (RFC 6891 6.2.3, 6.2.5; RFC 1035 4.2.1).
    func sizeLimit(_ edns: EDNS?, _ context: QueryContext) -> Int {
        if context.transport == .tcp { return ResponseLimits.tcp }
        guard let edns else { return ResponseLimits.minimumUDP }
        return max(ResponseLimits.minimumUDP, min(Int(edns.udpSize), configuration.maxUDPPayload))
    }

    /// The question of a query the codec rejected, when its header says one question and that
    /// question itself parses; echoed in the FORMERR.
    static func firstQuestion(of query: [UInt8]) -> [Question] {
        var r = WireReader(query)
        guard let h = try? Header(from: &r), h.qdcount == 1 else { return [] }
        do { return [try Question(from: &r)] } catch { return [] }
    }

    /// CHAOS class: the identity names of RFC 4892, TXT only, TTL 0, AA clear (as Knot 3.2
    /// answers); everything else REFUSED, as Knot and NSD do.
    func chaos(_ q: Question) -> AnswerResult {
        let refused = AnswerResult(rcode: .refused, authoritative: false)
        guard q.type == .txt, let entry = chaosNames.first(where: { $0.key == q.name.key }) else { return refused }
        guard case .text(let text) = entry.answer else { return refused }
        var strings: [[UInt8]] = []
        var i = 0
        repeat {
            strings.append(Array(text[i..<min(i + ResponseLimits.maxIdentityLength, text.count)]))
            i += ResponseLimits.maxIdentityLength
        } while i < text.count
        let rr = ResourceRecord(q.name, ttl: 0, .txt(TXT(strings)), rclass: .ch)
        return AnswerResult(rcode: .noError, authoritative: false, answer: [rr])
    }

    /// Encodes the reply, truncating at RRset boundaries and setting TC as needed (RFC 2181 9).
    func finish(_ reply: Message, limit: Int, into w: inout WireWriter) -> QueryOutcome {
        reply.encode(into: &w, maxSize: limit)
        let truncated = w.bytes[2] & 0x02 != 0
        return .reply(rcode: reply.rcode, truncated: truncated)
    }
}
