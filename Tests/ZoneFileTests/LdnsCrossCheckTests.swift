import Foundation
import Testing
import DNSWire
@testable import ZoneFile

/// Cross-checks the parser against ldns (`ldns-read-zone`, Debian ldnsutils) on the corpus of
/// tricky zones under Fixtures/: both must read the same records, compared as values (names
/// case-insensitively, RDATA as decoded wire data), after canonical sorting.
///
/// ldns prints every type but A in the RFC 3597 generic form (`-U A`), and each of its lines is
/// read back with DNSWire's `RData.parse` (not with the ZoneFile lexer under test), so the
/// comparison is of wire data, independent of either side's presentation quirks.
/// A fixture `<origin>zone` is parsed with that origin; it also starts with `$ORIGIN`, since
/// ldns-read-zone takes no origin argument.
///
/// Integrator: when typed RDATA for more types (SRV, CAA, DS, ...) lands, add records of those
/// types in their presentation form to the fixtures; this test needs no change.
@Suite struct LdnsCrossCheckTests {
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let tool = ["/usr/bin/ldns-read-zone", "/usr/local/bin/ldns-read-zone"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The repository's bundled zones (zones/), which newcomers read and `make run` serves.
    static let bundled: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("zones")

    /// Paths of every `<origin>.zone` under Fixtures/ and zones/.
    static var zoneFiles: [String] {
        [fixtures, bundled].flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
                .filter { $0.hasSuffix(".zone") }.sorted()
                .map { dir.appendingPathComponent($0).path }
        }
    }

    @Test func corpusIsThere() {
        #expect(Self.zoneFiles.count >= 4, "fixtures missing under \(Self.fixtures.path) or \(Self.bundled.path)")
        #expect(Self.tool != nil, "ldns-read-zone not found: install ldnsutils (make deps)")
    }

    /// Runs ldns-read-zone and returns its stdout, or records why it failed.
    func ldns(_ path: String) throws -> String? {
        guard let tool = Self.tool else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["-z", "-U", "A", path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            Issue.record("ldns-read-zone failed on \(path): \(errText)")
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// One line of ldns output: `owner TTL CLASS TYPE RDATA`, tab-separated.
    func record(fromLdns line: Substring) throws -> ResourceRecord {
        let f = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
        try #require(f.count == 5, "unexpected ldns line '\(line)'")
        let type = try #require(RRType(mnemonic: f[3]))
        let rclass = try #require(RRClass(mnemonic: f[2]))
        let ttl = try #require(UInt32(f[1]))
        let rdata = try RData.parse(type: type, text: String(f[4]))
        return ResourceRecord(try Name(parsing: f[0]), ttl: ttl, rdata, rclass: rclass)
    }

    /// Canonical order (RFC 4034 6.3 by name, then type and RDATA wire bytes).
    func sorted(_ rrs: [ResourceRecord]) -> [ResourceRecord] {
        rrs.sorted { a, b in
            if a.name != b.name { return a.name < b.name }
            let wa = a.canonicalWire(), wb = b.canonicalWire()
            return wa.lexicographicallyPrecedes(wb)
        }
    }

    @Test(arguments: zoneFiles)
    func sameRecordsAsLdns(_ path: String) throws {
        let file = URL(fileURLWithPath: path).lastPathComponent
        let origin = try Name(parsing: String(file.dropLast("zone".count)))
        let ours = ZoneFileParser.parse(file: path, origin: origin)
        #expect(ours.errors.map(\.description) == [])
        #expect(ours.warnings.map(\.description) == [])
        guard let text = try ldns(path) else {
            Issue.record("ldns-read-zone is not available: install ldnsutils")
            return
        }
        let theirs = try text.split(separator: "\n").filter { !$0.isEmpty }.map { try record(fromLdns: $0) }
        let a = sorted(ours.records.map(\.record)), b = sorted(theirs)
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x == y, "ours \(x) vs ldns \(y)")
            #expect(x.canonicalWire() == y.canonicalWire(), "wire differs: ours \(x) vs ldns \(y)")
        }
        #expect(a.count > 5)
    }
}
