import Testing
import DNSWire
import TestSupport
@testable import ZoneFile

/// Damaged input never crashes the parser, every diagnostic points inside the text, and the
/// error count stays bounded. Mutations come from a fixed-seed generator, so failures replay.
@Suite struct ZoneFileRobustnessTests {
    static let seedZone = """
        $ORIGIN example.test.
        $TTL 1h
        @ IN SOA ns hm ( 1 2 3 4 5 ) ; comment
          IN NS ns
        ns 60 IN A 192.0.2.1
        t TXT "a ; b" "c\\"d" e\\032f \\# x
        g TYPE65280 \\# 2 abcd
        $GENERATE 1-4/2 h${1,3,x} CNAME t
        \\$x CH 5 AAAA ::1

        """

    /// Bytes that matter to the lexer, and a few that do not.
    static let interesting: [UInt8] = Array("()\";\\ \t\r\n$@.{}0123456789aZ#-/,".utf8) + [0x00, 0xFF, 0xC3]

    @Test func mutatedZonesNeverCrashAndErrorsPointIntoTheText() {
        var rng = SplitMix64(state: 0x7ACC)
        let base = Array(Self.seedZone.utf8)
        for _ in 0..<2000 {
            var b = base
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0...b.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where at < b.count: b.remove(at: at)
                case 1 where at < b.count: b[at] = Self.interesting.randomElement(using: &rng)!
                default: b.insert(Self.interesting.randomElement(using: &rng)!, at: at)
                }
            }
            let r = ZoneFileParser.parse(bytes: b, origin: nil, fileName: "m.zone")
            let lines = b.filter { $0 == 0x0A }.count + 1
            #expect(r.errors.count <= ZoneFileLimits.maxErrors + 1)
            for e in r.errors {
                #expect(e.line >= 1 && e.line <= lines && e.column >= 1, "\(e) outside the text")
                #expect(!e.message.isEmpty && e.hint != nil, "\(e) lacks a message or hint")
            }
            for rec in r.records {
                #expect(rec.location.line >= 1 && rec.location.line <= lines)
            }
        }
    }

    @Test func binaryGarbageIsRejectedNotLoaded() {
        var rng = SplitMix64(state: 42)
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let r = ZoneFileParser.parse(bytes: bytes, origin: exampleOrigin, fileName: "garbage")
        #expect(!r.errors.isEmpty)
        #expect(r.errors.count <= ZoneFileLimits.maxErrors + 1)
    }
}
