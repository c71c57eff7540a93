import DNSWire

/// A problem that stops a zone from loading: what is wrong, at which owner name and record
/// location, and what to do about it.
public struct ZoneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of zone errors, each tied to the rule it enforces.
    public enum Code: Sendable, Equatable {
        /// No SOA record at the apex (RFC 1035 5.2: exactly one SOA at the top of the zone).
        case missingSOA
        /// More than one SOA record at the apex (RFC 1035 5.2).
        case multipleSOA
        /// An SOA record at a name other than the apex (RFC 1035 5.2).
        case soaNotAtApex
        /// No NS record at the apex (RFC 1034 4.2.1).
        case missingApexNS
        /// CNAME beside other data at the same name (RFC 1034 3.6.2, RFC 2181 10.1).
        case cnameAndOtherData
        /// More than one CNAME record at a name (RFC 2181 10.1).
        case multipleCNAME
        /// More than one DNAME record at a name (RFC 6672 2.4).
        case multipleDNAME
        /// Data below a DNAME owner (RFC 6672 2.4: such names are never reachable). Knot 3.2
        /// refuses the zone ("child record exists under DNAME", a mandatory check even with
        /// semantic checks off); BIND 9.18 named-checkzone loads it silently. Tack follows Knot:
        /// the data could never be served, so it is almost certainly a mistake.
        case dataBelowDNAME
        /// A record whose owner is not at or below the zone origin.
        case outOfZone
        /// An in-bailiwick name server of a delegation has no A or AAAA glue (RFC 1034 4.2.1).
        case missingGlue
        /// A record of a class other than IN; Tack serves class IN only.
        case unsupportedClass
        /// A meta or query-only type (OPT, ANY, AXFR...) used as a record type (RFC 6895 3.1).
        case metaType
        /// Two zones with the same apex given to one `ZoneSet`.
        case duplicateZone
    }

    /// What kind of problem this is.
    public let code: Code
    /// The zone origin.
    public let zone: Name
    /// The owner name of the offending record (the apex for zone-wide problems).
    public let owner: Name
    /// Where the offending record came from ("file:line"), when known.
    public let location: String?
    /// What is wrong.
    public let message: String
    /// What to do about it.
    public let hint: String

    public init(_ code: Code, zone: Name, owner: Name, location: String?, message: String, hint: String) {
        self.code = code; self.zone = zone; self.owner = owner; self.location = location
        self.message = message; self.hint = hint
    }

    /// Compiler style: `file:line: error: zone example.: www.example.: message; hint`.
    public var description: String {
        "\(location.map { "\($0): " } ?? "")error: zone \(zone): \(owner): \(message); \(hint)"
    }
}

/// A problem that does not stop a zone from loading, printed by `tack check` and at load.
public struct ZoneWarning: Sendable, Equatable, CustomStringConvertible {
    /// The kinds of zone warnings.
    public enum Code: Sendable, Equatable {
        /// Records of one RRset with different TTLs (RFC 2181 5.2 forbids it). The first TTL
        /// is used for the whole RRset, as BIND 9.18 does ("TTL set to prior TTL"); Knot 3.2
        /// keeps the last one read instead.
        case ttlMismatch
        /// The same record given twice; the copy is dropped (RFC 2181 5: an RRset is a set).
        case duplicateRecord
        /// A record at or below a delegation that is neither NS/DS at the cut nor an address
        /// record of a name server (glue): it is never served as an answer (RFC 1034 4.2.1).
        /// BIND and Knot load such data silently.
        case occluded
    }

    /// What kind of warning this is.
    public let code: Code
    /// The zone origin.
    public let zone: Name
    /// The owner name of the record concerned.
    public let owner: Name
    /// Where the record came from ("file:line"), when known.
    public let location: String?
    /// What happened and what Tack does about it.
    public let message: String

    public init(_ code: Code, zone: Name, owner: Name, location: String?, message: String) {
        self.code = code; self.zone = zone; self.owner = owner; self.location = location
        self.message = message
    }

    /// Compiler style: `file:line: warning: zone example.: owner: message`.
    public var description: String {
        "\(location.map { "\($0): " } ?? "")warning: zone \(zone): \(owner): \(message)"
    }
}
