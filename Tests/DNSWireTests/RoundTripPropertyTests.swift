import PropertyBased
import Testing
@testable import DNSWire

/// Generators for PropertyBased. Names are built from the library's own shrinking generators;
/// whole messages come from `MessageGenerator` seeded by the library, with a shrinker that
/// drops records so a failure is reported on a small message.
enum PropertyGen {
    /// Any label octets, 1...63 of them; shrinks towards short labels of small octets.
    static let label = Gen.uint8(in: 0...255).array(of: 1...63)

    /// Names of 0...6 labels, cut to fit 255 octets.
    static let name = label.array(of: 0...6).map { labels -> Name in
        var kept: [[UInt8]] = []
        var size = 1
        for l in labels where size + l.count + 1 <= NameLimits.maxWire {
            kept.append(l)
            size += l.count + 1
        }
        return try! Name(labels: kept)
    }

    static let message = Generator<Message, [Message]>(
        run: { rng in
            var r = SeededRNG(seed: rng.next())
            return MessageGenerator.message(&r)
        },
        shrink: { shrinkCandidates($0) }
    )

    /// Smaller messages: without EDNS, without questions, or with a section halved or its
    /// last record removed.
    static func shrinkCandidates(_ m: Message) -> [Message] {
        var out: [Message] = []
        func add(_ f: (inout Message) -> Void) {
            var c = m
            f(&c)
            c.header.qdcount = UInt16(c.questions.count)
            c.header.ancount = UInt16(c.answers.count)
            c.header.nscount = UInt16(c.authority.count)
            c.header.arcount = UInt16(c.additional.count + (c.edns == nil ? 0 : 1))
            out.append(c)
        }
        if m.edns != nil { add { $0.edns = nil } }
        if !m.questions.isEmpty { add { $0.questions = [] } }
        for path in [\Message.answers, \Message.authority, \Message.additional] where !m[keyPath: path].isEmpty {
            let n = m[keyPath: path].count
            if n > 1 { add { $0[keyPath: path] = Array($0[keyPath: path].prefix(n / 2)) } }
            add { $0[keyPath: path].removeLast() }
        }
        return out
    }
}

@Suite struct RoundTripPropertyTests {
    @Test func nameTextAndWireRoundTrip() async {
        await propertyCheck(count: 500, input: PropertyGen.name) { n in
            // text -> name keeps every octet, case included
            let parsed = try Name(parsing: n.description)
            #expect(parsed.wire == n.wire)
            // wire -> name, through the checked initialiser and through the reader
            #expect(try Name(wire: n.wire).wire == n.wire)
            var w = WireWriter()
            w.bytes([UInt8](repeating: 0, count: Header.size))
            w.name(n)
            w.name(n)  // second copy is a pointer to the first
            var r = WireReader(w.bytes, offset: Header.size)
            #expect(try r.name().wire == n.wire)
            #expect(try r.name().wire == n.wire)
            #expect(r.isAtEnd)
        }
    }

    @Test func messageEncodeDecodeIsIdentity() async {
        await propertyCheck(count: 400, input: PropertyGen.message) { m in
            let wire = m.encode()
            let decoded = try Message.decode(wire)
            #expect(decoded == m)
            // Byte-exact: decoding loses nothing the encoder wrote (case included).
            #expect(decoded.encode() == wire)
        }
    }

    @Test func rdataPresentationRoundTrip() async {
        await propertyCheck(count: 400, input: PropertyGen.message) { m in
            for rr in MessageGenerator.records(m) {
                let text = rr.rdata.presentation
                let parsed = try RData.parse(type: rr.type, text: text)
                #expect(parsed == rr.rdata, "\(rr.type) '\(text)'")
                #expect(parsed.wire() == rr.rdata.wire(), "case or octets lost in '\(text)'")
                // The RFC 3597 generic form is accepted for every type and means the same.
                let generic = RData.genericPresentation(rr.rdata.wire())
                #expect(try RData.parse(type: rr.type, text: generic) == rr.rdata, "\(rr.type) '\(generic)'")
            }
        }
    }

    /// Truncation (RFC 2181 9, RFC 1035 7.1): never over `maxSize` when the header, question
    /// and OPT fit; whole RRsets dropped from the end; TC set exactly when an answer or
    /// authority RRset was dropped; the additional section dropped silently; and greedy: the
    /// next RRset would not have fitted.
    @Test func truncationDropsWholeRRsetsAndSetsTC() async {
        let input = zip(PropertyGen.message, Gen.int(in: 0...1000))
        await propertyCheck(count: 500, input: input) { original, slack in
            var m = original
            m.header.tc = false
            let full = m.encode()
            var skeleton = m
            skeleton.answers = []; skeleton.authority = []; skeleton.additional = []
            let minimum = skeleton.encode().count
            // Sizes from below the minimum up to beyond the full message.
            let maxSize = max(Header.size, minimum - 20 + slack * (full.count + 40 - minimum + 20) / 1000)
            let wire = m.encode(maxSize: maxSize)
            if minimum <= maxSize { #expect(wire.count <= maxSize) } else { #expect(wire.count == minimum) }
            if full.count <= maxSize { #expect(wire == full) }

            let d = try Message.decode(wire)
            #expect(d.questions == m.questions)
            #expect(d.edns == m.edns)
            let sections = [(d.answers, m.answers), (d.authority, m.authority), (d.additional, m.additional)]
            for (got, all) in sections {
                #expect(Array(all.prefix(got.count)) == got, "not a prefix")
                #expect(Self.isRRsetBoundary(all, got.count), "cut inside an RRset at \(got.count)")
            }
            let droppedAnswerOrAuthority = d.answers.count < m.answers.count || d.authority.count < m.authority.count
            #expect(d.header.tc == droppedAnswerOrAuthority)
            if d.answers.count < m.answers.count { #expect(d.authority.isEmpty && d.additional.isEmpty) }
            if d.authority.count < m.authority.count { #expect(d.additional.isEmpty) }

            // Greedy: adding the first RRset that was dropped would have crossed maxSize.
            var grown = d
            grown.header.tc = false
            if d.answers.count < m.answers.count {
                grown.answers += Self.rrset(m.answers, at: d.answers.count)
            } else if d.authority.count < m.authority.count {
                grown.authority += Self.rrset(m.authority, at: d.authority.count)
            } else if d.additional.count < m.additional.count {
                grown.additional += Self.rrset(m.additional, at: d.additional.count)
            } else {
                return
            }
            #expect(grown.encode().count > maxSize, "an RRset was dropped although it fitted")
        }
    }

    static func sameRRset(_ a: ResourceRecord, _ b: ResourceRecord) -> Bool {
        a.name == b.name && a.type == b.type && a.rclass == b.rclass
    }

    static func isRRsetBoundary(_ rrs: [ResourceRecord], _ i: Int) -> Bool {
        i == 0 || i == rrs.count || !sameRRset(rrs[i - 1], rrs[i])
    }

    static func rrset(_ rrs: [ResourceRecord], at i: Int) -> [ResourceRecord] {
        var j = i + 1
        while j < rrs.count && sameRRset(rrs[i], rrs[j]) { j += 1 }
        return Array(rrs[i..<j])
    }
}
