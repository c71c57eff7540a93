import Testing
import DNSWire
@testable import ZoneFile

/// BIND's `$GENERATE`: ranges, `$` and `${offset,width,base}` substitution, `\$`, limits.
/// Checked against expected records (ldns does not implement `$GENERATE`).
@Suite struct GenerateTests {
    static let ok: [OKCase] = [
        OKCase(name: "plain $ in owner and data", text: "$TTL 1\n$GENERATE 1-3 host$ A 192.0.2.$\n", records: [
            "host1.example.test. 1 IN A 192.0.2.1", "host2.example.test. 1 IN A 192.0.2.2",
            "host3.example.test. 1 IN A 192.0.2.3",
        ]),
        OKCase(name: "step", text: "$TTL 1\n$GENERATE 0-5/2 s$ A 192.0.2.$\n", records: [
            "s0.example.test. 1 IN A 192.0.2.0", "s2.example.test. 1 IN A 192.0.2.2",
            "s4.example.test. 1 IN A 192.0.2.4",
        ]),
        OKCase(name: "offset and width in decimal, negative offset", text: "$TTL 1\n$GENERATE 1-2 h${10,3,d} A 192.0.2.${-1}\n", records: [
            "h011.example.test. 1 IN A 192.0.2.0", "h012.example.test. 1 IN A 192.0.2.1",
        ]),
        OKCase(name: "octal and hex bases", text: "$TTL 1\n$GENERATE 255-255 o${-247,3,o}.x${0,4,x}.y${0,0,X} A 192.0.2.1\n",
               records: ["o010.x00ff.yFF.example.test. 1 IN A 192.0.2.1"]),
        OKCase(name: "nibble bases for reverse IPv6", text: "$TTL 1\n$GENERATE 26-27 ${0,5,n} PTR host${0,0,N}.example.test.\n", records: [
            "a.1.0.example.test. 1 IN PTR hostA.1.example.test.", "b.1.0.example.test. 1 IN PTR hostB.1.example.test.",
        ]),
        OKCase(name: "escaped dollar is literal", text: "$TTL 1\n$GENERATE 7-7 a\\$b$ TXT cost\\$$\n",
               records: ["a\\$b7.example.test. 1 IN TXT \"cost$7\""]),
        OKCase(name: "several rhs fields, and a quoted rhs split after substitution as BIND does", text: """
            $TTL 1
            $GENERATE 1-2 mx$ MX 1$ mail$
            $GENERATE 1-1 q$ MX "20 mail$"
            $GENERATE 1-1 t$ TXT "a$ b$"
            """, records: [
                "mx1.example.test. 1 IN MX 11 mail1.example.test.", "mx2.example.test. 1 IN MX 12 mail2.example.test.",
                "q1.example.test. 1 IN MX 20 mail1.example.test.", "t1.example.test. 1 IN TXT \"a1\" \"b1\"",
            ]),
        OKCase(name: "TTL and class in either order, absolute owner, no $ at all", text: """
            $TTL 1
            $GENERATE 1-1 t$ 300 IN A 192.0.2.$
            $GENERATE 1-1 u$ IN 1h A 192.0.2.$
            $GENERATE 1-2 same.other.test. A 192.0.2.9
            """, records: [
                "t1.example.test. 300 IN A 192.0.2.1", "u1.example.test. 3600 IN A 192.0.2.1",
                "same.other.test. 1 IN A 192.0.2.9", "same.other.test. 1 IN A 192.0.2.9",
            ]),
        OKCase(name: "classless delegation (RFC 2317 style)", text: "$TTL 1\n$GENERATE 0-1 $ CNAME $.0/26.2.0.192.in-addr.arpa.\n",
               records: [
                "0.example.test. 1 IN CNAME 0.0/26.2.0.192.in-addr.arpa.",
                "1.example.test. 1 IN CNAME 1.0/26.2.0.192.in-addr.arpa.",
               ]),
    ]

    @Test(arguments: ok)
    func generates(_ c: OKCase) throws {
        let r = ZoneFileParser.parse(text: c.text, origin: exampleOrigin, fileName: "gen.zone")
        #expect(r.errors.map(\.description) == [])
        #expect(presentation(r) == c.records)
        #expect(r.records.allSatisfy { $0.location.line >= 2 && $0.location.column == 1 })
    }

    static let ko: [KOCase] = [
        KOCase(name: "range backwards", text: "$TTL 1\n$GENERATE 5-1 h$ A 192.0.2.$",
               errors: [(2, 11, .badGenerate, "bad $GENERATE range '5-1'")]),
        KOCase(name: "zero step", text: "$TTL 1\n$GENERATE 1-5/0 h$ A 192.0.2.$",
               errors: [(2, 11, .badGenerate, "range")]),
        KOCase(name: "too many records", text: "$TTL 1\n$GENERATE 0-65536 h$ A 192.0.2.1",
               errors: [(2, 11, .badGenerate, "65537 records, more than 65536")]),
        KOCase(name: "bad base", text: "$TTL 1\n$GENERATE 1-2 h${1,2,z} A 192.0.2.1",
               errors: [(2, 15, .badGenerate, "must be one of d, o, x, X, n, N")]),
        KOCase(name: "unclosed modifier", text: "$TTL 1\n$GENERATE 1-2 h$ A 192.0.2.${1",
               errors: [(2, 20, .badGenerate, "without a closing '}'")]),
        KOCase(name: "negative value in hex", text: "$TTL 1\n$GENERATE 1-2 h${-5,0,x} A 192.0.2.1",
               errors: [(2, 15, .badGenerate, "value 1: value -4 is negative")]),
        KOCase(name: "bad data for one value: no partial records", text: "$TTL 1\n$GENERATE 1-3 h$ A 192.0.2.${254}",
               errors: [(2, 20, .badRData, "$GENERATE value 2: bad A RDATA")]),
        KOCase(name: "missing data", text: "$TTL 1\n$GENERATE 1-2 h$ A",
               errors: [(2, 19, .missingRData, "missing $GENERATE data")]),
        KOCase(name: "only a range", text: "$TTL 1\n$GENERATE 1-2",
               errors: [(2, 14, .badGenerate, "needs a range, an owner template")]),
        KOCase(name: "unknown type", text: "$TTL 1\n$GENERATE 1-2 h$ AA 192.0.2.1",
               errors: [(2, 18, .unknownType, "unknown record type 'AA'")]),
        KOCase(name: "no TTL", text: "$GENERATE 1-2 h$ A 192.0.2.1",
               errors: [(1, 18, .missingTTL, "$GENERATE value 1: the record has no TTL")]),
    ]

    @Test(arguments: ko)
    func rejects(_ c: KOCase) throws {
        let r = ZoneFileParser.parse(text: c.text, origin: exampleOrigin, fileName: "gen.zone")
        #expect(errorSummary(r) == c.errors.map { "\($0.line):\($0.column) \($0.code.rawValue)" })
        for (e, want) in zip(r.errors, c.errors) {
            #expect(e.message.contains(want.fragment), "\(e.message) lacks '\(want.fragment)'")
        }
        #expect(r.records.isEmpty)
    }

    @Test func largestRangeAllowedIsTheLimit() {
        let r = ZoneFileParser.parse(text: "$TTL 1\n$GENERATE 0-65535 h$ A 192.0.2.1\n", origin: exampleOrigin)
        #expect(r.errors.isEmpty)
        #expect(r.records.count == ZoneFileLimits.maxGenerateRecords)
        #expect(r.records.last?.record.name.description == "h65535.example.test.")
    }

    /// BIND's `nibbles()`: width counts characters, dots included.
    @Test(arguments: [
        (0x1A, 0, false, "a.1"), (0x1A, 3, false, "a.1"), (0x1A, 4, false, "a.1."), (0x1A, 5, false, "a.1.0"),
        (0, 0, false, "0"), (0, 7, false, "0.0.0.0"), (0xABC, 0, true, "C.B.A"),
    ])
    func nibbles(value: Int, width: Int, upper: Bool, expected: String) throws {
        let b = try GenerateTemplate.nibbles(value, width: width, upper: upper)
        #expect(String(decoding: b, as: UTF8.self) == expected)
    }
}
