/// Bounds on what one zone-file parse may do, so a hostile or broken file cannot exhaust
/// memory, file descriptors or the operator's patience.
public enum ZoneFileLimits {
    /// Errors reported before the parser gives up on the run. Enough to show every mistake of a
    /// hand-edited file; beyond this a file is usually not a zone file at all (a binary, the
    /// wrong path), and thousands of lines of output help nobody.
    public static let maxErrors = 100

    /// Nesting depth of `$INCLUDE` (RFC 1035 5.1). Each level holds an open file and a parser
    /// frame; real zones use one or two levels. miekg/dns uses 7, Knot a similar small bound;
    /// a loop is caught separately, this stops long non-looping chains.
    public static let maxIncludeDepth = 8

    /// Records one `$GENERATE` may create. 65536 covers a full /16 of reverse PTRs or a
    /// `0-65535` range; larger ranges are almost always a typo (a missing `/step`) that would
    /// otherwise fill memory with millions of records.
    public static let maxGenerateRecords = 65536

    /// Widest `${offset,width,base}` field in `$GENERATE`: a label holds at most 63 octets
    /// (RFC 1035 2.3.4), and a nibble-mode name of a 32-bit value needs 15 characters.
    public static let maxGenerateWidth = 63
}
