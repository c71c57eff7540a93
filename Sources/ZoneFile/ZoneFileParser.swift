#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DNSWire

/// The RFC 1035 master-file parser (RFC 1035 5, RFC 3597 5, BIND's `$GENERATE`).
///
/// What it accepts:
/// - entries as `ZoneLexer` produces them: comments, parentheses, quoted strings, escapes;
/// - `$ORIGIN name`, `$TTL ttl`, `$INCLUDE file [origin]`, `$GENERATE range lhs [ttl] [class] type rhs`;
/// - records `owner [ttl] [class] type rdata` with TTL and class in either order, both optional;
///   `@` for the origin; a line starting with white space repeats the previous owner;
///   TTLs in seconds or BIND units (`1h30m`); `TYPEnnn`, `CLASSnnn` and `\#` generic RDATA.
///
/// What it decides, and why:
/// - Default TTL. A record without a TTL takes `$TTL` when one was given (RFC 2308 4). Without
///   `$TTL` it takes the last TTL written explicitly before it, as RFC 1035 5.1 says and BIND
///   does. When no TTL at all precedes the SOA, the SOA takes its own MINIMUM as TTL, with a
///   warning, and MINIMUM then acts as `$TTL` for the rest of the run (later records without a
///   TTL take it, even after an explicit TTL): that is BIND's behaviour (checked against
///   named-checkzone in BindCrossCheckTests) and what RFC 1035 3.3.13
///   meant by MINIMUM ("minimum TTL for any RR from this zone"), whereas RFC 2308 4 redefined
///   MINIMUM as the negative-caching TTL, which is why the warning asks for an explicit `$TTL`.
///   A record other than an SOA with no TTL to inherit is an error, as in BIND.
/// - Scope. `$ORIGIN` and the previous owner belong to the file being read: an `$INCLUDE`d file
///   starts with the origin given on the `$INCLUDE` line (or the includer's) and the includer's
///   previous owner, and the includer continues with its own origin and owner afterwards
///   (RFC 1035 5.1 for the origin; BIND for the owner). `$TTL` and the last explicit TTL carry
///   across files, as in BIND.
/// - `$INCLUDE` paths are relative to the directory of the including file (for text given
///   without a path, to the directory of `fileName`, or the working directory when it has none).
/// - Class. The zone's class is that of its first record (IN when the record names none); only
///   IN, and CH for identity zones (`version.bind`), are accepted; a record of another class
///   than the zone's is an error (RFC 1035 5.2: a file holds one class).
/// - `$GENERATE` follows BIND: `$` is the iterator, `${offset[,width[,base]]}` with bases d, o,
///   x, X, n, N, and `\$` a literal dollar. The rhs may be several fields; a quoted rhs field is
///   split into fields after substitution, as BIND does with its one rhs string. At most
///   `ZoneFileLimits.maxGenerateRecords` records per directive.
/// - Errors. Each error spoils one entry; the parser carries on at the next line outside
///   parentheses and reports every error, up to `ZoneFileLimits.maxErrors`.
public enum ZoneFileParser {
    /// Parses zone text. `origin` is the initial `$ORIGIN` (nil: relative names are errors until
    /// the text sets one); `fileName` is used in locations and to resolve `$INCLUDE`.
    public static func parse(text: String, origin: Name?, fileName: String = "<input>") -> ZoneParseResult {
        parse(bytes: Array(text.utf8), origin: origin, fileName: fileName)
    }

    /// Parses zone bytes (see `parse(text:origin:fileName:)`).
    public static func parse(bytes: [UInt8], origin: Name?, fileName: String = "<input>") -> ZoneParseResult {
        collecting { parse(bytes: bytes, origin: origin, fileName: fileName, onRecord: $0) }
    }

    /// Runs a streaming parse and keeps its records in the result.
    private static func collecting(_ parse: (@escaping (ParsedRecord) -> Void) -> ZoneParseResult) -> ZoneParseResult {
        var records: [ParsedRecord] = []
        var result = parse { records.append($0) }
        result.records = records
        return result
    }

    /// Parses zone bytes, handing each record to `onRecord` in file order instead of keeping
    /// them: the result's `records` is empty and `recordCount` counts what was handed over.
    /// A loader that builds the zone as it reads never holds the file's records twice.
    public static func parse(bytes: [UInt8], origin: Name?, fileName: String = "<input>",
                             onRecord: @escaping (ParsedRecord) -> Void) -> ZoneParseResult {
        var run = Run(emit: onRecord)
        if let canonical = canonicalPath(fileName) { run.includeStack.append((canonical, fileName)) }
        run.parseFile(bytes: bytes, file: fileName, origin: origin, depth: 0)
        return run.result
    }

    /// Reads and parses the zone file at `path`; an unreadable file is one error in the result.
    public static func parse(file path: String, origin: Name?) -> ZoneParseResult {
        collecting { parse(file: path, origin: origin, onRecord: $0) }
    }

    /// Reads the zone file at `path` and parses it, handing each record to `onRecord` (see
    /// `parse(bytes:origin:fileName:onRecord:)`).
    public static func parse(file path: String, origin: Name?, onRecord: @escaping (ParsedRecord) -> Void) -> ZoneParseResult {
        switch readWholeFile(path) {
        case .success(let bytes):
            return parse(bytes: bytes, origin: origin, fileName: path, onRecord: onRecord)
        case .failure(let e):
            return ZoneParseResult(errors: [ZoneFileError(
                .unreadableFile, at: SourceLocation(file: path, line: 1, column: 1),
                message: "cannot read the zone file: \(e.message)",
                hint: "check the path and the file's permissions")])
        }
    }

    // MARK: - One run

    /// The state of one parse across all its files.
    struct Run {
        /// Receives each record that parsed, in file order.
        let emit: (ParsedRecord) -> Void
        var recordCount = 0
        var errors: [ZoneFileError] = []
        var warnings: [ZoneFileWarning] = []
        /// `$TTL`, once given.
        var defaultTTL: UInt32?
        /// The last TTL written on a record (or taken from the SOA MINIMUM).
        var lastTTL: UInt32?
        var zoneClass: RRClass?
        var zoneClassLocation: SourceLocation?
        /// Files being read, outermost first: canonical path and the name shown to the user.
        var includeStack: [(canonical: String, shown: String)] = []
        var stopped = false

        var result: ZoneParseResult {
            ZoneParseResult(recordCount: recordCount, errors: errors, warnings: warnings, zoneClass: zoneClass)
        }

        mutating func report(_ e: ZoneFileError) {
            guard !stopped else { return }
            errors.append(e)
            if errors.count >= ZoneFileLimits.maxErrors {
                stopped = true
                errors.append(ZoneFileError(
                    .tooManyErrors, at: e.location,
                    message: "stopped after \(ZoneFileLimits.maxErrors) errors; the rest of the zone was not checked",
                    hint: "fix the errors above and run again"))
            }
        }

        mutating func parseFile(bytes: [UInt8], file: String, origin: Name?, previousOwner: Name? = nil,
                                outerOrigin: Name? = nil, depth: Int) {
            var f = Frame(lexer: ZoneLexer(bytes: bytes, file: file), file: file,
                          directory: directoryOf(file), origin: origin, depth: depth)
            f.previousOwner = previousOwner
            f.originChangedSinceOwner = previousOwner != nil && origin != outerOrigin
            while !stopped, let item = f.lexer.next() {
                switch item {
                case .failed(let e):
                    report(e)
                case .entry(let entry):
                    do {
                        if let d = entry.tokens.first, !d.quoted, d.text.hasPrefix("$") {
                            try directive(entry, &f)
                        } else {
                            try record(entry, &f)
                        }
                    } catch {
                        report(error)
                    }
                }
            }
        }

        // MARK: records

        mutating func record(_ entry: ZoneEntry, _ f: inout Frame) throws(ZoneFileError) {
            let tokens = entry.tokens
            let owner: Name
            var index = 0
            if entry.startsWithBlank {
                // The owner line was already reported; its continuation lines would only repeat
                // the error (or, worse, attach to an older owner), so they are skipped.
                if f.previousOwnerFailed { return }
                guard let previous = f.previousOwner else {
                    throw f.error(.missingOwner, at: tokens[0],
                                  message: "the line starts with white space but there is no previous owner name to repeat",
                                  hint: "write the owner name at the very start of the line")
                }
                owner = previous
                if f.originChangedSinceOwner {
                    // Readers expect the new origin; BIND warns here too.
                    f.originChangedSinceOwner = false
                    warnings.append(ZoneFileWarning(
                        at: f.location(tokens[0]),
                        message: "the owner \(owner) is inherited from before the origin changed to \(f.origin.map(\.description) ?? "none")",
                        hint: "write the owner name at the start of the line", sourceLine: f.lexer.sourceLine(tokens[0].line)))
                }
            } else {
                f.previousOwnerFailed = true
                owner = try f.ownerName(tokens[0])
                f.previousOwner = owner
                f.previousOwnerFailed = false
                f.originChangedSinceOwner = false
                index = 1
            }
            let head = try recordHead(tokens, from: index, after: tokens[max(0, index - 1)], &f)
            let rr = try makeRecord(owner: owner, head: head, rdata: tokens[head.rdataStart...], &f)
            emit(ParsedRecord(rr, location: f.location(tokens[0])))
            recordCount += 1
        }

        /// The TTL, class and type of a record or `$GENERATE`, and where its RDATA starts.
        struct RecordHead {
            var ttl: UInt32?
            var ttlToken: ZoneToken?
            var rclass: RRClass?
            var classToken: ZoneToken?
            var type: RRType
            var typeToken: ZoneToken
            var rdataStart: Int
        }

        /// Reads `[ttl] [class] type` or `[class] [ttl] type` from `start`.
        mutating func recordHead(_ tokens: [ZoneToken], from start: Int, after previous: ZoneToken,
                                 _ f: inout Frame) throws(ZoneFileError) -> RecordHead {
            var i = start
            var ttl: UInt32?, ttlToken: ZoneToken?
            var rclass: RRClass?, classToken: ZoneToken?
            while i < tokens.count, i < start + 2 {
                let t = tokens[i]
                if t.quoted { break }
                if let first = t.text.utf8.first, first >= 0x30 && first <= 0x39 {
                    guard ttl == nil else {
                        throw f.error(.unknownType, at: t, message: "a second TTL '\(t.text)' where the record type should be",
                                      expected: "a record type such as A, NS or MX",
                                      hint: "give at most one TTL per record")
                    }
                    guard let v = parseTTL(t.text) else { throw f.badTTL(t) }
                    ttl = v; ttlToken = t
                    warnLongTTL(v, t, f)
                } else if rclass == nil, let c = RRClass(mnemonic: t.text), RRType(mnemonic: t.text) == nil {
                    // "ANY" names both a class and a type; as the type it gets the clearer error.
                    rclass = c; classToken = t
                } else {
                    break
                }
                i += 1
            }
            guard i < tokens.count else {
                let last = i > 0 ? tokens[i - 1] : previous
                throw f.error(.missingType, after: last, message: "missing record type",
                              expected: "a record type such as A, NS or MX after '\(last.text)'",
                              hint: "every record needs a type and its data, e.g. 'www 3600 IN A 192.0.2.1'")
            }
            let t = tokens[i]
            guard !t.quoted, let type = RRType(mnemonic: t.text) else {
                if !t.quoted, RRClass(mnemonic: t.text) != nil {
                    throw f.error(.unknownType, at: t, message: "class '\(t.text)' given twice",
                                  expected: "a record type", hint: "give at most one class per record")
                }
                if !t.quoted, let first = t.text.utf8.first, first >= 0x30 && first <= 0x39 {
                    throw f.error(.unknownType, at: t, message: "'\(t.text)' where the record type should be",
                                  expected: "a record type such as A, NS or MX",
                                  hint: "give at most one TTL per record, before the type")
                }
                throw f.error(.unknownType, at: t, message: "unknown record type '\(t.text)'",
                              expected: "a type mnemonic such as A, AAAA, NS, MX, TXT or the generic TYPEnnn",
                              hint: "for a type Tack does not name, write 'TYPEnnn \\# length hex' (RFC 3597 5)")
            }
            if type.isMetaOrQType || type.rawValue == 0 {
                throw f.error(.metaType, at: t, message: "\(type) is a query or meta type and cannot be stored in a zone",
                              expected: "a data type (RFC 6895 3.1)", hint: "remove the record")
            }
            return RecordHead(ttl: ttl, ttlToken: ttlToken, rclass: rclass, classToken: classToken,
                              type: type, typeToken: t, rdataStart: i + 1)
        }

        /// Checks the class, parses the RDATA and settles the TTL of one record.
        mutating func makeRecord(owner: Name, head: RecordHead, rdata: ArraySlice<ZoneToken>,
                                 _ f: inout Frame) throws(ZoneFileError) -> ResourceRecord {
            let rclass = head.rclass ?? zoneClass ?? .in
            let classAt = head.classToken ?? head.typeToken
            if let zc = zoneClass {
                if rclass != zc {
                    let wher = zoneClassLocation.map { " (set at \($0))" } ?? ""
                    throw f.error(.classMismatch, at: classAt,
                                  message: "record of class \(rclass) in a zone of class \(zc)\(wher)",
                                  expected: "class \(zc) or no class",
                                  hint: "a zone file holds records of one class (RFC 1035 5.2); remove the class or move the record")
                }
            } else {
                guard rclass == .in || rclass == .ch else {
                    throw f.error(.unsupportedClass, at: classAt, message: "class \(rclass) is not served by Tack",
                                  expected: "IN, or CH for server identity zones",
                                  hint: "use class IN (or leave the class out)")
                }
                zoneClass = rclass
                zoneClassLocation = f.location(classAt)
            }
            guard !rdata.isEmpty else {
                throw f.error(.missingRData, after: head.typeToken, message: "missing RDATA for the \(head.type) record",
                              expected: "the \(head.type) record's data after the type",
                              hint: "write the data after the type, or '\\# 0' for empty RDATA (RFC 3597 5)")
            }
            var reader = FieldReader(rdata.map(\.token), origin: f.origin)
            let value: RData
            do {
                value = try RData.parse(type: head.type, fields: &reader)
            } catch {
                let hint = f.origin == nil && error.message.contains("without an origin")
                    ? "end the name with '.' or set $ORIGIN" : nil
                if let ix = error.token, ix >= rdata.count {
                    throw f.error(.missingRData, after: rdata[rdata.endIndex - 1],
                                  message: "incomplete \(head.type) RDATA: \(error.message)",
                                  expected: "more \(head.type) fields",
                                  hint: hint ?? "write every field of the \(head.type) record")
                }
                let at = rdata[rdata.startIndex + min(error.token ?? 0, rdata.count - 1)]
                throw f.error(.badRData, at: at, message: "bad \(head.type) RDATA: \(error.message)",
                              hint: hint ?? "fix this field, or write the data in the generic form '\\# length hex' (RFC 3597 5)")
            }
            let ttl: UInt32
            if let t = head.ttl {
                ttl = t
                lastTTL = t
            } else if let t = defaultTTL {
                ttl = t
            } else if let t = lastTTL {
                ttl = t
            } else if case .soa(let soa) = value {
                // BIND makes MINIMUM the default from here on, like a $TTL line: later
                // records without a TTL take it even after an explicit TTL.
                ttl = soa.minimum
                defaultTTL = soa.minimum
                warnings.append(ZoneFileWarning(
                    at: f.location(head.typeToken),
                    message: "no TTL given before the SOA; using its MINIMUM \(soa.minimum) as the TTL (RFC 1035 semantics)",
                    hint: "add '$TTL <seconds>' at the top of the file: RFC 2308 4 made MINIMUM the negative-caching TTL",
                    sourceLine: f.lexer.sourceLine(head.typeToken.line)))
            } else {
                throw f.error(.missingTTL, at: head.typeToken, message: "the record has no TTL and none was set before it",
                              expected: "a TTL before the type, or a $TTL line earlier",
                              hint: "add '$TTL 3600' (or your default) at the top of the file")
            }
            return ResourceRecord(owner, ttl: ttl, value, rclass: rclass)
        }

        /// RFC 2181 8: TTLs with the top bit set are treated as zero by resolvers.
        mutating func warnLongTTL(_ v: UInt32, _ t: ZoneToken, _ f: Frame) {
            if v > UInt32(Int32.max) {
                warnings.append(ZoneFileWarning(
                    at: f.location(t), message: "TTL \(v) is over 2147483647; resolvers treat it as 0 (RFC 2181 8)",
                    hint: "use a TTL of at most 2147483647 seconds", sourceLine: f.lexer.sourceLine(t.line)))
            }
        }

        // MARK: directives

        mutating func directive(_ entry: ZoneEntry, _ f: inout Frame) throws(ZoneFileError) {
            let d = entry.tokens[0]
            let args = Array(entry.tokens.dropFirst())
            switch d.text.uppercased() {
            case "$ORIGIN":
                try f.expectArguments(args, d, 1...1, usage: "$ORIGIN <domain-name>")
                f.origin = try f.name(args[0], what: "origin")
                f.originChangedSinceOwner = f.previousOwner != nil
            case "$TTL":
                try f.expectArguments(args, d, 1...1, usage: "$TTL <ttl>")
                guard !args[0].quoted, let v = parseTTL(args[0].text) else { throw f.badTTL(args[0]) }
                warnLongTTL(v, args[0], f)
                defaultTTL = v
            case "$INCLUDE":
                try f.expectArguments(args, d, 1...2, usage: "$INCLUDE <file-name> [<domain-name>]")
                try include(args, d, &f)
            case "$GENERATE":
                try generate(args, d, &f)
            default:
                throw f.error(.unknownDirective, at: d, message: "unknown directive '\(d.text)'",
                              expected: "$ORIGIN, $TTL, $INCLUDE or $GENERATE",
                              hint: "to start an owner name with '$', escape it as '\\$'")
            }
        }

        mutating func include(_ args: [ZoneToken], _ d: ZoneToken, _ f: inout Frame) throws(ZoneFileError) {
            guard let raw = unescape(args[0].text), !raw.isEmpty, !raw.contains(0) else {
                throw f.error(.badDirective, at: args[0], message: "bad file name '\(args[0].text)' in $INCLUDE",
                              hint: "write the path of the file to include")
            }
            let given = String(decoding: raw, as: UTF8.self)
            let origin = args.count == 2 ? try f.name(args[1], what: "$INCLUDE origin") : f.origin
            let path = given.hasPrefix("/") || f.directory.isEmpty ? given : f.directory + "/" + given
            guard f.depth < ZoneFileLimits.maxIncludeDepth else {
                throw f.error(.includeTooDeep, at: args[0],
                              message: "$INCLUDE nested more than \(ZoneFileLimits.maxIncludeDepth) levels deep",
                              hint: "flatten the chain of included files")
            }
            guard let canonical = canonicalPath(path) else {
                let reason = String(cString: strerror(errno))
                throw f.error(.includeFailed, at: args[0], message: "cannot include '\(path)': \(reason)",
                              hint: "paths are relative to the directory of the including file")
            }
            if let loopStart = includeStack.firstIndex(where: { $0.canonical == canonical }) {
                let chain = (includeStack[loopStart...].map(\.shown) + [path]).joined(separator: " -> ")
                throw f.error(.includeLoop, at: args[0], message: "include loop: \(chain)",
                              hint: "remove the $INCLUDE that leads back to a file already being read")
            }
            let bytes: [UInt8]
            switch readWholeFile(path) {
            case .success(let b): bytes = b
            case .failure(let e):
                throw f.error(.includeFailed, at: args[0], message: "cannot include '\(path)': \(e.message)",
                              hint: "check the path and the file's permissions")
            }
            includeStack.append((canonical, path))
            parseFile(bytes: bytes, file: path, origin: origin, previousOwner: f.previousOwner, outerOrigin: f.origin,
                      depth: f.depth + 1)
            includeStack.removeLast()
        }

        mutating func generate(_ args: [ZoneToken], _ d: ZoneToken, _ f: inout Frame) throws(ZoneFileError) {
            let usage = "$GENERATE <start>-<stop>[/<step>] <lhs> [<ttl>] [<class>] <type> <rhs>"
            guard args.count >= 2 else {
                throw f.error(.badGenerate, after: args.last ?? d, message: "$GENERATE needs a range, an owner template, a type and data",
                              expected: usage, hint: "for example '$GENERATE 1-10 host$ A 192.0.2.$'")
            }
            let rangeToken = args[0]
            guard let range = GenerateRange(rangeToken.text) else {
                throw f.error(.badGenerate, at: rangeToken, message: "bad $GENERATE range '\(rangeToken.text)'",
                              expected: "<start>-<stop>[/<step>] with start <= stop and step >= 1",
                              hint: "for example 1-100 or 0-254/2")
            }
            guard range.count <= ZoneFileLimits.maxGenerateRecords else {
                throw f.error(.badGenerate, at: rangeToken,
                              message: "$GENERATE range '\(rangeToken.text)' makes \(range.count) records, more than \(ZoneFileLimits.maxGenerateRecords)",
                              hint: "split the range, or check for a missing '/step'")
            }
            let lhs: GenerateTemplate
            do { lhs = try GenerateTemplate(args[1].text) } catch {
                throw f.error(.badGenerate, at: args[1], message: "bad $GENERATE owner template: \(error.message)",
                              hint: "use $ or ${offset,width,base}; write \\$ for a literal dollar")
            }
            let head = try recordHead(args, from: 2, after: args[1], &f)
            let rhsTokens = Array(args[head.rdataStart...])
            guard !rhsTokens.isEmpty else {
                throw f.error(.missingRData, after: head.typeToken, message: "missing $GENERATE data template",
                              expected: usage, hint: "write the record data after the type, using $ for the iterator")
            }
            var rhs: [GenerateTemplate] = []
            for t in rhsTokens {
                do { rhs.append(try GenerateTemplate(t.text)) } catch {
                    throw f.error(.badGenerate, at: t, message: "bad $GENERATE data template: \(error.message)",
                                  hint: "use $ or ${offset,width,base}; write \\$ for a literal dollar")
                }
            }
            // All or nothing: a failing value leaves no partial set of records behind.
            var made: [ParsedRecord] = []
            made.reserveCapacity(range.count)
            var n = range.start
            while n <= range.stop {
                let ownerText: String
                do { ownerText = try lhs.expand(n) } catch {
                    throw f.error(.badGenerate, at: args[1], message: "$GENERATE value \(n): \(error.message)",
                                  hint: "choose an offset that keeps values non-negative")
                }
                let owner: Name
                do { owner = try Name(parsing: ownerText, origin: f.origin) } catch {
                    throw f.error(.badName, at: args[1], message: "$GENERATE value \(n) makes the bad owner name '\(ownerText)': \(error.message)",
                                  hint: f.origin == nil ? "end the template with '.' or set $ORIGIN" : "check the owner template")
                }
                var fields: [ZoneToken] = []
                for (t, template) in zip(rhsTokens, rhs) {
                    let text: String
                    do { text = try template.expand(n) } catch {
                        throw f.error(.badGenerate, at: t, message: "$GENERATE value \(n): \(error.message)",
                                      hint: "choose an offset that keeps values non-negative")
                    }
                    if t.quoted {
                        // BIND substitutes into its rhs string, then reads it as RDATA text.
                        var lx = ZoneLexer(bytes: Array(text.utf8), file: f.file)
                        if case .entry(let e)? = lx.next() {
                            for var sub in e.tokens {
                                sub.line = t.line; sub.column = t.column; sub.endColumn = t.endColumn
                                fields.append(sub)
                            }
                        }
                    } else {
                        fields.append(ZoneToken(token: PresentationToken(text), line: t.line, column: t.column,
                                                endColumn: t.endColumn))
                    }
                }
                do {
                    let rr = try makeRecord(owner: owner, head: head, rdata: fields[...], &f)
                    made.append(ParsedRecord(rr, location: f.location(d)))
                } catch {
                    var e = error
                    e.message = "$GENERATE value \(n): " + e.message
                    throw e
                }
                n += range.step
            }
            made.forEach(emit)
            recordCount += made.count
        }
    }

    // MARK: - Per-file state

    /// The state of one file being read: its lexer, origin and previous owner.
    struct Frame {
        var lexer: ZoneLexer
        let file: String
        let directory: String
        var origin: Name?
        var previousOwner: Name?
        /// True after an owner name that did not parse, until the next good one.
        var previousOwnerFailed = false
        /// True when the origin changed after the previous owner was written (warned once).
        var originChangedSinceOwner = false
        /// The last owner written out and the origin it was read against: zones often write
        /// the same owner on consecutive lines, and it is parsed once.
        var lastOwner: (text: String, origin: Name?, name: Name)?
        let depth: Int

        init(lexer: ZoneLexer, file: String, directory: String, origin: Name?, depth: Int) {
            self.lexer = lexer
            self.file = file
            self.directory = directory
            self.origin = origin
            self.depth = depth
        }

        func location(_ t: ZoneToken) -> SourceLocation {
            SourceLocation(file: file, line: t.line, column: t.column)
        }

        func error(_ code: ZoneFileError.Code, at t: ZoneToken, message: String, expected: String? = nil,
                   hint: String? = nil) -> ZoneFileError {
            ZoneFileError(code, at: location(t), token: t.quoted ? "\"\(t.text)\"" : t.text, message: message,
                          expected: expected, hint: hint, sourceLine: lexer.sourceLine(t.line))
        }

        /// An error about something missing after token `t`: located just past it.
        func error(_ code: ZoneFileError.Code, after t: ZoneToken, message: String, expected: String? = nil,
                   hint: String? = nil) -> ZoneFileError {
            ZoneFileError(code, at: SourceLocation(file: file, line: t.line, column: t.endColumn), token: nil,
                          message: message, expected: expected, hint: hint, sourceLine: lexer.sourceLine(t.line))
        }

        func badTTL(_ t: ZoneToken) -> ZoneFileError {
            error(.badTTL, at: t, message: "bad TTL '\(t.text)'",
                  expected: "seconds (0 to 4294967295) or a duration like 1h30m (units w, d, h, m, s)",
                  hint: "every number needs a unit after it once units are used: write 1h30m, not 1h30")
        }

        /// An owner name written at the start of a line.
        mutating func ownerName(_ t: ZoneToken) throws(ZoneFileError) -> Name {
            if !t.quoted, let last = lastOwner, last.text == t.text, last.origin?.wire == origin?.wire { return last.name }
            let n = try name(t, what: "owner name")
            lastOwner = t.quoted ? nil : (t.text, origin, n)
            return n
        }

        func name(_ t: ZoneToken, what: String) throws(ZoneFileError) -> Name {
            do {
                return try Name(parsing: t.text, origin: origin)
            } catch {
                throw self.error(.badName, at: t, message: "bad \(what) '\(t.text)': \(error.message)",
                                 hint: origin == nil ? "end the name with '.' or set $ORIGIN before it" : "fix the name")
            }
        }

        func expectArguments(_ args: [ZoneToken], _ d: ZoneToken, _ range: ClosedRange<Int>,
                             usage: String) throws(ZoneFileError) {
            if args.count < range.lowerBound {
                throw error(.badDirective, after: args.last ?? d, message: "\(d.text) needs an argument",
                            expected: usage, hint: "write it as '\(usage)'")
            }
            if args.count > range.upperBound {
                let extra = args[range.upperBound]
                throw error(.badDirective, at: extra, message: "unexpected '\(extra.text)' after \(d.text)",
                            expected: usage, hint: "remove it, or start a comment with ';'")
            }
        }
    }
}

/// `start-stop[/step]` of `$GENERATE`.
struct GenerateRange: Equatable {
    var start: Int
    var stop: Int
    var step: Int

    init?(_ text: String) {
        let slash = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bounds = slash[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2, let a = UInt32(bounds[0]), let b = UInt32(bounds[1]), a <= b else { return nil }
        var step: UInt32 = 1
        if slash.count == 2 {
            guard let s = UInt32(slash[1]), s >= 1 else { return nil }
            step = s
        }
        self.start = Int(a); self.stop = Int(b); self.step = Int(step)
    }

    /// Number of values in the range.
    var count: Int { (stop - start) / step + 1 }
}

// MARK: - Files

struct FileReadError: Error { var message: String }

/// The directory part of a path ("" when there is none).
func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// The absolute path with symbolic links resolved, or nil when it does not exist.
func canonicalPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}

/// Reads a whole file into memory.
func readWholeFile(_ path: String) -> Result<[UInt8], FileReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(FileReadError(message: String(cString: strerror(errno)))) }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return .failure(FileReadError(message: String(cString: strerror(errno))))
        }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return .success(out)
}
