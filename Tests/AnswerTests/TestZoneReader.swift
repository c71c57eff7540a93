import DNSWire

/// Test-only zone text reader until the ZoneFile parser lands: one record per line,
/// `owner ttl class type rdata`, absolute names, `;` comments and blank lines skipped.
/// Locations are `inline:<line>`.
enum TestZoneReader {
    struct Failure: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "inline:\(line): \(message)" }
    }

    static func read(_ text: String) throws -> (records: [ResourceRecord], locations: [String]) {
        var records: [ResourceRecord] = []
        var locations: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.hasPrefix(";") { continue }
            let tokens = FieldReader.tokenize(String(line))
            guard tokens.count >= 4 else { throw Failure(line: n + 1, message: "need owner ttl class type rdata") }
            let owner = try Name(parsing: tokens[0].text)
            guard let ttl = parseTTL(tokens[1].text) else { throw Failure(line: n + 1, message: "bad TTL \(tokens[1].text)") }
            guard let cls = RRClass(mnemonic: tokens[2].text) else { throw Failure(line: n + 1, message: "bad class") }
            guard let type = RRType(mnemonic: tokens[3].text) else { throw Failure(line: n + 1, message: "bad type") }
            var f = FieldReader(Array(tokens[4...]), origin: nil)
            let rdata = try RData.parse(type: type, fields: &f)
            records.append(ResourceRecord(owner, ttl: ttl, rdata, rclass: cls))
            locations.append("inline:\(n + 1)")
        }
        return (records, locations)
    }
}
