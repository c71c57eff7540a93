import DNSWire

/// A record read from a zone file, with where it was written (the start of its entry, or the
/// `$GENERATE` line that made it).
public struct ParsedRecord: Sendable, Hashable {
    /// The record, with its TTL and class settled.
    public var record: ResourceRecord
    /// Where it was written.
    public var location: SourceLocation

    /// A record and where it was written.
    public init(_ record: ResourceRecord, location: SourceLocation) {
        self.record = record
        self.location = location
    }
}

/// Everything one parse of a zone file found: the records that parsed, every error (up to
/// `ZoneFileLimits.maxErrors`) and every warning, each with its file:line:column.
/// Records are in file order, with included files' records at the `$INCLUDE`.
public struct ZoneParseResult: Sendable {
    /// The records that parsed, in file order (empty when they were handed to a callback as
    /// they parsed, see `ZoneFileParser.parse(bytes:origin:fileName:onRecord:)`).
    public var records: [ParsedRecord] {
        didSet { recordCount = records.count }
    }
    /// How many records parsed.
    public var recordCount: Int
    /// Every error, in the order found; at most `ZoneFileLimits.maxErrors` plus a final `tooManyErrors`.
    public var errors: [ZoneFileError]
    /// Every warning, in the order found.
    public var warnings: [ZoneFileWarning]
    /// The class of the zone's records (IN unless the file says CH), nil when there are none.
    public var zoneClass: RRClass?

    /// A result from its parts.
    public init(records: [ParsedRecord] = [], errors: [ZoneFileError] = [], warnings: [ZoneFileWarning] = [],
                zoneClass: RRClass? = nil) {
        self.records = records
        self.recordCount = records.count
        self.errors = errors
        self.warnings = warnings
        self.zoneClass = zoneClass
    }

    /// A result whose records went to a callback: only their count is kept.
    init(recordCount: Int, errors: [ZoneFileError], warnings: [ZoneFileWarning], zoneClass: RRClass?) {
        self.init(errors: errors, warnings: warnings, zoneClass: zoneClass)
        self.recordCount = recordCount
    }

    /// True when the file had no errors (warnings allowed).
    public var isSuccess: Bool { errors.isEmpty }

    /// One line for a CLI: `db.example: 120 records, 2 errors, 1 warning`.
    public func summary(name: String) -> String {
        func count(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
        return "\(name): \(count(recordCount, "record")), \(count(errors.count, "error")), \(count(warnings.count, "warning"))"
    }

    /// Every diagnostic for a terminal, compiler style: each error, then each warning, as
    /// `file:line:col: error: message` with the source line, a caret and a hint; then the
    /// summary line. This is what `tack check` prints.
    public func formattedDiagnostics(name: String, sourceLines: Bool = true) -> String {
        var parts: [String] = []
        for e in errors { parts.append(sourceLines ? e.formatted : e.description) }
        for w in warnings { parts.append(sourceLines ? w.formatted : w.description) }
        parts.append(summary(name: name))
        return parts.joined(separator: "\n")
    }
}
