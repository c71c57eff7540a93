import Foundation
import Testing
import TestSupport

/// A zone with one error each, and where `tack check` must point (line, column).
let brokenZones: [(label: String, text: String, line: Int, column: Int)] = [
    ("bad IPv4 address", """
    $ORIGIN bad.test.
    $TTL 300
    @ IN SOA ns1 hostmaster 1 7200 900 1209600 300
      IN NS ns1
    ns1 IN A 192.0.2.300

    """, 5, 10),
    ("unknown type", """
    $ORIGIN bad.test.
    $TTL 300
    @ IN SOA ns1 hostmaster 1 7200 900 1209600 300
      IN NS ns1
    ns1 IN A 192.0.2.53
    www   IN  NOPE 1

    """, 6, 11),
]

@Suite("tack check, black box")
struct CheckCommandTests {
    @Test("a broken zone prints file:line:col: error: and exits 1", arguments: brokenZones.indices)
    func brokenZone(index: Int) throws {
        let z = brokenZones[index]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.test.zone")
        try z.text.write(to: file, atomically: true, encoding: .utf8)

        let (out, status) = try DigTool.run(TackProcess.binary.path, ["check", "--zone", file.path, "--origin", "bad.test"])
        #expect(status == 1, "\(z.label): exit \(status)\n\(out)")
        #expect(out.contains("\(file.path):\(z.line):\(z.column): error: "), "\(z.label):\n\(out)")
    }

    @Test("the bundled configuration and example zone check OK")
    func exampleConfig() throws {
        let config = TackProcess.packageRoot.appendingPathComponent("tack.yaml").path
        let (out, status) = try DigTool.run(TackProcess.binary.path, ["check", "--config", config])
        #expect(status == 0, "\(out)")
        #expect(out.contains("ok, 1 zone(s): example.test."), "\(out)")
    }

    @Test("a broken zone named by a configuration fails the config check with its position")
    func configWithBrokenZone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try brokenZones[0].text.write(to: dir.appendingPathComponent("bad.test.zone"), atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("tack.yaml")
        try "listen: [\"127.0.0.1:5353\"]\nzones:\n  - name: bad.test\n    file: bad.test.zone\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let (out, status) = try DigTool.run(TackProcess.binary.path, ["check", "--config", config.path])
        #expect(status == 1, "\(out)")
        #expect(out.contains("bad.test.zone:5:10: error: "), "\(out)")
    }
}
