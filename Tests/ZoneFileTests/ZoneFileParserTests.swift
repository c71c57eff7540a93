import Testing
import DNSWire
@testable import ZoneFile

/// The records of a result as `owner ttl class type rdata`, single-spaced.
func presentation(_ r: ZoneParseResult) -> [String] {
    r.records.map { $0.record.description.split(separator: "\t", omittingEmptySubsequences: false).joined(separator: " ") }
}

/// Errors as `line:column code`.
func errorSummary(_ r: ZoneParseResult) -> [String] {
    r.errors.map { "\($0.line):\($0.column) \($0.code.rawValue)" }
}

let exampleOrigin = try! Name(parsing: "example.test.")

/// A zone text that must parse, and the records it must give, in order.
struct OKCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var origin: String? = "example.test."
    var records: [String]
    var testDescription: String { name }
}

/// A zone text that must fail, with every error expected: line, column, code and a fragment of
/// the message.
struct KOCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var origin: String? = "example.test."
    var errors: [(line: Int, column: Int, code: ZoneFileError.Code, fragment: String)]
    var testDescription: String { name }
}

/// Fixture pairs in the style of Knot's zscanner tests: OK blocks with expected records,
/// KO blocks with expected error positions.
@Suite struct ZoneFileParserTests {
    static let ok: [OKCase] = [
        OKCase(name: "SOA, NS at the apex via a blank owner, A", text: """
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
              IN NS ns1
            ns1 IN A 192.0.2.1
            """, records: [
                "example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 300",
                "example.test. 3600 IN NS ns1.example.test.",
                "ns1.example.test. 3600 IN A 192.0.2.1",
            ]),
        OKCase(name: "TTL and class in either order, both optional", text: """
            $TTL 3600
            a 60 IN A 192.0.2.1
            b IN 60 A 192.0.2.2
            c IN A 192.0.2.3
            d 60 A 192.0.2.4
            e A 192.0.2.5
            """, records: [
                "a.example.test. 60 IN A 192.0.2.1", "b.example.test. 60 IN A 192.0.2.2",
                "c.example.test. 3600 IN A 192.0.2.3", "d.example.test. 60 IN A 192.0.2.4",
                "e.example.test. 3600 IN A 192.0.2.5",
            ]),
        OKCase(name: "TTL units", text: """
            $TTL 1d
            a 1h30m A 192.0.2.1
            b 1W A 192.0.2.2
            c 2d3h4m5s A 192.0.2.3
            d A 192.0.2.4
            """, records: [
                "a.example.test. 5400 IN A 192.0.2.1", "b.example.test. 604800 IN A 192.0.2.2",
                "c.example.test. 183845 IN A 192.0.2.3", "d.example.test. 86400 IN A 192.0.2.4",
            ]),
        OKCase(name: "without $TTL a record takes the last explicit TTL (RFC 1035 5.1)", text: """
            @ 300 IN SOA ns hm 1 2 3 4 5
            ns IN A 192.0.2.1
            x 60 IN A 192.0.2.2
            y IN A 192.0.2.3
            """, records: [
                "example.test. 300 IN SOA ns.example.test. hm.example.test. 1 2 3 4 5",
                "ns.example.test. 300 IN A 192.0.2.1", "x.example.test. 60 IN A 192.0.2.2",
                "y.example.test. 60 IN A 192.0.2.3",
            ]),
        OKCase(name: "$TTL wins over the last explicit TTL (RFC 2308 4)", text: """
            $TTL 100
            a 60 A 192.0.2.1
            b A 192.0.2.2
            """, records: ["a.example.test. 60 IN A 192.0.2.1", "b.example.test. 100 IN A 192.0.2.2"]),
        OKCase(name: "blank owner repeats the previous owner; @ is the origin", text: """
            $TTL 1
            @ A 192.0.2.1
              AAAA 2001:db8::1
            www A 192.0.2.2
            \tTXT "x"
            """, records: [
                "example.test. 1 IN A 192.0.2.1", "example.test. 1 IN AAAA 2001:db8::1",
                "www.example.test. 1 IN A 192.0.2.2", "www.example.test. 1 IN TXT \"x\"",
            ]),
        OKCase(name: "relative and absolute names; relative $ORIGIN", text: """
            $TTL 1
            $ORIGIN sub.example.test.
            a A 192.0.2.1
            b.other.test. A 192.0.2.2
            $origin deeper ; relative to sub.example.test., directive case-insensitive
            c CNAME a.sub.example.test.
            d CNAME e
            """, records: [
                "a.sub.example.test. 1 IN A 192.0.2.1", "b.other.test. 1 IN A 192.0.2.2",
                "c.deeper.sub.example.test. 1 IN CNAME a.sub.example.test.",
                "d.deeper.sub.example.test. 1 IN CNAME e.deeper.sub.example.test.",
            ]),
        OKCase(name: "mnemonics in any case, TYPEnnn, CLASSnnn, RFC 3597 generic RDATA", text: """
            $TTL 1
            a in a 192.0.2.1
            b CLASS1 TYPE1 192.0.2.2
            c TYPE65280 \\# 2 abcd
            d TYPE1 \\# 4 C0000203
            e MX \\# 6 000a026d7800
            f TYPE65281 \\# 0
            g TYPE65282 \\# ( 3
                           01 02
                           03 )
            """, records: [
                "a.example.test. 1 IN A 192.0.2.1", "b.example.test. 1 IN A 192.0.2.2",
                "c.example.test. 1 IN TYPE65280 \\# 2 ABCD", "d.example.test. 1 IN A 192.0.2.3",
                "e.example.test. 1 IN MX 10 mx.", "f.example.test. 1 IN TYPE65281 \\# 0",
                "g.example.test. 1 IN TYPE65282 \\# 3 010203",
            ]),
        OKCase(name: "quoted strings keep spaces and ';', escapes reach the RDATA parser", text: """
            $TTL 1
            t TXT "a b ; c" "say \\"hi\\"" plain\\032word "\\065\\066" ""
            a\\.b A 192.0.2.1
            sp\\ ace A 192.0.2.2
            \\$dollar A 192.0.2.3
            *.w A 192.0.2.9
            """, records: [
                "t.example.test. 1 IN TXT \"a b ; c\" \"say \\\"hi\\\"\" \"plain word\" \"AB\" \"\"",
                "a\\.b.example.test. 1 IN A 192.0.2.1", "sp\\032ace.example.test. 1 IN A 192.0.2.2",
                "\\$dollar.example.test. 1 IN A 192.0.2.3", "*.w.example.test. 1 IN A 192.0.2.9",
            ]),
        OKCase(name: "parentheses across lines with comments", text: """
            $TTL 1
            @ SOA ns hm ( 1 ; serial
              2 3 ; refresh retry
              4 5 ) ; expire minimum
              NS ns
            """, records: [
                "example.test. 1 IN SOA ns.example.test. hm.example.test. 1 2 3 4 5",
                "example.test. 1 IN NS ns.example.test.",
            ]),
        OKCase(name: "CRLF line ends", text: "$TTL 1\r\na A 192.0.2.1\r\n  TXT \"x\"\r\nb (\r\n A 192.0.2.2 )\r\n",
               records: ["a.example.test. 1 IN A 192.0.2.1", "a.example.test. 1 IN TXT \"x\"",
                         "b.example.test. 1 IN A 192.0.2.2"]),
        OKCase(name: "CH identity zone: records without a class take the zone's class", text: """
            $TTL 0
            version.bind. CH TXT "tack"
            hostname.bind. TXT "h1"
            """, origin: nil, records: [
                "version.bind. 0 CH TXT \"tack\"", "hostname.bind. 0 CH TXT \"h1\"",
            ]),
        OKCase(name: "SPF, PTR, DNAME, MX with the root as exchange", text: """
            $TTL 1
            @ SPF "v=spf1 -all"
            p PTR host
            d DNAME target.test.
            n MX 0 .
            """, records: [
                "example.test. 1 IN SPF \"v=spf1 -all\"", "p.example.test. 1 IN PTR host.example.test.",
                "d.example.test. 1 IN DNAME target.test.", "n.example.test. 1 IN MX 0 .",
            ]),
    ]

    @Test(arguments: ok)
    func accepts(_ c: OKCase) throws {
        let origin = try c.origin.map { try Name(parsing: $0) }
        let r = ZoneFileParser.parse(text: c.text, origin: origin, fileName: "ok.zone")
        #expect(r.errors.map(\.description) == [])
        #expect(presentation(r) == c.records)
    }

    static let ko: [KOCase] = [
        KOCase(name: "unknown type", text: "$TTL 1\nwww IN AAA 192.0.2.1",
               errors: [(2, 8, .unknownType, "unknown record type 'AAA'")]),
        KOCase(name: "bad TTL", text: "$TTL 1\nwww 1h30 IN A 192.0.2.1",
               errors: [(2, 5, .badTTL, "bad TTL '1h30'")]),
        KOCase(name: "bad $TTL, then a record with no TTL", text: "$TTL forever\nwww A 192.0.2.1",
               errors: [(1, 6, .badTTL, "bad TTL 'forever'"), (2, 5, .missingTTL, "no TTL")]),
        KOCase(name: "TTL over 32 bits", text: "www 4294967296 A 192.0.2.1",
               errors: [(1, 5, .badTTL, "4294967296")]),
        KOCase(name: "missing RDATA", text: "$TTL 1\nwww IN A",
               errors: [(2, 9, .missingRData, "missing RDATA for the A record")]),
        KOCase(name: "incomplete RDATA", text: "$TTL 1\n@ SOA ns hm 1 2 3",
               errors: [(2, 18, .missingRData, "missing expire")]),
        KOCase(name: "bad RDATA field", text: "$TTL 1\nwww A 192.0.2.256",
               errors: [(2, 7, .badRData, "is not an IPv4 address")]),
        KOCase(name: "extra RDATA field", text: "$TTL 1\nwww A 192.0.2.1 192.0.2.2",
               errors: [(2, 17, .badRData, "unexpected extra field '192.0.2.2'")]),
        KOCase(name: "generic length mismatch", text: "$TTL 1\na TYPE65280 \\# 3 abcd",
               errors: [(2, 18, .badRData, "says 3 octets but 2")]),
        KOCase(name: "type without typed presentation needs \\#", text: "$TTL 1\ns NID 10 0014:4fff:ff20:ee64",
               errors: [(2, 7, .badRData, "generic form")]),
        KOCase(name: "unbalanced ')'", text: "$TTL 1\nwww A 192.0.2.1 )\nok A 192.0.2.2",
               errors: [(2, 17, .unbalancedParentheses, "without a matching '('")]),
        KOCase(name: "unclosed '('", text: "$TTL 1\nwww A ( 192.0.2.1\nx A 192.0.2.2",
               errors: [(2, 7, .unbalancedParentheses, "never closed")]),
        KOCase(name: "unterminated quote", text: "$TTL 1\nt TXT \"abc\nok A 192.0.2.1",
               errors: [(2, 7, .unterminatedQuote, "not closed")]),
        KOCase(name: "class mismatch", text: "$TTL 1\na IN A 192.0.2.1\nb CH A 192.0.2.2",
               errors: [(3, 3, .classMismatch, "class CH in a zone of class IN (set at ko.zone:2:3)")]),
        KOCase(name: "unsupported class", text: "$TTL 1\na HS A 192.0.2.1",
               errors: [(2, 3, .unsupportedClass, "class HS")]),
        KOCase(name: "class given twice", text: "$TTL 1\na IN IN A 192.0.2.1",
               errors: [(2, 6, .unknownType, "class 'IN' given twice")]),
        KOCase(name: "TTL given twice", text: "$TTL 1\na 60 60 A 192.0.2.1",
               errors: [(2, 6, .unknownType, "a second TTL")]),
        KOCase(name: "meta type", text: "$TTL 1\na ANY \\# 0",
               errors: [(2, 3, .metaType, "ANY is a query or meta type")]),
        KOCase(name: "missing type", text: "$TTL 1\na 60 IN",
               errors: [(2, 8, .missingType, "missing record type")]),
        KOCase(name: "blank owner with no previous owner", text: "$TTL 1\n  A 192.0.2.1",
               errors: [(2, 3, .missingOwner, "no previous owner")]),
        KOCase(name: "relative name without an origin", text: "$TTL 1\nwww A 192.0.2.1\nx.test. CNAME y",
               origin: nil, errors: [(2, 1, .badName, "without an origin"), (3, 15, .badRData, "without an origin")]),
        KOCase(name: "lines continuing a bad owner are not reported again", text: "$TTL 1\nbad..name A 192.0.2.1\n  TXT \"x\"\n  A 1.2.3\nok A 192.0.2.2\n  TXT \"y\"",
               errors: [(2, 1, .badName, "empty label")]),
        KOCase(name: "label too long", text: "$TTL 1\n\(String(repeating: "a", count: 64)) A 192.0.2.1",
               errors: [(2, 1, .badName, "exceeds 63")]),
        KOCase(name: "no TTL anywhere, not an SOA", text: "a A 192.0.2.1",
               errors: [(1, 3, .missingTTL, "no TTL")]),
        KOCase(name: "unknown directive", text: "$TTL 1\n$FOO bar",
               errors: [(2, 1, .unknownDirective, "unknown directive '$FOO'")]),
        KOCase(name: "$ORIGIN without its name", text: "$ORIGIN",
               errors: [(1, 8, .badDirective, "$ORIGIN needs an argument")]),
        KOCase(name: "$ORIGIN with an extra field", text: "$ORIGIN a. b.",
               errors: [(1, 12, .badDirective, "unexpected 'b.' after $ORIGIN")]),
        KOCase(name: "$INCLUDE of a missing file", text: "$INCLUDE /nonexistent/tack-zone-file",
               errors: [(1, 10, .includeFailed, "cannot include '/nonexistent/tack-zone-file'")]),
        KOCase(name: "several errors in one run, each line resynchronised", text: """
            $TTL 1
            ok1 A 192.0.2.1
            bad1 A 300.0.0.1
            ok2 A 192.0.2.2
            bad2 ( A
                192.0.2.300 )
            ok3 A 192.0.2.3
            bad3 FOO x
            ok4 TXT "fine" ) "stray paren"
            ok5 TXT "fine"
            """, errors: [
                (3, 8, .badRData, "300.0.0.1"), (6, 5, .badRData, "192.0.2.300"),
                (8, 6, .unknownType, "'FOO'"), (9, 16, .unbalancedParentheses, "')'"),
            ]),
    ]

    @Test(arguments: ko)
    func rejects(_ c: KOCase) throws {
        let origin = try c.origin.map { try Name(parsing: $0) }
        let r = ZoneFileParser.parse(text: c.text, origin: origin, fileName: "ko.zone")
        #expect(errorSummary(r) == c.errors.map { "\($0.line):\($0.column) \($0.code.rawValue)" })
        for (e, want) in zip(r.errors, c.errors) {
            #expect(e.message.contains(want.fragment), "\(e.message) lacks '\(want.fragment)'")
            #expect(e.file == "ko.zone")
            #expect(e.hint != nil, "error without a hint: \(e)")
        }
    }

    @Test func goodLinesAroundErrorsStillParse() throws {
        let c = Self.ko.first { $0.name.hasPrefix("several errors") }!
        let r = ZoneFileParser.parse(text: c.text, origin: exampleOrigin, fileName: "ko.zone")
        #expect(r.records.map(\.record.name.description) == [
            "ok1.example.test.", "ok2.example.test.", "ok3.example.test.", "ok5.example.test.",
        ])
    }

    @Test func errorsAreBoundedAndTheRunStops() {
        let text = "$TTL 1\n" + (1...150).map { "bad\($0) A not-an-address\n" }.joined()
        let r = ZoneFileParser.parse(text: text, origin: exampleOrigin, fileName: "many.zone")
        #expect(r.errors.count == ZoneFileLimits.maxErrors + 1)
        #expect(r.errors.last?.code == .tooManyErrors)
        #expect(r.errors.dropLast().allSatisfy { $0.code == .badRData })
        #expect(r.errors[ZoneFileLimits.maxErrors - 1].line == ZoneFileLimits.maxErrors + 1)
    }

    @Test func soaMinimumIsTheTTLWhenNoneIsGivenWithAWarning() {
        let r = ZoneFileParser.parse(text: "@ IN SOA ns hm 1 2 3 4 300\nns A 192.0.2.1\n", origin: exampleOrigin,
                                     fileName: "w.zone")
        #expect(r.errors.isEmpty)
        #expect(r.records.map(\.record.ttl) == [300, 300])
        #expect(r.warnings.count == 1)
        #expect(r.warnings.first?.location == SourceLocation(file: "w.zone", line: 1, column: 6))
        #expect(r.warnings.first?.message.contains("MINIMUM") == true)
    }

    @Test func ttlWithTheTopBitSetIsAWarning() {
        let r = ZoneFileParser.parse(text: "a 2147483648 A 192.0.2.1\n", origin: exampleOrigin)
        #expect(r.errors.isEmpty)
        #expect(r.records.first?.record.ttl == 2147483648)
        #expect(r.warnings.map(\.location.column) == [3])
    }

    @Test func recordsCarryTheirLocation() {
        let r = ZoneFileParser.parse(text: "$TTL 1\n\na A 192.0.2.1\n  TXT \"x\"\nb (\n A 192.0.2.2 )\n",
                                     origin: exampleOrigin, fileName: "loc.zone")
        #expect(r.records.map(\.location.description) == ["loc.zone:3:1", "loc.zone:4:3", "loc.zone:5:1"])
    }

    @Test func diagnosticsPrintLikeACompiler() {
        let r = ZoneFileParser.parse(text: "$TTL 1\nwww IN\tAAA 192.0.2.1\n@ IN SOA ns hm 1 2 3 4 5\n",
                                     origin: exampleOrigin, fileName: "db.example")
        let e = r.errors[0]
        #expect(e.description == "db.example:2:8: error: unknown record type 'AAA' (expected a type mnemonic such as A, AAAA, NS, MX, TXT or the generic TYPEnnn)")
        #expect(e.token == "AAA")
        #expect(e.formatted.split(separator: "\n").map(String.init) == [
            e.description,
            "    www IN\tAAA 192.0.2.1",
            String(repeating: " ", count: 10) + "\t^",
            "    hint: for a type Tack does not name, write 'TYPEnnn \\# length hex' (RFC 3597 5)",
        ])
        let report = r.formattedDiagnostics(name: "example.test")
        #expect(report.hasSuffix("example.test: 1 record, 1 error, 0 warnings"))
        #expect(report.hasPrefix("db.example:2:8: error:"))
    }

    @Test func unreadableFileIsOneError() {
        let r = ZoneFileParser.parse(file: "/nonexistent/zone", origin: exampleOrigin)
        #expect(errorSummary(r) == ["1:1 unreadableFile"])
        #expect(r.errors[0].message.contains("No such file"))
    }
}
