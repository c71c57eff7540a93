import DNSWire

/// One token of a zone file and where it was written.
public struct ZoneToken: Sendable, Equatable {
    /// The text with escapes kept (`\DDD`, `\X`) and quotes removed; bytes outside printable
    /// ASCII are turned into `\DDD` so the text is plain ASCII and unescapes to the file's bytes.
    public var token: PresentationToken
    /// Line of the token's first character (the opening quote for a quoted token).
    public var line: Int
    /// Column of the token's first character.
    public var column: Int
    /// Column just past the token's last character, on `line`.
    public var endColumn: Int

    /// The token text (escapes kept, quotes removed).
    public var text: String { token.text }
    /// True when the token was written in double quotes.
    public var quoted: Bool { token.quoted }
}

/// One logical entry of a zone file: the tokens of one line, continued over several lines
/// while parentheses are open (RFC 1035 5.1).
public struct ZoneEntry: Sendable, Equatable {
    /// The tokens, in order; never empty.
    public var tokens: [ZoneToken]
    /// True when the entry's line starts with white space: the owner is the previous one
    /// (RFC 1035 5.1).
    public var startsWithBlank: Bool
    /// Line where the entry starts.
    public var line: Int
}

/// The master-file lexer (RFC 1035 5.1): splits bytes into entries of tokens, removing comments
/// (`;` to the end of the line), joining lines inside `(` `)`, and keeping quoted strings (which
/// may hold spaces and `;`) as one token. CR before LF is ignored. A lexical error spoils only
/// its entry: the lexer reports it and carries on at the next line outside parentheses.
public struct ZoneLexer {
    /// The outcome of reading one entry.
    public enum Item: Sendable, Equatable {
        case entry(ZoneEntry)
        case failed(ZoneFileError)
    }

    let bytes: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0
    /// Start offsets of the lines of the entry being read, for quoting source lines in errors.
    var entryLines: [(line: Int, start: Int)] = []

    /// A lexer over `bytes`; `file` is the name used in error locations.
    public init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        // A UTF-8 byte order mark is not part of the zone.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3; lineStart = 0 }
    }

    /// The text of source line `n` if it belongs to the entry last read (for diagnostics).
    public func sourceLine(_ n: Int) -> String? {
        guard let l = entryLines.first(where: { $0.line == n }) else { return nil }
        var e = l.start
        while e < bytes.count && bytes[e] != 0x0A { e += 1 }
        if e > l.start && e <= bytes.count && e - 1 >= l.start && bytes[e - 1] == 0x0D { e -= 1 }
        return String(decoding: bytes[l.start..<e], as: UTF8.self)
    }

    func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    var column: Int { i - lineStart + 1 }

    mutating func newline() {
        line += 1
        lineStart = i
        entryLines.append((line, lineStart))
    }

    /// The entry being read by `next()`: its tokens so far, open parentheses, and its first
    /// lexical error.
    struct PendingEntry {
        var tokens: [ZoneToken] = []
        /// Parentheses open, and where the outermost was opened.
        var depth = 0
        var openParen: (line: Int, column: Int) = (0, 0)
        var failure: ZoneFileError? = nil
        /// Set by the entry's first token or parenthesis.
        var started = false
        var startsWithBlank = false
        var line: Int

        init(line: Int) {
            self.line = line
            // Room for a typical record at once instead of growing 1, 2, 4, 8 (a third of the
            // allocations of a zone load were this array's).
            tokens.reserveCapacity(8)
        }

        /// Keeps the entry's first error: later ones are often its consequences.
        mutating func fail(_ e: ZoneFileError) { if failure == nil { failure = e } }

        /// The finished entry, or its first error.
        func item() -> Item {
            if let failure { return .failed(failure) }
            return .entry(ZoneEntry(tokens: tokens, startsWithBlank: startsWithBlank, line: line))
        }
    }

    /// The next entry, a lexical error spoiling one entry, or nil at the end of the input.
    /// Reads byte by byte, handing each kind of byte to its stage: line ends, blanks,
    /// comments, parentheses, quoted strings and plain tokens.
    public mutating func next() -> Item? {
        var entry = PendingEntry(line: line)
        entryLines.removeAll(keepingCapacity: true)
        entryLines.append((line, lineStart))
        while i < bytes.count {
            switch bytes[i] {
            case 0x0A:
                if let item = endOfLine(&entry) { return item }
            case 0x20, 0x09, 0x0D:
                i += 1
            case 0x3B:  // ';'
                skipComment()
            case 0x28:  // '('
                openParenthesis(&entry)
            case 0x29:  // ')'
                closeParenthesis(&entry)
            case 0x22:  // '"'
                markStart(&entry)
                entry.tokens.append(quotedString(&entry))
            default:
                markStart(&entry)
                entry.tokens.append(plainToken(&entry))
            }
        }
        return endOfInput(&entry)
    }

    /// Notes the entry's first line, and whether that line starts with a blank (the previous
    /// owner's record, RFC 1035 5.1), at its first token or parenthesis.
    @inline(__always)
    func markStart(_ entry: inout PendingEntry) {
        if !entry.started {
            entry.started = true
            entry.line = line
            let first = lineStart < bytes.count ? bytes[lineStart] : 0
            entry.startsWithBlank = first == 0x20 || first == 0x09
        }
    }

    /// A line feed: outside parentheses it ends the entry (nil when the line held nothing);
    /// inside, the entry goes on on the next line.
    @inline(__always)
    mutating func endOfLine(_ entry: inout PendingEntry) -> Item? {
        i += 1
        newline()
        guard entry.depth == 0 else { return nil }
        if entry.started || entry.failure != nil { return entry.item() }
        entryLines.removeAll(keepingCapacity: true)
        entryLines.append((line, lineStart))
        return nil
    }

    /// The end of the input: the last entry (an error if a parenthesis is still open), or nil
    /// when there is none.
    mutating func endOfInput(_ entry: inout PendingEntry) -> Item? {
        if entry.depth > 0 {
            entry.fail(ZoneFileError(.unbalancedParentheses, at: location(entry.openParen.line, entry.openParen.column),
                                     token: "(", message: "'(' is never closed",
                                     expected: "')' before the end of the file",
                                     hint: "close the parenthesis where the record ends",
                                     sourceLine: sourceLine(entry.openParen.line)))
        }
        if !entry.started && entry.failure == nil { return nil }
        return entry.item()
    }

    /// A comment: `;` to the end of the line, left for `endOfLine`.
    @inline(__always)
    mutating func skipComment() {
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
    }

    /// `(`: the entry continues over line ends until the matching `)`.
    mutating func openParenthesis(_ entry: inout PendingEntry) {
        markStart(&entry)
        if entry.depth == 0 { entry.openParen = (line, column) }
        entry.depth += 1
        i += 1
    }

    /// `)`: closes a `(`; one without a `(` is an error.
    mutating func closeParenthesis(_ entry: inout PendingEntry) {
        markStart(&entry)
        if entry.depth == 0 {
            entry.fail(ZoneFileError(.unbalancedParentheses, at: location(line, column), token: ")",
                                     message: "')' without a matching '('",
                                     hint: "remove the ')' or add the '(' where the record's fields start",
                                     sourceLine: sourceLine(line)))
        } else {
            entry.depth -= 1
        }
        i += 1
    }

    /// A quoted string from the `"` at `i`: one token holding spaces and `;` as they are, closed
    /// on its line (an unclosed one is an error, and the token ends at the line's end).
    mutating func quotedString(_ entry: inout PendingEntry) -> ZoneToken {
        let startLine = line, startColumn = column
        i += 1
        var text: [UInt8] = []
        var closed = false
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { i += 1; closed = true; break }
            if b == 0x0A { break }
            if b == 0x5C {
                if !escape(into: &text) {
                    entry.fail(danglingBackslash())
                }
                continue
            }
            append(b, quoted: true, to: &text)
            i += 1
        }
        if !closed {
            entry.fail(ZoneFileError(.unterminatedQuote, at: location(startLine, startColumn), token: "\"",
                                     message: "quoted string is not closed on its line",
                                     expected: "a closing '\"'",
                                     hint: "add the closing quote; a quoted string cannot span lines, split long text into several strings",
                                     sourceLine: sourceLine(startLine)))
        }
        return ZoneToken(token: PresentationToken(String(decoding: text, as: UTF8.self), quoted: true),
                         line: startLine, column: startColumn,
                         endColumn: startLine == line ? column : startColumn + 1)
    }

    /// A plain token from `i` to the next blank, line end, `;`, parenthesis or quote. Most are
    /// printable ASCII without escapes: their text is the file's bytes as they are, taken in
    /// one step; the rest go through `escapedToken`.
    @inline(__always)
    mutating func plainToken(_ entry: inout PendingEntry) -> ZoneToken {
        let startLine = line, startColumn = column
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b <= 0x20 || b > 0x7E || b == 0x3B || b == 0x28 || b == 0x29 || b == 0x22 || b == 0x5C { break }
            i += 1
        }
        let plain: String
        switch i < bytes.count ? bytes[i] : 0x20 {
        case 0x20, 0x09, 0x0D, 0x0A, 0x3B, 0x28, 0x29, 0x22:
            plain = String(decoding: bytes[start..<i], as: UTF8.self)
        default:
            plain = escapedToken(from: start, &entry)
        }
        return ZoneToken(token: PresentationToken(plain),
                         line: startLine, column: startColumn,
                         endColumn: startLine == line ? column : startColumn + 1)
    }

    /// The rest of a plain token that holds an escape or a byte outside printable ASCII, from
    /// `i` (the token began at `start`): escapes kept, other bytes turned into `\DDD`.
    mutating func escapedToken(from start: Int, _ entry: inout PendingEntry) -> String {
        var text = Array(bytes[start..<i])
        scan: while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x20, 0x09, 0x0D, 0x0A, 0x3B, 0x28, 0x29, 0x22: break scan
            case 0x5C:
                if !escape(into: &text) { entry.fail(danglingBackslash()) }
            default:
                append(b, quoted: false, to: &text)
                i += 1
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends a byte of a token; anything but printable ASCII (and a space inside quotes)
    /// becomes `\DDD`, so the token text stays ASCII and unescapes to the exact file bytes.
    func append(_ b: UInt8, quoted: Bool, to text: inout [UInt8]) {
        if (b >= 0x21 && b <= 0x7E) || (quoted && b == 0x20) {
            text.append(b)
        } else {
            text.append(0x5C)
            text.append(0x30 + b / 100)
            text.append(0x30 + (b / 10) % 10)
            text.append(0x30 + b % 10)
        }
    }

    /// Copies the escape at `i` (a backslash) into `text`, advancing past it. `\DDD` and `\X`
    /// are kept as written for the RDATA parser; an escaped non-printable byte (an escaped
    /// newline, say) becomes `\DDD`. False for a backslash at the end of the input.
    mutating func escape(into text: inout [UInt8]) -> Bool {
        guard i + 1 < bytes.count else { i += 1; return false }
        let n = bytes[i + 1]
        if n >= 0x20 && n <= 0x7E {
            text.append(0x5C)
            text.append(n)
            i += 2
        } else {
            append(n, quoted: false, to: &text)
            i += 2
            if n == 0x0A { newline() }
        }
        return true
    }

    func danglingBackslash() -> ZoneFileError {
        ZoneFileError(.badEscape, at: location(line, max(1, column - 1)), token: "\\",
                      message: "'\\' at the end of the file escapes nothing",
                      hint: "remove it, or write '\\\\' for a backslash", sourceLine: sourceLine(line))
    }
}
