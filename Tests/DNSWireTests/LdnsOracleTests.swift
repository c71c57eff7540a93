import CLdns
import Testing
@testable import DNSWire

#if canImport(Glibc)
import Glibc
#endif

/// libldns 1.8.3 as an independent codec: every generated message goes through both codecs in
/// both directions.
///
/// (a) Tack encodes, ldns decodes (`ldns_wire2pkt`) and prints (`ldns_rr2str`); the text must
///     equal `ResourceRecord.description`. The only normalisations are these presentation
///     differences, each of which is a valid spelling of the same data:
///     1. Whitespace: ldns ends a record with a newline; both use single tabs between the
///        owner, TTL, class, type and RDATA.
///     2. Names: Tack also escapes `"`, `@` and `$` with a backslash (as BIND and Knot do, so the
///        text is safe in a zone file where `@` and `$` are special); ldns only escapes `.`,
///        `;`, `(`, `)` and `\`. RFC 1035 5.1: `\X` is X for any non-digit X, so both denote
///        the same octet. Applied only to owner names and the fields that the generator table
///        marks as names.
///     3. Tab inside a character-string: ldns prints the raw octet, Tack prints `\009`. RFC 1035
///        5.1 allows either inside a quoted string.
///     4. RFC 3597 generic RDATA: ldns prints hex in lower case, Tack in upper case; RFC 3597 5
///        hex is case-insensitive.
///     5. Per-type differences, each a `ldnsNormalise` rule in the generator table with the RFC
///        or ldns source that makes both spellings equal: the DNSKEY/CDNSKEY key-id comment,
///        NSEC/NSEC3/NSEC3PARAM spacing, LOC zero padding and the hemisphere of 0 degrees,
///        SVCB/HTTPS quoting of SvcParam values, and an empty CAA value or URI target.
/// (b) ldns parses Tack's presentation text (`ldns_rr_new_frm_str`), assembles a packet with
///     the same header and EDNS (`ldns_pkt2wire`, which compresses names its own way), and Tack
///     decodes it back to a message equal to the original.
@Suite struct LdnsOracleTests {
    static let messageCount = 3000

    static func seed(_ i: Int) -> UInt64 { UInt64(i) &* 0x2545_F491_4F6C_DD1D &+ 0x1D }

    @Test func tackEncodesLdnsDecodesAndPrints() throws {
        var failures = 0
        var records = 0
        var typesSeen = Set<RRType>()
        for i in 0..<Self.messageCount where failures < 10 {
            var rng = SeededRNG(seed: Self.seed(i))
            let original = MessageGenerator.message(&rng)
            let wire = original.encode()
            // The compressor matches names case-insensitively (as BIND and dnspython do; RFC 3597
            // 7: "case distinctions in domain names are lost due to compression"), so a name written
            // after a differently-cased prior occurrence of its suffix takes that suffix's case
            // on the wire. The printed text is therefore compared with Tack's own decoding of
            // the same bytes, which must equal the original record for record.
            let m: Message
            do { m = try Message.decode(wire) } catch {
                Issue.record("message \(i): Tack cannot decode its own encoding: \(error)\n\(original.presentation)")
                failures += 1; continue
            }
            if m != original {
                Issue.record("message \(i): Tack's decoding differs from the original\n\(m.presentation)\n\(original.presentation)")
                failures += 1
            }
            var pkt: UnsafeMutablePointer<ldns_pkt>? = nil
            let status = wire.withUnsafeBufferPointer { ldns_wire2pkt(&pkt, $0.baseAddress, $0.count) }
            guard status == LDNS_STATUS_OK, let pkt else {
                Issue.record("message \(i): ldns_wire2pkt failed: \(String(cString: ldns_get_errorstr_by_id(status)))\n\(m.presentation)")
                failures += 1
                continue
            }
            defer { ldns_pkt_free(pkt) }
            let before = failures
            func check(_ ok: Bool, _ what: @autoclosure () -> String) {
                if !ok { Issue.record("message \(i) (seed \(Self.seed(i))): \(what())"); failures += 1 }
            }
            let h = m.header
            check(ldns_pkt_id(pkt) == h.id, "id")
            let flags: [Bool] = [ldns_pkt_qr(pkt), ldns_pkt_aa(pkt), ldns_pkt_tc(pkt), ldns_pkt_rd(pkt),
                                 ldns_pkt_ra(pkt), ldns_pkt_ad(pkt), ldns_pkt_cd(pkt)]
            check(flags == [h.qr, h.aa, h.tc, h.rd, h.ra, h.ad, h.cd], "header flags")
            check(ldns_pkt_get_opcode(pkt).rawValue == UInt32(h.opcode.rawValue), "opcode")
            check(ldns_pkt_get_rcode(pkt).rawValue == UInt32(h.rcodeLow), "rcode")

            let questions = Ldns.strings(ldns_pkt_question(pkt))
            check(questions == m.questions.map { "\($0.name)\t\($0.qclass)\t\($0.type)" }.map(Ldns.normaliseOwner),
                  "questions differ:\n ldns: \(questions)\n tack: \(m.questions)")
            for (section, ours) in [(ldns_pkt_answer(pkt), m.answers), (ldns_pkt_authority(pkt), m.authority),
                                    (ldns_pkt_additional(pkt), m.additional)] {
                let theirs = Ldns.strings(section)
                check(theirs.count == ours.count, "record count \(theirs.count) from ldns, \(ours.count) from Tack")
                for (t, o) in zip(theirs, ours) {
                    records += 1
                    typesSeen.insert(o.type)
                    let expected = Ldns.normalise(tack: o)
                    let got = Ldns.normalise(ldns: t, rdata: o.rdata)
                    check(got == expected, "record differs\n ldns: \(got)\n tack: \(expected)")
                }
            }

            if let e = m.edns {
                check(ldns_pkt_edns_udp_size(pkt) == e.udpSize, "EDNS UDP size")
                check(ldns_pkt_edns_extended_rcode(pkt) == e.extendedRCode, "EDNS extended rcode")
                check(ldns_pkt_edns_version(pkt) == e.version, "EDNS version")
                check(ldns_pkt_edns_do(pkt) == e.dnssecOK, "EDNS DO")
                check(ldns_pkt_edns_unassigned(pkt) == e.otherFlags, "EDNS other flags")
                let theirs = Ldns.options(ldns_pkt_edns_get_option_list(pkt))
                let ours = e.options.map { o -> Ldns.Option in
                    var w = WireWriter()
                    o.encodeData(to: &w)
                    return Ldns.Option(code: o.code.rawValue, data: w.bytes)
                }
                check(theirs == ours, "EDNS options differ:\n ldns: \(theirs)\n tack: \(ours)")
            } else {
                check(!ldns_pkt_edns(pkt), "ldns sees EDNS in a message without OPT")
            }
            if failures > before { Issue.record("message \(i) in full:\n\(m.presentation)") }

            // The same message truncated to a random size must still be a packet ldns accepts,
            // with the sections, counts and TC that Tack's own decoder sees.
            let maxSize = Header.size + rng.int(0...wire.count)
            let small = original.encode(maxSize: maxSize)
            var spkt: UnsafeMutablePointer<ldns_pkt>? = nil
            let sst = small.withUnsafeBufferPointer { ldns_wire2pkt(&spkt, $0.baseAddress, $0.count) }
            guard sst == LDNS_STATUS_OK, let spkt else {
                Issue.record("message \(i) truncated to \(maxSize): ldns_wire2pkt failed: \(String(cString: ldns_get_errorstr_by_id(sst)))")
                failures += 1; continue
            }
            defer { ldns_pkt_free(spkt) }
            if let d = try? Message.decode(small) {
                let counts = [ldns_pkt_ancount(spkt), ldns_pkt_nscount(spkt), ldns_pkt_arcount(spkt)]
                check(counts == [UInt16(d.answers.count), UInt16(d.authority.count), UInt16(d.additional.count)],
                      "truncated to \(maxSize): ldns counts \(counts)")
                check(ldns_pkt_tc(spkt) == d.header.tc, "truncated to \(maxSize): TC differs")
                check(Ldns.strings(ldns_pkt_answer(spkt)) == Ldns.strings(ldns_pkt_answer(pkt)).prefix(d.answers.count).map { $0 },
                      "truncated answer section is not a prefix")
            } else {
                check(false, "Tack cannot decode its own truncated encoding (max \(maxSize))")
            }
        }
        #expect(records > 10 * Self.messageCount / 2, "the generator made too few records to mean anything")
        let missing = MessageGenerator.rdataGenerators.compactMap(\.type).filter { !typesSeen.contains($0) }
        #expect(missing.isEmpty, "no record of these generated types reached ldns: \(missing)")
    }

    /// The per-type normalisers equate the documented ldns spelling (as ldns 1.8.3 printed it)
    /// with Tack's, and still tell different data apart.
    @Test(arguments: [
        ("DNSKEY", "257 3 8 AwEAAaet ;{id = 40432 (ksk), size = 512b}", "257 3 8 AwEAAaet", true),
        ("DNSKEY", "257 3 8 AwEAAaet ;{id = 40432 (ksk), size = 512b}", "257 3 8 AwEAAaeu", false),
        ("NSEC3", "1 1 12 aabbccdd  2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG ", "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG", true),
        ("NSEC", "next.example. A TYPE1234 ", "next.example. A TYPE1234", true),
        ("NSEC", "next.example. A ", "next.example. A TYPE1234", false),
        ("NSEC3PARAM", "1 0 0 - ", "1 0 0 -", true),
        ("LOC", "42 21 54.000 N 71 06 18.000 W -24m 30m 10000m 10m", "42 21 54.000 N 71 6 18.000 W -24m 30m 10000m 10m", true),
        ("LOC", "00 00 0.000 S 00 00 0.000 W 0m 1m 10000m 10m", "0 0 0.000 N 0 0 0.000 E 0m 1m 10000m 10m", true),
        ("LOC", "00 00 0.001 S 00 00 0.000 W 0m 1m 10000m 10m", "0 0 0.001 N 0 0 0.000 E 0m 1m 10000m 10m", false),
        ("LOC", "42 21 54.000 N 71 06 18.000 W -24m 30m 10000m 10m", "42 21 54.000 N 71 6 18.000 E -24m 30m 10000m 10m", false),
        ("SVCB", "1 . key65000=a;b", #"1 . key65000="a;b""#, true),
        ("SVCB", #"1 . key144="pr\009)r""#, #"1 . key144=pr\009)r"#, true),
        ("SVCB", #"1 . key65104="\012""#, #"1 . key65104=\012"#, true),
        ("SVCB", #"1 . alpn=2(\"8,x"#, #"1 . alpn=2(8,x"#, false),
        ("SVCB", #"1 a".example. alpn="h2 x""#, #"1 a\".example. alpn="h2 x""#, true),
        ("SVCB", "1 . key65000=a;b", #"1 . key65000="a;c""#, false),
        ("HTTPS", "1 . port=53", "1 . port=54", false),
        ("CAA", "0 issue", #"0 issue """#, true),
        ("CAA", "0 issue", #"0 issue "x""#, false),
        ("URI", "10 1", #"10 1 """#, true),
    ])
    func normaliserEquatesOnlyDocumentedSpellings(type: String, ldns: String, tack: String, equal: Bool) throws {
        let t = try #require(RRType(mnemonic: type))
        let entry = try #require(MessageGenerator.rdataGenerators.first { $0.type == t })
        let a = Ldns.normaliseRData(ldns[...], entry: entry), b = Ldns.normaliseRData(tack[...], entry: entry)
        #expect((a == b) == equal, "ldns '\(a)' tack '\(b)'")
    }

    @Test func ldnsBuildsFromTackTextTackDecodes() throws {
        var failures = 0
        for i in 0..<Self.messageCount where failures < 10 {
            var rng = SeededRNG(seed: Self.seed(i) ^ 0xA5A5)
            let m = MessageGenerator.message(&rng)
            let pkt = ldns_pkt_new()!
            defer { ldns_pkt_free(pkt) }
            let h = m.header
            ldns_pkt_set_id(pkt, h.id)
            ldns_pkt_set_qr(pkt, h.qr); ldns_pkt_set_aa(pkt, h.aa); ldns_pkt_set_tc(pkt, h.tc)
            ldns_pkt_set_rd(pkt, h.rd); ldns_pkt_set_ra(pkt, h.ra); ldns_pkt_set_ad(pkt, h.ad)
            ldns_pkt_set_cd(pkt, h.cd)
            ldns_pkt_set_opcode(pkt, ldns_pkt_opcode(rawValue: UInt32(h.opcode.rawValue)))
            ldns_pkt_set_rcode(pkt, h.rcodeLow)
            var ok = true
            for q in m.questions {
                let (st, p) = Ldns.record(owner: q.name, rest: "\(q.qclass) \(q.type)", question: true)
                guard st == LDNS_STATUS_OK, let p else {
                    Issue.record("message \(i): ldns cannot parse question '\(q)': \(String(cString: ldns_get_errorstr_by_id(st)))")
                    ok = false; continue
                }
                ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, p)
            }
            for (section, rrs) in [(LDNS_SECTION_ANSWER, m.answers), (LDNS_SECTION_AUTHORITY, m.authority),
                                   (LDNS_SECTION_ADDITIONAL, m.additional)] {
                for r in rrs {
                    let (st, p) = Ldns.record(owner: r.name, rest: "\(r.ttl)\t\(r.rclass)\t\(r.type)\t\(r.rdata.presentation)")
                    guard st == LDNS_STATUS_OK, let p else {
                        Issue.record("message \(i): ldns cannot parse '\(r)': \(String(cString: ldns_get_errorstr_by_id(st)))")
                        ok = false; continue
                    }
                    Ldns.restoreAtLabels(p, r)
                    ldns_pkt_push_rr(pkt, section, p)
                }
            }
            if let e = m.edns {
                ldns_pkt_set_edns_udp_size(pkt, e.udpSize)
                ldns_pkt_set_edns_extended_rcode(pkt, e.extendedRCode)
                ldns_pkt_set_edns_version(pkt, e.version)
                ldns_pkt_set_edns_do(pkt, e.dnssecOK)
                ldns_pkt_set_edns_unassigned(pkt, e.otherFlags)
                let list = ldns_edns_option_list_new()!
                for o in e.options {
                    var w = WireWriter()
                    o.encodeData(to: &w)
                    let opt = w.bytes.withUnsafeBytes {
                        ldns_edns_new_from_data(ldns_edns_option_code(rawValue: UInt32(o.code.rawValue)), $0.count, $0.baseAddress)
                    }
                    ldns_edns_option_list_push(list, opt)
                }
                ldns_pkt_set_edns_option_list(pkt, list)
            }
            guard ok else { failures += 1; continue }
            var buf: UnsafeMutablePointer<UInt8>? = nil
            var size = 0
            let st = ldns_pkt2wire(&buf, pkt, &size)
            guard st == LDNS_STATUS_OK, let buf else {
                Issue.record("message \(i): ldns_pkt2wire failed: \(String(cString: ldns_get_errorstr_by_id(st)))")
                failures += 1; continue
            }
            let wire = Array(UnsafeBufferPointer(start: buf, count: size))
            free(buf)
            do {
                let decoded = try Message.decode(wire)
                if decoded != m {
                    Issue.record("message \(i): decoded ldns packet differs\n ldns: \(decoded.presentation)\n tack: \(m.presentation)")
                    failures += 1
                }
            } catch {
                Issue.record("message \(i): cannot decode ldns's packet: \(error)\n\(m.presentation)")
                failures += 1
            }
        }
        #expect(failures == 0)
    }
}

/// Small helpers over the libldns C API.
enum Ldns {
    struct Option: Equatable, CustomStringConvertible {
        var code: UInt16
        var data: [UInt8]
        var description: String { "\(code):\(Hex.encode(data))" }
    }

    /// Parses `owner rest` with `ldns_rr_new_frm_str` (or the question variant). ldns reads the
    /// owner token into a 255-character buffer (rr.c, LDNS_MAX_DOMAINLEN), so an owner whose
    /// *text* is longer (a legal 255-octet name full of `\DDD` escapes can be ~1000 characters)
    /// is a parse error there. For those, the record is parsed with the root as owner and the
    /// owner text is parsed separately by `ldns_dname_new_frm_str` (which allows 4 x 255
    /// characters) and put in place; ldns still parses every character of Tack's text.
    static func record(owner: Name, rest: String, question: Bool = false) -> (ldns_status, UnsafeMutablePointer<ldns_rr>?) {
        let ownerText = owner.description
        let short = ownerText.utf8.count < Int(LDNS_MAX_DOMAINLEN)  // the limit includes the NUL
        let text = (short ? ownerText : ".") + "\t" + rest
        var p: UnsafeMutablePointer<ldns_rr>? = nil
        let st = question ? ldns_rr_new_question_frm_str(&p, text, nil, nil) : ldns_rr_new_frm_str(&p, text, 0, nil, nil)
        guard st == LDNS_STATUS_OK, let rr = p else { return (st, nil) }
        if !short {
            guard let dname = ldns_dname_new_frm_str(ownerText) else {
                ldns_rr_free(rr)
                return (LDNS_STATUS_DOMAINNAME_OVERFLOW, nil)
            }
            ldns_rdf_deep_free(ldns_rr_owner(rr))
            ldns_rr_set_owner(rr, dname)
        }
        return (LDNS_STATUS_OK, rr)
    }

    /// ldns quirk (rr.c, "check if the origin should be used"): after parsing an RDATA name it
    /// replaces any name whose first label is the single octet `@` by the origin (or the
    /// root), even when the text spelled it `\@`, which RFC 1035 5.1 defines as a literal
    /// `@`. For such fields, the name is parsed again by `ldns_dname_new_frm_str`, which has
    /// no such rule, and put back. Assumes RDATA field i is ldns rdf i, true for every type
    /// with names in the generator table so far.
    static func restoreAtLabels(_ rr: UnsafeMutablePointer<ldns_rr>, _ r: ResourceRecord) {
        let entry = RDataGenerator.entry(for: r.rdata)
        let fields = MessageGenerator.fields(r.rdata.presentation, quoted: entry.quotedStrings)
        for f in entry.nameFields where f < fields.count {
            let text = String(fields[f])
            guard let n = try? Name(parsing: text), n.wire.count > 2, n.wire[0] == 1, n.wire[1] == 0x40,
                  let dname = ldns_dname_new_frm_str(text) else { continue }
            if let old = ldns_rr_set_rdf(rr, dname, f) { ldns_rdf_deep_free(old) }
        }
    }

    /// `ldns_rr2str` of every record in a list.
    static func strings(_ list: UnsafeMutablePointer<ldns_rr_list>?) -> [String] {
        guard let list else { return [] }
        return (0..<ldns_rr_list_rr_count(list)).map { i in
            guard let c = ldns_rr2str(ldns_rr_list_rr(list, i)) else { return "<ldns_rr2str failed>" }
            defer { free(c) }
            var s = String(cString: c)
            while s.hasSuffix("\n") { s.removeLast() }
            return normaliseOwner(s)
        }
    }

    static func options(_ list: UnsafeMutablePointer<ldns_edns_option_list>?) -> [Option] {
        guard let list else { return [] }
        return (0..<ldns_edns_option_list_get_count(list)).map { i in
            let o = ldns_edns_option_list_get_option(list, i)
            let n = ldns_edns_get_size(o)
            let d = ldns_edns_get_data(o)
            return Option(code: UInt16(ldns_edns_get_code(o).rawValue),
                          data: n == 0 || d == nil ? [] : Array(UnsafeBufferPointer(start: d, count: n)))
        }
    }

    /// Difference 2: `\"`, `\@`, `\$` become the bare octet; other escapes are kept as they are.
    static func normaliseName(_ s: Substring) -> String {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 0x5C, i + 1 < b.count {
                let c = b[i + 1]
                if c == 0x22 || c == 0x40 || c == 0x24 { out.append(c) } else { out += [0x5C, c] }
                i += 2
            } else {
                out.append(b[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Normalises the owner (text up to the first tab).
    static func normaliseOwner(_ line: String) -> String {
        guard let tab = line.firstIndex(of: "\t") else { return normaliseName(line[...]) }
        return normaliseName(line[..<tab]) + line[tab...]
    }

    /// Applies the type's own normaliser (difference 5), then normalises the name fields of
    /// RDATA text as the generator table marks them.
    static func normaliseRData(_ rdata: Substring, entry: RDataGenerator) -> String {
        if entry.hexRData { return rdata.lowercased() }  // difference 4
        let text = entry.ldnsNormalise.map { $0(String(rdata)) } ?? String(rdata)
        if entry.nameFields.isEmpty { return text }
        var fields = MessageGenerator.fields(text, quoted: entry.quotedStrings)
        for f in entry.nameFields where f < fields.count { fields[f] = normaliseName(fields[f][...]) }
        return fields.joined(separator: " ")
    }

    static func normalise(tack r: ResourceRecord) -> String {
        let entry = RDataGenerator.entry(for: r.rdata)
        return normaliseName(r.name.description[...]) + "\t\(r.ttl)\t\(r.rclass)\t\(r.type)\t"
            + normaliseRData(r.rdata.presentation[...], entry: entry)
    }

    /// `line` is already owner-normalised by `strings`.
    static func normalise(ldns line: String, rdata: RData) -> String {
        let parts = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5 else { return line }
        // Difference 3: a raw tab can only be inside a character-string here.
        let rd = parts[4].replacingOccurrences(of: "\t", with: "\\009")
        return parts[0..<4].joined(separator: "\t") + "\t" + normaliseRData(rd[...], entry: RDataGenerator.entry(for: rdata))
    }
}

extension StringProtocol {
    /// Replaces every occurrence of `target` (Foundation-free).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
