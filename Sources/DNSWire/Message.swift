/// The 12-octet message header (RFC 1035 4.1.1).
public struct Header: Sendable, Hashable {
    /// Size of the header on the wire.
    public static let size = 12

    public var id: UInt16
    /// The second 16-bit word: QR, opcode, AA, TC, RD, RA, Z, AD, CD and the low 4 rcode bits.
    public var flags: UInt16
    public var qdcount: UInt16
    public var ancount: UInt16
    public var nscount: UInt16
    public var arcount: UInt16

    public init(id: UInt16 = 0, flags: UInt16 = 0, qdcount: UInt16 = 0, ancount: UInt16 = 0, nscount: UInt16 = 0, arcount: UInt16 = 0) {
        self.id = id; self.flags = flags
        self.qdcount = qdcount; self.ancount = ancount; self.nscount = nscount; self.arcount = arcount
    }

    public init(from r: inout WireReader) throws(WireError) {
        guard r.remaining >= Header.size else { throw WireError(.truncated, at: r.offset) }
        id = try r.u16(); flags = try r.u16()
        qdcount = try r.u16(); ancount = try r.u16(); nscount = try r.u16(); arcount = try r.u16()
    }

    public func encode(to w: inout WireWriter) {
        w.u16(id); w.u16(flags); w.u16(qdcount); w.u16(ancount); w.u16(nscount); w.u16(arcount)
    }

    @inlinable func bit(_ n: Int) -> Bool { flags & (1 << n) != 0 }
    @inlinable mutating func setBit(_ n: Int, _ v: Bool) {
        if v { flags |= 1 << n } else { flags &= ~(1 << n) }
    }

    /// QR: this message is a response.
    public var qr: Bool { get { bit(15) } set { setBit(15, newValue) } }
    public var opcode: Opcode {
        get { Opcode(UInt8((flags >> 11) & 0xF)) }
        set { flags = flags & ~0x7800 | UInt16(newValue.rawValue) << 11 }
    }
    /// AA: authoritative answer.
    public var aa: Bool { get { bit(10) } set { setBit(10, newValue) } }
    /// TC: truncated.
    public var tc: Bool { get { bit(9) } set { setBit(9, newValue) } }
    /// RD: recursion desired.
    public var rd: Bool { get { bit(8) } set { setBit(8, newValue) } }
    /// RA: recursion available.
    public var ra: Bool { get { bit(7) } set { setBit(7, newValue) } }
    /// Z: reserved, must be zero (RFC 1035 4.1.1).
    public var z: Bool { get { bit(6) } set { setBit(6, newValue) } }
    /// AD: authentic data (RFC 4035 3.2.3).
    public var ad: Bool { get { bit(5) } set { setBit(5, newValue) } }
    /// CD: checking disabled (RFC 4035 3.2.2).
    public var cd: Bool { get { bit(4) } set { setBit(4, newValue) } }
    /// The low four bits of the response code.
    public var rcodeLow: UInt8 {
        get { UInt8(flags & 0xF) }
        set { flags = flags & ~0xF | UInt16(newValue & 0xF) }
    }
}

/// A question: name, type and class (RFC 1035 4.1.2).
public struct Question: Sendable, Hashable, CustomStringConvertible {
    public var name: Name
    public var type: RRType
    public var qclass: RRClass

    public init(_ name: Name, _ type: RRType, _ qclass: RRClass = .in) {
        self.name = name; self.type = type; self.qclass = qclass
    }

    public init(from r: inout WireReader) throws(WireError) {
        name = try r.name()
        type = RRType(try r.u16())
        qclass = RRClass(try r.u16())
    }

    public func encode(to w: inout WireWriter) {
        w.name(name)
        w.u16(type.rawValue)
        w.u16(qclass.rawValue)
    }

    public var description: String { "\(name) \(qclass) \(type)" }
}

/// A resource record (RFC 1035 4.1.3).
public struct ResourceRecord: Sendable, Hashable, CustomStringConvertible {
    public var name: Name
    public var rclass: RRClass
    public var ttl: UInt32
    public var rdata: RData

    public var type: RRType { rdata.type }

    public init(_ name: Name, ttl: UInt32, _ rdata: RData, rclass: RRClass = .in) {
        self.name = name; self.ttl = ttl; self.rdata = rdata; self.rclass = rclass
    }

    /// Appends the record; RDLENGTH is filled in after the RDATA is written.
    public func encode(to w: inout WireWriter, names: NameEncoding = .message) {
        w.name(name, compress: names.compress, lowercase: names.canonical)
        w.u16(type.rawValue)
        w.u16(rclass.rawValue)
        w.u32(ttl)
        let lenAt = w.count
        w.u16(0)
        rdata.encode(to: &w, names: names)
        w.set16(UInt16(w.count - lenAt - 2), at: lenAt)
    }

    /// Presentation format: `owner TTL CLASS TYPE RDATA`, tab-separated like ldns and Knot.
    public var description: String {
        "\(name)\t\(ttl)\t\(rclass)\t\(type)\t\(rdata.presentation)"
    }

    /// Canonical wire form (RFC 4034 6.2) with the given TTL, for signing and comparing.
    public func canonicalWire(ttl originalTTL: UInt32? = nil) -> [UInt8] {
        var w = WireWriter(capacity: 64)
        var copy = self
        copy.ttl = originalTTL ?? ttl
        copy.encode(to: &w, names: .canonical)
        return w.bytes
    }
}

/// A DNS message: header, question and the three record sections; the OPT record, when
/// present, is lifted out of the additional section into `edns` (RFC 6891 6.1.1).
public struct Message: Sendable, Hashable {
    public var header: Header
    public var questions: [Question]
    public var answers: [ResourceRecord]
    public var authority: [ResourceRecord]
    public var additional: [ResourceRecord]
    public var edns: EDNS?

    public init(header: Header = Header(), questions: [Question] = [], answers: [ResourceRecord] = [],
                authority: [ResourceRecord] = [], additional: [ResourceRecord] = [], edns: EDNS? = nil) {
        self.header = header; self.questions = questions; self.answers = answers
        self.authority = authority; self.additional = additional; self.edns = edns
    }

    /// The full 12-bit response code: header bits plus the OPT extension (RFC 6891 6.1.3).
    public var rcode: RCode {
        get { RCode(UInt16(edns?.extendedRCode ?? 0) << 4 | UInt16(header.rcodeLow)) }
        set {
            header.rcodeLow = UInt8(newValue.rawValue & 0xF)
            if newValue.rawValue > 0xF { edns?.extendedRCode = UInt8(newValue.rawValue >> 4) }
            else { edns?.extendedRCode = 0 }
        }
    }

    /// Decodes a whole message. Never traps on any input; every failure is a `WireError` with
    /// the offset of the problem.
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Message {
        var r = WireReader(bytes)
        let h = try Header(from: &r)
        var m = Message(header: h)
        m.questions.reserveCapacity(Int(min(h.qdcount, 4)))
        for _ in 0..<h.qdcount {
            guard !r.isAtEnd else { throw WireError(.countPastEnd(section: .question), at: r.offset) }
            m.questions.append(try Question(from: &r))
        }
        m.answers = try decodeSection(&r, count: h.ancount, section: .answer, edns: &m.edns)
        m.authority = try decodeSection(&r, count: h.nscount, section: .authority, edns: &m.edns)
        m.additional = try decodeSection(&r, count: h.arcount, section: .additional, edns: &m.edns)
        if !r.isAtEnd { throw WireError(.trailingBytes, at: r.offset) }
        return m
    }

    static func decodeSection(_ r: inout WireReader, count: UInt16, section: WireError.Section, edns: inout EDNS?) throws(WireError) -> [ResourceRecord] {
        var out: [ResourceRecord] = []
        out.reserveCapacity(Int(min(count, 16)))
        for _ in 0..<count {
            guard !r.isAtEnd else { throw WireError(.countPastEnd(section: section), at: r.offset) }
            let start = r.offset
            let name = try r.name()
            let type = RRType(try r.u16())
            let cls = try r.u16()
            let ttl = try r.u32()
            let rdlen = Int(try r.u16())
            guard r.offset + rdlen <= r.end else {
                throw WireError(.rdataOverrun(type: type.rawValue), at: r.offset - 2)
            }
            if type == .opt {
                guard section == .additional, name.isRoot else { throw WireError(.misplacedOPT, at: start) }
                guard edns == nil else { throw WireError(.duplicateOPT, at: start) }
                edns = try EDNS(udpSize: cls, ttl: ttl, from: &r, length: rdlen)
                continue
            }
            let rdata = try RData.decode(type: type, from: &r, length: rdlen)
            out.append(ResourceRecord(name, ttl: ttl, rdata, rclass: RRClass(cls)))
        }
        return out
    }

    /// Encodes the message. When it would exceed `maxSize`, whole RRsets are dropped from the
    /// end: in the answer and authority sections this sets TC (RFC 2181 9); in the additional
    /// section records are simply left out (RFC 1035 7.1 allows that without TC). The OPT
    /// record is always kept, its space reserved first.
    public func encode(maxSize: Int = EncodeLimits.maxMessage) -> [UInt8] {
        var w = WireWriter(capacity: min(maxSize, 4096))
        encode(into: &w, maxSize: maxSize)
        return w.bytes
    }

    /// Encodes into a reusable writer (which is reset first).
    public func encode(into w: inout WireWriter, maxSize: Int = EncodeLimits.maxMessage) {
        w.reset()
        let limit = min(maxSize, EncodeLimits.maxMessage) - (edns?.wireSize ?? 0)
        var h = header
        h.qdcount = UInt16(questions.count)
        h.ancount = 0; h.nscount = 0; h.arcount = 0
        h.encode(to: &w)
        for q in questions { q.encode(to: &w) }
        var truncated = false
        h.ancount = Message.encodeSection(answers, into: &w, limit: limit, truncated: &truncated)
        if !truncated {
            h.nscount = Message.encodeSection(authority, into: &w, limit: limit, truncated: &truncated)
        }
        if !truncated {
            var dropped = false
            h.arcount = Message.encodeSection(additional, into: &w, limit: limit, truncated: &dropped)
        }
        if let edns {
            edns.encode(to: &w)
            h.arcount += 1
        }
        h.tc = h.tc || truncated
        w.set16(h.flags, at: 2)
        w.set16(h.qdcount, at: 4)
        w.set16(h.ancount, at: 6)
        w.set16(h.nscount, at: 8)
        w.set16(h.arcount, at: 10)
    }

    /// Writes records RRset by RRset (a run of records with the same owner, type and class),
    /// rolling back the RRset that crosses `limit`. Returns the number of records written.
    static func encodeSection(_ rrs: [ResourceRecord], into w: inout WireWriter, limit: Int, truncated: inout Bool) -> UInt16 {
        var written = 0
        var i = 0
        while i < rrs.count {
            var j = i + 1
            while j < rrs.count && rrs[j].type == rrs[i].type && rrs[j].rclass == rrs[i].rclass && rrs[j].name == rrs[i].name {
                j += 1
            }
            let mark = w.mark()
            for k in i..<j { rrs[k].encode(to: &w) }
            if w.count > limit {
                w.rollback(to: mark)
                truncated = true
                break
            }
            written += j - i
            i = j
        }
        return UInt16(written)
    }
}

extension Message {
    /// A dig-like multi-line rendering, for logs, tests and `tack decode`.
    public var presentation: String {
        var s = ";; opcode: \(header.opcode), status: \(rcode), id: \(header.id)\n"
        var flags: [String] = []
        if header.qr { flags.append("qr") }
        if header.aa { flags.append("aa") }
        if header.tc { flags.append("tc") }
        if header.rd { flags.append("rd") }
        if header.ra { flags.append("ra") }
        if header.ad { flags.append("ad") }
        if header.cd { flags.append("cd") }
        s += ";; flags: \(flags.joined(separator: " ")); QUERY: \(questions.count), ANSWER: \(answers.count), AUTHORITY: \(authority.count), ADDITIONAL: \(additional.count + (edns == nil ? 0 : 1))\n"
        if let e = edns {
            s += ";; EDNS: version: \(e.version), flags:\(e.dnssecOK ? " do" : ""); udp: \(e.udpSize)\n"
            for o in e.options { s += ";; OPTION: \(o)\n" }
        }
        s += ";; QUESTION SECTION:\n"
        for q in questions { s += ";\(q.name)\t\t\(q.qclass)\t\(q.type)\n" }
        for (title, rrs) in [("ANSWER", answers), ("AUTHORITY", authority), ("ADDITIONAL", additional)] where !rrs.isEmpty {
            s += ";; \(title) SECTION:\n"
            for rr in rrs { s += "\(rr)\n" }
        }
        return s
    }
}
