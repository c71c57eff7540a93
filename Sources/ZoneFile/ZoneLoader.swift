import DNSWire
import Zone

/// Reads a zone file and builds the checked, immutable `Zone`: the one path shared by
/// `tack check` and the server's (re)load, so both accept and reject exactly the same files.
public enum ZoneLoader {
    /// The outcome of loading one zone file: the zone when it loads, and every diagnostic.
    public struct Result: Sendable {
        /// The zone, nil when there were errors.
        public let zone: Zone?
        /// Syntax diagnostics from the parser.
        public let parse: ZoneParseResult
        /// Semantic errors (one SOA, NS at the apex, CNAME rules, glue, ...); empty when the
        /// file did not parse, since checks run only on a complete record list.
        public let checkErrors: [ZoneError]
        /// Semantic warnings (the zone still loads).
        public let checkWarnings: [ZoneWarning]

        /// Number of errors of both kinds.
        public var errorCount: Int { parse.errors.count + checkErrors.count }

        /// Compiler-style diagnostics, then a summary line, for a terminal or a log.
        public func formattedDiagnostics(name: String, sourceLines: Bool = true) -> String {
            var parts: [String] = []
            for e in parse.errors { parts.append(sourceLines ? e.formatted : e.description) }
            for e in checkErrors { parts.append(e.description) }
            for w in parse.warnings { parts.append(sourceLines ? w.formatted : w.description) }
            for w in checkWarnings { parts.append(w.description) }
            let warnings = parse.warnings.count + checkWarnings.count
            func count(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
            parts.append("\(name): \(count(parse.records.count, "record")), \(count(errorCount, "error")), \(count(warnings, "warning"))")
            return parts.joined(separator: "\n")
        }
    }

    /// Parses and checks the zone file at `path` for the zone `origin`.
    public static func load(file path: String, origin: Name) -> Result {
        finish(ZoneFileParser.parse(file: path, origin: origin), origin: origin)
    }

    /// Parses and checks zone text (`fileName` is used in messages and for `$INCLUDE`).
    public static func load(text: String, origin: Name, fileName: String) -> Result {
        finish(ZoneFileParser.parse(text: text, origin: origin, fileName: fileName), origin: origin)
    }

    static func finish(_ parsed: ZoneParseResult, origin: Name) -> Result {
        guard parsed.isSuccess else {
            return Result(zone: nil, parse: parsed, checkErrors: [], checkWarnings: [])
        }
        let records = parsed.records
        let checked = Zone.check(origin: origin, records: records.map(\.record),
                                 locate: { i in "\(records[i].location.file):\(records[i].location.line)" })
        return Result(zone: checked.zone, parse: parsed, checkErrors: checked.errors, checkWarnings: checked.warnings)
    }
}
