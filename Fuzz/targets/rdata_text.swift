// fuzz-modules: DNSWire
// fuzz-support: FuzzCheck.swift
//
// RData.parse(type:text:) on arbitrary text must never trap. Input: 2 octets of record type
// (big-endian), then the RDATA text (invalid UTF-8 is replaced, as a zone reader would).
// When the text parses:
// - printing and parsing again gives an equal RDATA (print -> parse round trip);
// - the printed form is a fixed point (printing the re-parsed RDATA gives the same text);
// - the wire form decodes back to an equal RDATA and is at most 65535 octets.
import DNSWire

let fuzzOrigin = try! Name(parsing: "origin.fuzz.")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRDataText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    guard input.count >= 2 else { return 0 }
    let type = RRType(UInt16(input[0]) << 8 | UInt16(input[1]))
    let text = String(decoding: input[2...], as: UTF8.self)
    guard let rdata = try? RData.parse(type: type, text: text, origin: fuzzOrigin) else { return 0 }
    fuzzCheck(rdata.type == type, "parsed RDATA has type \(rdata.type), asked for \(type)", input: input)

    let printed = rdata.presentation
    let again: RData
    do { again = try RData.parse(type: type, text: printed, origin: fuzzOrigin) } catch {
        fuzzCheck(false, "\(type) '\(text)' prints as '\(printed)', which does not parse: \(error)", input: input)
        return 0
    }
    fuzzCheck(again == rdata, "\(type) '\(text)' prints as '\(printed)', which parses to a different RDATA", input: input)
    fuzzCheck(again.presentation == printed, "\(type) printing is not stable: '\(printed)' then '\(again.presentation)'", input: input)

    let wire = rdata.wire()
    fuzzCheck(wire.count <= RDataLimits.maxLength, "\(type) RDATA is \(wire.count) octets", input: input)
    var r = WireReader(wire)
    do {
        let decoded = try RData.decode(type: type, from: &r, length: wire.count)
        fuzzCheck(decoded == rdata, "\(type) '\(text)' wire \(fuzzHex(wire)) decodes to a different RDATA", input: input)
    } catch {
        fuzzCheck(false, "\(type) '\(text)' encodes to \(fuzzHex(wire)), which does not decode: \(error)", input: input)
    }
    return 0
}
