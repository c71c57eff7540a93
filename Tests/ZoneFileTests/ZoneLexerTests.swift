import Testing
import DNSWire
@testable import ZoneFile

/// The lexer alone: tokens, their positions, comments, parentheses, quotes and escapes.
@Suite struct ZoneLexerTests {
    /// Reads every item of `text`.
    func lex(_ text: String) -> [ZoneLexer.Item] {
        var lx = ZoneLexer(bytes: Array(text.utf8), file: "t")
        var items: [ZoneLexer.Item] = []
        while let item = lx.next(), items.count < 1000 { items.append(item) }
        return items
    }

    /// Entries as `text@line:col` strings, quoted tokens in quotes, blank-start entries marked `_`.
    func summary(_ text: String) -> [String] {
        lex(text).map { item in
            switch item {
            case .entry(let e):
                (e.startsWithBlank ? "_ " : "") + e.tokens.map {
                    ($0.quoted ? "\"\($0.text)\"" : $0.text) + "@\($0.line):\($0.column)"
                }.joined(separator: " ")
            case .failed(let e):
                "ERROR \(e.code.rawValue)@\(e.line):\(e.column)"
            }
        }
    }

    @Test(arguments: [
        ("a b\tc\n", ["a@1:1 b@1:3 c@1:5"]),
        ("a ; comment\n\n; only a comment\nb\n", ["a@1:1", "b@4:1"]),
        ("  x A 1\n", ["_ x@1:3 A@1:5 1@1:7"]),
        ("\tA 1\n", ["_ A@1:2 1@1:4"]),
        ("a (b\n c ; note\n d)\ne\n", ["a@1:1 b@1:4 c@2:2 d@3:2", "e@4:1"]),
        ("a \"q; \\\"x\\\" (y)\" b\n", ["a@1:1 \"q; \\\"x\\\" (y)\"@1:3 b@1:18"]),
        ("a \"\" b", ["a@1:1 \"\"@1:3 b@1:6"]),
        ("a\\ b c\\;d\n", ["a\\ b@1:1 c\\;d@1:6"]),
        ("a\\065\\.b\n", ["a\\065\\.b@1:1"]),
        ("a\r\nb\r\n", ["a@1:1", "b@2:1"]),
        ("a(b)c\n", ["a@1:1 b@1:3 c@1:5"]),
        ("a ((b) c)\nd\n", ["a@1:1 b@1:5 c@1:8", "d@2:1"]),
        ("", []),
        ("\n\n  \n", []),
        ("last-line-without-newline", ["last-line-without-newline@1:1"]),
    ])
    func tokens(text: String, expected: [String]) {
        #expect(summary(text) == expected)
    }

    @Test func nonASCIIBytesBecomeDecimalEscapes() {
        var lx = ZoneLexer(bytes: Array("caf\u{E9} \"t\u{E9}\tx\"\n".utf8), file: "t")
        guard case .entry(let e)? = lx.next() else { Issue.record("no entry"); return }
        #expect(e.tokens.map(\.text) == ["caf\\195\\169", "t\\195\\169\\009x"])
        #expect(unescape(e.tokens[0].text) == Array("caf\u{E9}".utf8))
    }

    @Test(arguments: [
        // A stray ')' spoils its line only; the next line is read.
        ("a b)\nc\n", ["ERROR unbalancedParentheses@1:4", "c@2:1"]),
        // An unclosed '(' is reported where it was opened.
        ("ok\na ( b\nc\n", ["ok@1:1", "ERROR unbalancedParentheses@2:3"]),
        // A quote left open ends at the end of its line.
        ("a \"open\nb\n", ["ERROR unterminatedQuote@1:3", "b@2:1"]),
        ("a \\", ["ERROR badEscape@1:3"]),
    ])
    func errors(text: String, expected: [String]) {
        #expect(summary(text) == expected)
    }

    @Test func sourceLineOfAnError() {
        var lx = ZoneLexer(bytes: Array("first\nsecond ) x\r\nthird\n".utf8), file: "f")
        _ = lx.next()
        guard case .failed(let e)? = lx.next() else { Issue.record("expected an error"); return }
        #expect(e.sourceLine == "second ) x")
        #expect(e.description == "f:2:8: error: ')' without a matching '('")
    }
}
