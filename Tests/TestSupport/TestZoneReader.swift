import DNSWire
import ZoneFile

/// Reads inline zone text in table tests through the real zone-file parser. Leading white space
/// on each line is dropped first, so tests can indent their zone text freely (owners are
/// therefore always written out). Locations are `inline:<line>`.
public enum TestZoneReader {
    /// A parse failure, with the parser's compiler-style diagnostics.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ text: String, origin: Name? = nil) throws -> (records: [ResourceRecord], locations: [String]) {
        let flush = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.drop { $0 == " " || $0 == "\t" } }
            .joined(separator: "\n")
        let result = ZoneFileParser.parse(text: flush, origin: origin, fileName: "inline")
        guard result.isSuccess else { throw Failure(description: result.formattedDiagnostics(name: "inline")) }
        return (result.records.map(\.record), result.records.map { "inline:\($0.location.line)" })
    }
}
