// Inputs that crashed the zone_file fuzz target (Fuzz/targets/zone_file.swift), kept by name.
// See Fuzz/README.md, "When a target crashes".
import Testing
import DNSWire
@testable import ZoneFile

@Suite struct FuzzRegressionTests {
    /// zone_file: an error reported at line 16 of an input the target thought had 14 lines.
    /// The parser was right: the input has 16 LF-ended lines, two of them ending in CR LF, and
    /// the target counted Swift Characters, where "\r\n" is one Character. The target now counts
    /// LF octets, as the lexer does; this pins down that diagnostics in a CRLF file name the
    /// physical line.
    @Test func fuzz_crlf_line_count() throws {
        let input = Hex.decode("244f524947494e2001000a000000000a66750d0d0d0d0d0d0d0d0d0d0d0d0d0d0d300d0d0d0d3b20662e746573743a206120736d616c6c207a6f6e65732c20776974682074680d2041203139322e455241544e2001000a000000000a66750d0d0d0d0d0d0d0d0d0d0d0d0d0d0d300d0d0d0d3b20662e746573743a206120736d616c6c207a6f6e65732c20776974682074680d2041203139322e45524154450d0d0a2020494e204e53206e73312041203139322e45feffffff524154450d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d300d0d0d0d3b2066757a7a7a2e746573742e0a2454544c2031680a405b494e20534f41206e733120686f73746d61737465722028203220373230302039303020313230393630312033303020290a2020494e204e53206e73312041203139322e45feffffff524154450d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d300d0d0d0d3b2066757a7a7a2e746573742e0a2454544c20450d0d0a2020494e204e53206e73312041203139322e45feffffff524154450d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d300d0d0d0d3b2066757a7a7a2e746573742e0a2454544c2031680a405b494e20534f41206e733120686f73746d61737465722028203220373230302039303020313230393630312033303020290a2020494e204e53206e73312041203139322e45feffffff524154450d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d300d0d0d0d3b2066757a7a7a2e746573742e0a2454544c2031680a405b494e20534f41206e733120686f73746d617374650d0d0d0d0d0d0d0d0d0d0d0d0d65")!
        let text = String(decoding: input, as: UTF8.self)
        let result = ZoneLoader.load(text: text, origin: try Name(parsing: "fuzz.test."), fileName: "fuzz")
        let lines = input.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        #expect(lines == 16)
        #expect(!result.parse.errors.isEmpty)
        for e in result.parse.errors {
            #expect(e.location.line >= 1 && e.location.line <= lines, "\(e) outside the input")
        }

        let crlf = "$TTL 1\r\na A 192.0.2.1\r\n\r\nb A 192.0.2.x\r\n"
        let r = ZoneFileParser.parse(text: crlf, origin: try Name(parsing: "example."), fileName: "crlf")
        #expect(r.errors.map(\.line) == [4])
    }
}
