// Writes the generated seed corpus under Fuzz/corpus/<target>/. Run through
// `scripts/fuzz.sh --seeds` (which builds this file against uninstrumented DNSWire, Zone and
// Answer, together with Fuzz/support/FuzzZones.swift). Deterministic: the same sources give
// the same files, so a regenerated corpus shows up in `git diff` only when something changed.
//
// Sources of the seeds:
// - queries for every owner name of FuzzZones (and some names below them or outside them)
//   for common types, with and without EDNS options, encoded by DNSWire;
// - responses: QueryEngine's answers to those queries, encoded by DNSWire (the same bytes a
//   Tack responder would send, minus its EDNS policy), some truncated at 512 octets;
// - the RDATA golden fixtures (type, text, wire from dnspython) and KO cases of
//   Tests/DNSWireTests/RDataGoldenTests.swift, read from that file;
// - hand-written malformed messages (below), each named after what is wrong with it.
import DNSWire
import Zone
import Answer

#if canImport(Glibc)
import Glibc
#endif

@main
struct MakeSeeds {
    static var root = "."
    static var written = [String: Int]()

    static func write(_ target: String, _ name: String, _ bytes: [UInt8]) {
        let dir = "\(root)/Fuzz/corpus/\(target)"
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" ? $0 : "_" })
        let path = "\(dir)/\(safe)"
        guard let f = fopen(path, "wb") else { fatalError("cannot write \(path)") }
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        written[target, default: 0] += 1
    }

    static func hex(_ s: String) -> [UInt8] {
        let digits = s.filter { !$0.isWhitespace }
        guard let b = Hex.decode(digits) else { fatalError("bad hex in seed table: \(s)") }
        return b
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func main() {
        if CommandLine.arguments.count > 1 { root = CommandLine.arguments[1] }
        messagesAndQueries()
        malformed()
        rdata()
        for (t, n) in written.sorted(by: { $0.key < $1.key }) { print("\(t): \(n) seeds") }
    }

    // MARK: queries and responses

    static func query(_ name: Name, _ type: RRType, id: UInt16, edns: EDNS?) -> Message {
        var h = Header(id: id)
        h.rd = id % 3 == 0
        return Message(header: h, questions: [Question(name, type)], edns: edns)
    }

    static func messagesAndQueries() {
        let zones = FuzzZones.zoneSet
        let engine = QueryEngine(zones: zones)
        var names: [Name] = []
        for z in zones.zones { for n in z.nodes { names.append(n.name) } }
        let extra = ["nothere.example.", "x.y.wild.example.", "deep.x.ent.wild.example.", "q.d.example.",
                     "a.long.example.", "host.sub.example.", "www.other.test.", ".", "test.", "WwW.ExAmPlE.",
                     "x.txt.big.test.", "zzz.big.test."]
        for e in extra { names.append(try! Name(parsing: e)) }
        let types: [RRType] = [.a, .aaaa, .ns, .soa, .mx, .txt, .cname, .ds, .srv, .any, .dname, .rrsig, .nsec]
        let ednsPlain = EDNS(udpSize: 1232)
        let ednsDO = EDNS(udpSize: 4096, dnssecOK: true)
        let cookieQuery = try! Message.decode(hex(
            "1234 0100 0001 0000 0000 0001 03777777 076578616d706c65 00 0001 0001"
            + " 00 0029 04d0 00 00 8000 001b 000a 0008 0102030405060708 0003 0000 0008 0007 00011800 c00002"))
        var id: UInt16 = 1
        for (ni, name) in names.enumerated() {
            for (ti, type) in types.enumerated() {
                // Not every combination: enough to reach each node with several types.
                guard (ni + ti) % 3 == 0 || type == .a || type == .any else { continue }
                let edns: EDNS? = ti % 3 == 0 ? nil : (ti % 3 == 1 ? ednsPlain : ednsDO)
                let q = query(name, type, id: id, edns: edns)
                id &+= 1
                let qwire = q.encode()
                let label = "\(name)-\(type)\(edns == nil ? "" : "-edns")"
                let size = [512, 1232, 65535, 100, 300][ni % 5]
                write("query_answer", "q-\(label)-\(size)", be16(size) + qwire)
                if ni % 4 == 0 { write("message_decode", "q-\(label)", qwire) }

                let r = engine.answer(q.questions[0])
                var resp = Message(header: q.header, questions: q.questions, answers: r.answer,
                                   authority: r.authority, additional: r.additional,
                                   edns: edns == nil ? nil : EDNS(udpSize: 1232))
                resp.header.qr = true
                resp.header.aa = r.authoritative
                resp.rcode = r.rcode
                if ni % 2 == 0 || !r.answer.isEmpty {
                    write("message_decode", "r-\(label)", resp.encode())
                }
                if resp.encode().count > 512 {
                    write("message_decode", "r-\(label)-tc512", resp.encode(maxSize: 512))
                }
            }
        }
        write("message_decode", "q-cookie-nsid-ecs", cookieQuery.encode())
        write("query_answer", "q-cookie-nsid-ecs-1232", be16(1232) + cookieQuery.encode())
        // A response holding one record of every typed RDATA, names compressed where allowed.
        var all = Message(header: Header(id: 7, flags: 0x8400), questions: [Question(try! Name(parsing: "example."), .any)])
        for (type, text, _) in goldenRows() {
            guard let rd = try? RData.parse(type: type, text: text) else { continue }
            all.answers.append(ResourceRecord(try! Name(parsing: "Example."), ttl: 3600, rd))
        }
        all.edns = EDNS(udpSize: 1232, dnssecOK: true)
        write("message_decode", "r-every-type", all.encode())
    }

    // MARK: malformed messages

    static func malformed() {
        let q = "abcd 0100 0001 0000 0000 0000"
        let www = "03777777 076578616d706c65 00"
        let table: [(String, String)] = [
            ("empty", ""),
            ("short-header", "abcd 0100 0001 0000 00"),
            ("header-only-counts-past-end", "abcd 0100 0001 0001 0001 0001"),
            ("question-truncated-type", q + www + "00"),
            ("trailing-bytes", q + www + "0001 0001 ff"),
            ("label-64", q + "40" + String(repeating: "61", count: 64) + "00 0001 0001"),
            ("name-256", q + String(repeating: "3f" + String(repeating: "61", count: 63), count: 4) + "00 0001 0001"),
            ("pointer-to-self", q + "c00c 0001 0001"),
            ("pointer-forward", q + "c010 0001 0001 00"),
            ("pointer-loop", "abcd 8100 0001 0001 0000 0000" + "01 61 c00c 0001 0001" + "c00e 0001 0001 00000e10 0004 c0000201"),
            ("pointer-into-header", q + "c002 0001 0001"),
            ("label-type-01", q + "41 61 00 0001 0001"),
            ("label-type-10", q + "81 61 00 0001 0001"),
            ("rdlength-overrun", "abcd 8100 0001 0001 0000 0000" + www + "0001 0001" + "c00c 0001 0001 00000e10 0010 c0000201"),
            ("a-rdata-5", "abcd 8100 0001 0001 0000 0000" + www + "0001 0001" + "c00c 0001 0001 00000e10 0005 c000020101"),
            ("opt-in-answer", "abcd 8100 0001 0001 0000 0000" + www + "0001 0001" + "00 0029 1000 00000000 0000"),
            ("opt-twice", q.replacing("0000 0000 0000", with: "0000 0000 0002") + www + "0001 0001" + "00 0029 1000 00000000 0000" + "00 0029 1000 00000000 0000"),
            ("opt-not-root", "abcd 0100 0001 0000 0000 0001" + www + "0001 0001" + "c00c 0029 1000 00000000 0000"),
            ("opt-option-overrun", "abcd 0100 0001 0000 0000 0001" + www + "0001 0001" + "00 0029 1000 00000000 0006 000a 0010 0102"),
            ("edns-version-1", "abcd 0100 0001 0000 0000 0001" + www + "0001 0001" + "00 0029 1000 00010000 0000"),
            ("soa-short", "abcd 8400 0001 0001 0000 0000" + www + "0006 0001" + "c00c 0006 0001 00000e10 0004 00 00 0000"),
            ("qdcount-2", "abcd 0100 0002 0000 0000 0000" + www + "0001 0001" + "c00c 001c 0001"),
            ("opcode-notify", "abcd 2000 0001 0000 0000 0000" + www + "0006 0001"),
            ("class-chaos", "abcd 0100 0001 0000 0000 0000" + "07 76657273696f6e 04 62696e64 00 0010 0003"),
            ("qr-set-query", "abcd 8100 0001 0000 0000 0000" + www + "0001 0001"),
            ("type-0", q + www + "0000 0001"),
            ("type-axfr", q + www + "00fc 0001"),
            ("uppercase", q + "03 575757 07 4558414d504c45 00 0001 0001"),
            ("root-question", q + "00 0002 0001"),
        ]
        for (name, h) in table {
            let b = hex(h)
            write("message_decode", "bad-\(name)", b)
            write("query_answer", "bad-\(name)-512", be16(512) + b)
        }
    }

    // MARK: RDATA

    /// (type, text, wire hex) rows of the golden fixture table.
    static func goldenRows() -> [(RRType, String, String)] {
        fixtureRows().compactMap { $0.hex == nil ? nil : ($0.type, $0.text, $0.hex!) }
    }

    /// A golden row (text and hex), a KO text row (text only) or a KO wire row (hex in `text`,
    /// `badWire` set).
    struct FixtureRow { var type: RRType; var text: String; var hex: String?; var badWire = false }

    /// Reads `("TYPE", #"text"#, "hex")`, `("TYPE", "text")` and `("TYPE", "hex", .expected)` rows
    /// from the golden test file.
    static func fixtureRows() -> [FixtureRow] {
        let path = "\(root)/Tests/DNSWireTests/RDataGoldenTests.swift"
        guard let f = fopen(path, "r") else { fatalError("cannot read \(path)") }
        defer { fclose(f) }
        var rows: [FixtureRow] = []
        var line: UnsafeMutablePointer<CChar>? = nil
        var cap = 0
        let row = #/^\s*\("([A-Z0-9]+)",\s*(?:#"(.*)"#|"((?:[^"\\]|\\.)*)")(?:,\s*"([0-9a-f]*)")?(,\s*\.)?/#
        while getline(&line, &cap, f) > 0 {
            let s = String(cString: line!)
            guard let m = s.firstMatch(of: row), let type = RRType(mnemonic: m.1) else { continue }
            let text: String
            if let raw = m.2 { text = String(raw) }
            else if let esc = m.3 { text = String(esc).replacing("\\\"", with: "\"").replacing("\\\\", with: "\\") }
            else { continue }
            rows.append(FixtureRow(type: type, text: text, hex: m.4.map(String.init), badWire: m.5 != nil))
        }
        free(line)
        return rows
    }

    static func rdata() {
        var n = 0
        for row in fixtureRows() {
            n += 1
            let t = be16(Int(row.type.rawValue))
            let tag = "\(row.type)-\(n)"
            if row.badWire {
                write("rdata_wire", "bad-\(tag)", t + hex(row.text))
                continue
            }
            write("rdata_text", "\(row.hex == nil ? "bad-" : "")\(tag)", t + Array(row.text.utf8))
            if let h = row.hex, !h.isEmpty {
                write("rdata_wire", tag, t + hex(h))
                write("rdata_text", "generic-\(tag)", t + Array("\\# \(h.count / 2) \(h)".utf8))
            }
        }
        let more: [(String, String)] = [
            ("A", "192.0.2.1"), ("AAAA", "::ffff:192.0.2.1"), ("AAAA", "::"), ("TXT", "a b \"c d\" \\065\\\\"),
            ("TXT", "\"\""), ("MX", "0 ."), ("NS", "relative"), ("NS", "@"), ("CNAME", "a\\.b.example."),
            ("SOA", "@ hostmaster 1 1h 30m 2w 5m"), ("SVCB", "1 . alpn=h2,h3 port=443 ipv4hint=192.0.2.1"),
            ("HTTPS", "0 svc.example."), ("LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"),
            ("CAA", "0 issue \"ca.example; account=1\""), ("NSEC", "next.example. A NS SOA RRSIG NSEC TYPE65534"),
            ("TYPE65534", "\\# 3 010203"), ("TYPE0", "\\# 0"), ("A", "\\# 4 c0000201"), ("A", "( 192.0.2.1 )"),
            ("TXT", "\"line\n break\""), ("TXT", "; comment only"),
        ]
        for (i, (type, text)) in more.enumerated() {
            guard let t = RRType(mnemonic: type) else { fatalError("seed type \(type)") }
            write("rdata_text", "extra-\(type)-\(i)", be16(Int(t.rawValue)) + Array(text.utf8))
        }
    }
}
