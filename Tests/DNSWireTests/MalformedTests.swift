import Testing
@testable import DNSWire

/// Malformed messages: each row is the hex of a whole message, the `WireError.Code` the
/// decoder must report and the byte offset it must point at. Header helper `h(qd, an, ns, ar)`
/// is id 0x1234, flags 0x0100 and the four counts; offsets below count from the message start
/// (the first byte after the header is 12).
@Suite struct MalformedTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let what: String
        let hex: String
        let code: WireError.Code
        let offset: Int
        var testDescription: String { what }
    }

    static func h(_ qd: Int, _ an: Int, _ ns: Int, _ ar: Int) -> String {
        func w(_ v: Int) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 4 - s.count) + s }
        return "1234 0100 \(w(qd)) \(w(an)) \(w(ns)) \(w(ar)) "
    }

    static func label(_ n: Int, _ c: String = "61") -> String {
        String(format2: n) + String(repeating: c, count: n)
    }

    /// An A record for the root: owner, type, class, TTL, then RDLENGTH and RDATA as given.
    static let rootA = "00 0001 0001 00000E10 "
    static let opt = "00 0029 1000 00000000 0000 "

    static let rows: [Row] = [
        Row(what: "empty message", hex: "", code: .truncated, offset: 0),
        Row(what: "truncated header", hex: "1234 0100 0001", code: .truncated, offset: 0),
        Row(what: "question name runs past the end", hex: h(1, 0, 0, 0) + "03 6162", code: .truncated, offset: 12),
        Row(what: "question without class", hex: h(1, 0, 0, 0) + "00 0001", code: .truncated, offset: 15),
        Row(what: "pointer cut in half", hex: h(1, 0, 0, 0) + "C0", code: .truncated, offset: 12),
        Row(what: "pointer to itself", hex: h(1, 0, 0, 0) + "C00C 0001 0001",
            code: .forwardPointer(target: 12), offset: 12),
        Row(what: "pointer loop back to the start of its own name (a.a.a...)", hex: h(1, 0, 0, 0) + "0161 C00C 0001 0001",
            code: .forwardPointer(target: 12), offset: 14),
        Row(what: "pointer loop across two names (12 -> 20 -> 12)",
            hex: h(1, 1, 0, 0) + "0161 C014 0001 0001" + "C00C 0001 0001 00000E10 0004 C0000201",
            code: .forwardPointer(target: 20), offset: 14),
        Row(what: "forward pointer to a later valid name", hex: h(1, 0, 0, 0) + "C012 0001 0001 0161 00",
            code: .forwardPointer(target: 18), offset: 12),
        Row(what: "pointer into the header", hex: h(1, 0, 0, 0) + "C005 0001 0001",
            code: .pointerIntoHeader(target: 5), offset: 12),
        Row(what: "label of 64 (0x40, the obsolete extended label type)", hex: h(1, 0, 0, 0) + "40 61 00 0001 0001",
            code: .labelTooLong(64), offset: 12),
        Row(what: "reserved label type 0x80", hex: h(1, 0, 0, 0) + "80 61 00 0001 0001",
            code: .reservedLabelType(0x80), offset: 12),
        // 3 labels of 63 and one of 62: 3 * 64 + 63 + the root = 256 octets; the fourth label
        // (at 12 + 192) is the one that does not fit.
        Row(what: "name of 256 octets, uncompressed",
            hex: h(1, 0, 0, 0) + label(63) + label(63) + label(63) + label(62) + "00 0001 0001",
            code: .nameTooLong, offset: 204),
        // The question holds 3 x 63-octet labels (193 octets, 12..204), the answer owner is a
        // 62-octet label then a pointer to it: 63 + 193 = 256. The third 63-label read through
        // the pointer (at 12 + 128) overflows.
        Row(what: "name of 256 octets through a compression pointer",
            hex: h(1, 1, 0, 0) + label(63) + label(63) + label(63) + "00 0001 0001"
                + label(62, "62") + "C00C 0001 0001 00000E10 0004 C0000201",
            code: .nameTooLong, offset: 140),
        Row(what: "qdcount past the end", hex: h(2, 0, 0, 0) + "00 0001 0001",
            code: .countPastEnd(section: .question), offset: 17),
        Row(what: "ancount past the end", hex: h(1, 1, 0, 0) + "00 0001 0001",
            code: .countPastEnd(section: .answer), offset: 17),
        Row(what: "nscount past the end", hex: h(0, 1, 1, 0) + rootA + "0004 C0000201",
            code: .countPastEnd(section: .authority), offset: 27),
        Row(what: "arcount past the end", hex: h(0, 0, 0, 1),
            code: .countPastEnd(section: .additional), offset: 12),
        Row(what: "RDLENGTH past the end", hex: h(0, 1, 0, 0) + rootA + "0010 C0000201",
            code: .rdataOverrun(type: 1), offset: 21),
        Row(what: "RDATA under-run: A with RDLENGTH 5", hex: h(0, 1, 0, 0) + rootA + "0005 C000020100",
            code: .rdataUnderrun(type: 1, left: 1), offset: 27),
        Row(what: "RDATA over-run: A with RDLENGTH 3", hex: h(0, 1, 0, 0) + rootA + "0003 C00002",
            code: .rdataOverrun(type: 1), offset: 23),
        Row(what: "RDATA over-run: MX exchange crosses RDLENGTH",
            hex: h(0, 1, 0, 0) + "00 000F 0001 00000E10 0004 000A 0161 00",
            code: .rdataOverrun(type: 15), offset: 27),
        Row(what: "TXT with empty RDATA (RFC 1035 3.3.14: one or more strings)",
            hex: h(0, 1, 0, 0) + "00 0010 0001 00000E10 0000", code: .rdataOverrun(type: 16), offset: 23),
        Row(what: "TXT string longer than RDLENGTH", hex: h(0, 1, 0, 0) + "00 0010 0001 00000E10 0003 036162",
            code: .rdataOverrun(type: 16), offset: 24),
        Row(what: "duplicate OPT", hex: h(0, 0, 0, 2) + opt + opt, code: .duplicateOPT, offset: 23),
        Row(what: "OPT in the answer section", hex: h(0, 1, 0, 0) + opt, code: .misplacedOPT, offset: 12),
        Row(what: "OPT with a non-root owner", hex: h(0, 0, 0, 1) + "0161 00 0029 1000 00000000 0000",
            code: .misplacedOPT, offset: 12),
        Row(what: "EDNS option longer than the OPT RDATA",
            hex: h(0, 0, 0, 1) + "00 0029 1000 00000000 0004 000A 0008", code: .rdataOverrun(type: 41), offset: 27),
        Row(what: "COOKIE option of 5 octets (RFC 7873 5.2.2)",
            hex: h(0, 0, 0, 1) + "00 0029 1000 00000000 0009 000A 0005 0102030405",
            code: .badRData(type: 41, reason: "COOKIE option of 5 octets (must be 8, or 16 to 40)"), offset: 23),
        Row(what: "trailing bytes", hex: h(1, 0, 0, 0) + "00 0001 0001 FF", code: .trailingBytes, offset: 17),
    ]

    @Test(arguments: rows)
    func rejects(_ row: Row) {
        let bytes = Hex.decode(row.hex)!
        #expect(throws: WireError(row.code, at: row.offset)) { try Message.decode(bytes) }
    }

    /// A chain of pointers, each to the one before it, longer than a legal name could need:
    /// the question name `a.` at 12, then an unknown-type answer whose RDATA holds 130 pointers
    /// (the first to 12, each next to its predecessor), then an answer whose owner points at the
    /// last of them. The 128th pointer followed is refused.
    @Test func pointerChainLongerThanAnyNameNeeds() {
        var hex = Self.h(1, 2, 0, 0) + "0161 00 0001 0001"  // question: 12..18
        let rdataStart = 19 + 11
        let chain = 130
        hex += "00 FF00 0001 00000E10 " + String(format4: chain * 2)
        for k in 0..<chain { hex += String(format4: 0xC000 | (k == 0 ? 12 : rdataStart + 2 * (k - 1))) }
        let last = rdataStart + 2 * (chain - 1)
        hex += String(format4: 0xC000 | last) + "0001 0001 00000E10 0004 C0000201"
        // Pointer 1 is the owner itself, then chain elements last, last-1, ...; the 128th
        // pointer is chain element chain - 127.
        let offending = rdataStart + 2 * (chain - 127)
        #expect(throws: WireError(.tooManyPointers, at: offending)) { try Message.decode(Hex.decode(hex)!) }
    }

    @Test func nameOf255OctetsThroughPointerIsAccepted() throws {
        // Same shape as the 256-octet row with a 61-octet first label: 62 + 193 = 255.
        let hex = Self.h(1, 1, 0, 0) + Self.label(63) + Self.label(63) + Self.label(63) + "00 0001 0001"
            + Self.label(61, "62") + "C00C 0001 0001 00000E10 0004 C0000201"
        let m = try Message.decode(Hex.decode(hex)!)
        #expect(m.answers[0].name.wire.count == 255)
    }

    /// Random octets and damaged valid messages: decode must return or throw, never trap; a
    /// thrown offset lies inside the input; a message that decodes re-encodes and decodes again.
    @Test func randomAndBitFlippedInputNeverTrap() {
        var rng = SeededRNG(seed: 0x5EED_F1A5)
        var decoded = 0, rejected = 0
        func feed(_ bytes: [UInt8]) {
            do {
                let m = try Message.decode(bytes)
                decoded += 1
                let again = try Message.decode(m.encode())
                #expect(again == m)
            } catch {
                rejected += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count, "offset \(error.offset) outside \(bytes.count) bytes")
            }
        }
        for _ in 0..<1500 {
            var r = SeededRNG(seed: rng.next())
            var wire = MessageGenerator.message(&r, maxSets: 2).encode()
            switch rng.int(0...3) {
            case 0, 1:  // flip 1...4 bits
                for _ in 0..<rng.int(1...4) {
                    let i = rng.int(0...(wire.count - 1))
                    wire[i] ^= 1 << UInt8(rng.int(0...7))
                }
            case 2:  // overwrite one octet with an interesting value
                wire[rng.int(0...(wire.count - 1))] = rng.pick([0x00, 0x3F, 0x40, 0x80, 0xC0, 0xC0 | 0x0C, 0xFF])
            default:  // cut
                wire = Array(wire.prefix(rng.int(0...(wire.count - 1))))
            }
            feed(wire)
        }
        for _ in 0..<1500 {
            // A plausible header (small counts) followed by random octets, or pure noise.
            var b = rng.bytes(rng.int(0...300))
            if rng.chance(0.7) && b.count >= 12 {
                for i in stride(from: 4, to: 12, by: 2) { b[i] = 0; b[i + 1] = UInt8(rng.int(0...3)) }
            }
            feed(b)
        }
        #expect(decoded + rejected == 3000)
        #expect(rejected > 1000, "the damage should make most inputs invalid")
    }
}

extension String {
    /// Two hex digits.
    init(format2 v: Int) { self = (v < 16 ? "0" : "") + String(v, radix: 16) }
    /// Four hex digits.
    init(format4 v: Int) { let s = String(v, radix: 16); self = String(repeating: "0", count: 4 - s.count) + s }
}
