// fuzz-modules: DNSWire
// fuzz-support: FuzzCheck.swift
//
// Message.decode on arbitrary bytes must never trap. When it succeeds:
// - encoding the message and decoding that again gives an equal message (names compare
//   case-insensitively), unless the re-encoding had to truncate, in which case every section
//   is a prefix of the original and TC is set;
// - a second encode of the re-decoded message gives the same bytes (encoding is stable);
// - the dig-like rendering does not trap.
import DNSWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessageDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    guard let m = try? Message.decode(input) else { return 0 }
    let wire = m.encode()
    fuzzCheck(wire.count <= EncodeLimits.maxMessage, "encoding is \(wire.count) octets", input: input)
    let m2: Message
    do { m2 = try Message.decode(wire) } catch {
        fuzzCheck(false, "re-encoded message does not decode: \(error)\nre-encoded: \(fuzzHex(wire))", input: input)
        return 0
    }
    let truncated = m2.header.tc && !m.header.tc
    if truncated {
        fuzzCheck(m2.questions == m.questions && m2.edns == m.edns
                  && m.answers.starts(with: m2.answers) && m.authority.starts(with: m2.authority)
                  && m.additional.starts(with: m2.additional),
                  "truncated re-encoding is not a prefix of the message", input: input)
    } else {
        fuzzCheck(m2 == m, "decode(encode(m)) != m\nbefore: \(m.presentation)\nafter: \(m2.presentation)", input: input)
    }
    let wire2 = m2.encode()
    fuzzCheck(wire2 == wire, "encoding is not stable: \(fuzzHex(wire)) then \(fuzzHex(wire2))", input: input)
    _ = m.presentation
    return 0
}
