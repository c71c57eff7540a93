import Foundation
import Testing
import DNSWire
@testable import ZoneFile

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TempDir {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tack-zonefile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        let full = path + "/" + name
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// `$INCLUDE`: relative paths, origin scoping, depth bound and loop detection.
@Suite struct ZoneFileIncludeTests {
    @Test func includeIsRelativeToTheIncludingFileAndScopesItsOrigin() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("main.zone", """
            $TTL 60
            @ SOA ns hm 1 2 3 4 5
            www A 192.0.2.1
            $INCLUDE sub/hosts.zone hosts
            $INCLUDE sub/plain.zone
              TXT "still www: the owner comes back with the including file"
            after A 192.0.2.9
            """)
        // Paths inside sub/hosts.zone are relative to sub/.
        try dir.write("sub/hosts.zone", """
            h1 A 192.0.2.11
            $ORIGIN changed.test.
            h2 A 192.0.2.12
            $INCLUDE more.zone
            """)
        try dir.write("sub/more.zone", "m 120 A 192.0.2.13\n")
        try dir.write("sub/plain.zone", "p A 192.0.2.14\n")
        let r = ZoneFileParser.parse(file: dir.path + "/main.zone", origin: exampleOrigin)
        #expect(r.errors.map(\.description) == [])
        #expect(presentation(r) == [
            "example.test. 60 IN SOA ns.example.test. hm.example.test. 1 2 3 4 5",
            "www.example.test. 60 IN A 192.0.2.1",
            "h1.hosts.example.test. 60 IN A 192.0.2.11",
            "h2.changed.test. 60 IN A 192.0.2.12",
            "m.changed.test. 120 IN A 192.0.2.13",
            "p.example.test. 60 IN A 192.0.2.14",
            "www.example.test. 60 IN TXT \"still www: the owner comes back with the including file\"",
            "after.example.test. 60 IN A 192.0.2.9",
        ])
        #expect(r.records[4].location == SourceLocation(file: dir.path + "/sub/more.zone", line: 1, column: 1))
    }

    @Test func errorsInIncludedFilesNameThatFile() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("main.zone", "$TTL 1\n$INCLUDE inc.zone\nbad1 A x\n")
        try dir.write("inc.zone", "ok A 192.0.2.1\nbad2 AAAA 192.0.2.1\n")
        let r = ZoneFileParser.parse(file: dir.path + "/main.zone", origin: exampleOrigin)
        #expect(r.errors.map { "\(($0.file as NSString).lastPathComponent):\($0.line):\($0.column)" } == [
            "inc.zone:2:11", "main.zone:3:8",
        ])
        #expect(r.errors[0].sourceLine == "bad2 AAAA 192.0.2.1")
        #expect(r.records.count == 1)
    }

    @Test func includeLoopIsDetected() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("a.zone", "$TTL 1\na A 192.0.2.1\n$INCLUDE b.zone\n")
        try dir.write("b.zone", "b A 192.0.2.2\n$INCLUDE ./a.zone\nb2 A 192.0.2.3\n")
        let r = ZoneFileParser.parse(file: dir.path + "/a.zone", origin: exampleOrigin)
        #expect(errorSummary(r) == ["2:10 includeLoop"])
        #expect(r.errors[0].file == dir.path + "/b.zone")
        #expect(r.errors[0].message.contains("a.zone -> \(dir.path)/b.zone -> \(dir.path)/./a.zone"))
        #expect(r.records.map(\.record.name.description) == ["a.example.test.", "b.example.test.", "b2.example.test."])
    }

    @Test func selfIncludeFromTextWithAFileNameIsALoop() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("self.zone", "$TTL 1\n$INCLUDE self.zone\n")
        let r = ZoneFileParser.parse(file: dir.path + "/self.zone", origin: exampleOrigin)
        #expect(errorSummary(r) == ["2:10 includeLoop"])
    }

    @Test func includeDepthIsBounded() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let files = ZoneFileLimits.maxIncludeDepth + 2
        for i in 0..<files {
            try dir.write("d\(i).zone", "n\(i) 1 A 192.0.2.\(i + 1)\n" + (i + 1 < files ? "$INCLUDE d\(i + 1).zone\n" : ""))
        }
        let r = ZoneFileParser.parse(file: dir.path + "/d0.zone", origin: exampleOrigin)
        #expect(errorSummary(r) == ["2:10 includeTooDeep"])
        #expect(r.errors[0].file == dir.path + "/d\(ZoneFileLimits.maxIncludeDepth).zone")
        #expect(r.records.count == ZoneFileLimits.maxIncludeDepth + 1)
    }

    @Test func includeWithAnAbsolutePathAndTextInput() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("abs.zone", "x A 192.0.2.7\n")
        let r = ZoneFileParser.parse(text: "$TTL 5\n$INCLUDE \(dir.path)/abs.zone other.test.\n", origin: exampleOrigin)
        #expect(presentation(r) == ["x.other.test. 5 IN A 192.0.2.7"])
    }
}
