// fuzz-modules: DNSWire
// fuzz-support: FuzzCheck.swift
//
// RData.decode on arbitrary octets must never trap. Input: 2 octets of record type
// (big-endian), then the RDATA. When it decodes:
// - encoding it (uncompressed) and decoding that gives an equal RDATA, and encoding is
//   stable (the input itself may differ: compression pointers inside RDATA are expanded);
// - its presentation parses back to an equal RDATA (what Tack prints, e.g. in `tack decode`
//   or a zone written back out, must be readable again).
import DNSWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRDataWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    guard input.count >= 2 else { return 0 }
    let type = RRType(UInt16(input[0]) << 8 | UInt16(input[1]))
    let bytes = Array(input[2...])
    var r = WireReader(bytes)
    guard let rdata = try? RData.decode(type: type, from: &r, length: bytes.count) else { return 0 }
    let wire = rdata.wire()
    var r2 = WireReader(wire)
    do {
        let again = try RData.decode(type: type, from: &r2, length: wire.count)
        fuzzCheck(again == rdata && again.wire() == wire,
                  "\(type) RDATA \(fuzzHex(bytes)) re-encodes as \(fuzzHex(wire)), which decodes differently", input: input)
    } catch {
        fuzzCheck(false, "\(type) RDATA \(fuzzHex(bytes)) re-encodes as \(fuzzHex(wire)), which does not decode: \(error)", input: input)
    }
    let printed = rdata.presentation
    do {
        let parsed = try RData.parse(type: type, text: printed, origin: nil)
        fuzzCheck(parsed == rdata, "\(type) RDATA \(fuzzHex(bytes)) prints as '\(printed)', which parses to a different RDATA", input: input)
    } catch {
        fuzzCheck(false, "\(type) RDATA \(fuzzHex(bytes)) prints as '\(printed)', which does not parse: \(error)", input: input)
    }
    return 0
}
