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
            parts.append("\(name): \(count(parse.recordCount, "record")), \(count(errorCount, "error")), \(count(warnings, "warning"))")
            return parts.joined(separator: "\n")
        }
    }

    /// Parses and checks the zone file at `path` for the zone `origin`. Each record is handed to
    /// `onRecord` (with where it was written) as it parses, for checks that need the source
    /// lines; the records are not kept otherwise.
    public static func load(file path: String, origin: Name, onRecord: ((ParsedRecord) -> Void)? = nil) -> Result {
        build(origin: origin, onRecord: onRecord) { ZoneFileParser.parse(file: path, origin: origin, onRecord: $0) }
    }

    /// Parses and checks zone text (`fileName` is used in messages and for `$INCLUDE`).
    public static func load(text: String, origin: Name, fileName: String, onRecord: ((ParsedRecord) -> Void)? = nil) -> Result {
        build(origin: origin, onRecord: onRecord) {
            ZoneFileParser.parse(bytes: Array(text.utf8), origin: origin, fileName: fileName, onRecord: $0)
        }
    }

    /// Builds the zone while the parser reads: each record goes straight into the builder, and
    /// its location into a packed log read only when a message names the record. Checks run
    /// only when the whole file parsed.
    static func build(origin: Name, onRecord: ((ParsedRecord) -> Void)?,
                      parse: (@escaping (ParsedRecord) -> Void) -> ZoneParseResult) -> Result {
        let log = LocationLog()
        var builder = ZoneBuilder(origin: origin, locate: log.describe)
        let parsed = parse { p in
            onRecord?(p)
            log.append(p.location)
            builder.add(p.record)
        }
        guard parsed.isSuccess else {
            return Result(zone: nil, parse: parsed, checkErrors: [], checkWarnings: [])
        }
        let checked = builder.finish()
        return Result(zone: checked.zone, parse: parsed, checkErrors: checked.errors, checkWarnings: checked.warnings)
    }
}

/// Where each record of one load was written, 8 octets a record: the file as an index into
/// the (few) file names, and the line.
final class LocationLog {
    private var files: [String] = []
    private var current = -1
    private var packed: [UInt64] = []

    func append(_ l: SourceLocation) {
        if current < 0 || files[current] != l.file {
            if let i = files.firstIndex(of: l.file) {
                current = i
            } else {
                current = files.count
                files.append(l.file)
            }
        }
        packed.append(UInt64(current) << 32 | UInt64(UInt32(truncatingIfNeeded: l.line)))
    }

    /// "file:line" of the `i`-th record.
    func describe(_ i: Int) -> String? {
        guard i < packed.count else { return nil }
        return "\(files[Int(packed[i] >> 32)]):\(packed[i] & 0xffff_ffff)"
    }
}
