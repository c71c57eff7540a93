// Inputs that crashed a fuzz target (Fuzz/targets/*.swift), kept by name. Each test replays
// the target's invariant on the exact input (hex as libFuzzer wrote it) and then pins down
// the fixed behaviour. See Fuzz/README.md, "When a target crashes".
import Testing
@testable import DNSWire

private func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex)! }

/// The rdata_wire target: 2 octets of type, then RDATA. When the RDATA decodes, its
/// presentation must parse back to an equal RDATA and its encoding must decode back to it.
private func rdataWireRoundTrip(_ input: [UInt8]) throws {
    let type = RRType(UInt16(input[0]) << 8 | UInt16(input[1]))
    let rdata = Array(input[2...])
    var r = WireReader(rdata)
    guard let value = try? RData.decode(type: type, from: &r, length: rdata.count) else { return }
    let wire = value.wire()
    var r2 = WireReader(wire)
    #expect(try RData.decode(type: type, from: &r2, length: wire.count) == value)
    #expect(try RData.parse(type: type, text: value.presentation) == value)
}

/// The rdata_text target: 2 octets of type, then text. When the text parses, printing and
/// parsing again must give an equal RDATA.
private func rdataTextRoundTrip(_ input: [UInt8]) throws {
    let type = RRType(UInt16(input[0]) << 8 | UInt16(input[1]))
    let text = String(decoding: input[2...], as: UTF8.self)
    let origin = try Name(parsing: "origin.fuzz.")
    guard let value = try? RData.parse(type: type, text: text, origin: origin) else { return }
    #expect(try RData.parse(type: type, text: value.presentation, origin: origin) == value)
}

@Suite struct FuzzRegressionTests {
    /// rdata_wire: a LOC vertical precision octet 0x01 (mantissa 0, exponent 1) printed as
    /// "0.00m", which reads back as 0x00. Fixed by rejecting a zero mantissa with a non-zero
    /// exponent on the wire, as BIND's fromwire_loc does.
    @Test func fuzz_loc_zero_mantissa_precision_wire() throws {
        let input = bytes("001d0099100176013000599fb200ffffffff")
        try rdataWireRoundTrip(input)
        var r = WireReader(Array(input[2...]))
        #expect(throws: WireError.self) { try RData.decode(type: .loc, from: &r, length: 16) }
    }

    /// rdata_text: the same octet reached through the generic form (`\# 16 ...`, vertical
    /// precision 0x03), which is decoded and checked for known types.
    @Test func fuzz_loc_zero_mantissa_generic_text() throws {
        let input = bytes("001d5c23203136203030303031363033386234636630313238313063626365313030303336323730")
        try rdataTextRoundTrip(input)
        #expect(throws: PresentationError.self) {
            try RData.parse(type: .loc, text: "\\# 16 000016038b4cf012810cbce100036270")
        }
        // Zero itself (0x00) stays valid and round-trips.
        let zero = try RData.parse(type: .loc, text: "\\# 16 000016008b4cf012810cbce100036270")
        #expect(try RData.parse(type: .loc, text: zero.presentation) == zero)
    }
}
