import Foundation
import Testing
import DNSWire
@testable import ZoneFile

/// Cross-checks what ldns cannot: `$GENERATE`, `$INCLUDE`, class before TTL and BIND's default
/// TTL rules, against BIND's `named-checkzone -D` (Debian bind9-utils) on Fixtures/bind/.
/// named-checkzone resolves `$INCLUDE` against its working directory, so it runs in the fixture
/// directory, where that coincides with Tack's rule (relative to the including file).
/// Records are compared as values (names case-insensitively, RDATA decoded), canonically sorted.
@Suite struct BindCrossCheckTests {
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bind")

    static let tool = ["/usr/bin/named-checkzone", "/usr/sbin/named-checkzone"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var zoneFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? [])
            .filter { $0.hasSuffix(".zone") }.sorted()
    }

    @Test func corpusAndToolAreThere() {
        #expect(Self.zoneFiles.count >= 2, "fixtures missing under \(Self.fixtures.path)")
        #expect(Self.tool != nil, "named-checkzone not found: install bind9-utils (make deps)")
    }

    /// Runs named-checkzone and returns the records it dumps.
    func bind(_ file: String, origin: String) throws -> [ResourceRecord]? {
        guard let tool = Self.tool else { return nil }
        let dir = try TempDir()
        defer { dir.remove() }
        let outPath = dir.path + "/dump"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.currentDirectoryURL = Self.fixtures
        p.arguments = ["-D", "-o", outPath, origin, file]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            Issue.record("named-checkzone failed on \(file): \(log)")
            return nil
        }
        let text = try String(contentsOfFile: outPath, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix(";") }.map { line in
            // owner TTL CLASS TYPE RDATA, separated by runs of tabs and spaces.
            let f = line.split(maxSplits: 4, whereSeparator: { $0 == " " || $0 == "\t" })
            try #require(f.count == 5, "unexpected named-checkzone line '\(line)'")
            let type = try #require(RRType(mnemonic: f[3]))
            let rdata = try RData.parse(type: type, text: String(f[4]))
            return ResourceRecord(try Name(parsing: f[0]), ttl: try #require(UInt32(f[1])), rdata,
                                  rclass: try #require(RRClass(mnemonic: f[2])))
        }
    }

    func sorted(_ rrs: [ResourceRecord]) -> [ResourceRecord] {
        rrs.sorted { a, b in
            if a.name != b.name { return a.name < b.name }
            return a.canonicalWire().lexicographicallyPrecedes(b.canonicalWire())
        }
    }

    @Test(arguments: zoneFiles)
    func sameRecordsAsBind(_ file: String) throws {
        let originText = String(file.dropLast("zone".count))
        let ours = ZoneFileParser.parse(file: Self.fixtures.appendingPathComponent(file).path,
                                        origin: try Name(parsing: originText))
        #expect(ours.errors.map(\.description) == [])
        guard let theirs = try bind(file, origin: originText) else {
            Issue.record("named-checkzone is not available: install bind9-utils")
            return
        }
        let a = sorted(ours.records.map(\.record)), b = sorted(theirs)
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x == y, "ours \(x) vs BIND \(y)")
            #expect(x.canonicalWire() == y.canonicalWire(), "wire differs: ours \(x) vs BIND \(y)")
        }
        #expect(a.count > 5)
    }

    @Test func warningsMatchBINDs() throws {
        let r = ZoneFileParser.parse(file: Self.fixtures.appendingPathComponent("rfc1035.test.zone").path,
                                     origin: try Name(parsing: "rfc1035.test."))
        // BIND: "no TTL specified; using SOA MINTTL instead" (line 4) and "record with inherited
        // owner ... immediately after $ORIGIN" (line 2 of the included file).
        #expect(r.warnings.map { "\(($0.location.file as NSString).lastPathComponent):\($0.location.line)" } == [
            "rfc1035.test.zone:4", "rfc1035.test.inc:2",
        ])
    }
}
