import Foundation
import Runtime

/// A configuration and its zones in a temporary directory, for loading ServedData in process.
struct SiteFixture {
    let dir: URL
    var configPath: String { dir.appendingPathComponent("tack.yaml").path }

    static let zone = """
        $ORIGIN example.test.
        $TTL 300
        @    IN SOA ns1 hostmaster 2026120401 3600 900 604800 300
        @    IN NS  ns1
        ns1  IN A   192.0.2.53
        www  IN A   192.0.2.80

        """

    /// Writes `zone` as example.test.zone and a config serving it with `extra` YAML appended.
    init(zone: String = SiteFixture.zone, extra: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try write(zone: zone)
        let config = """
            listen: ["127.0.0.1:0"]
            admin:
              listen: 127.0.0.1:0
            zones:
              - name: example.test
                file: example.test.zone

            """ + extra
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func write(zone: String) throws {
        try zone.write(to: dir.appendingPathComponent("example.test.zone"), atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}
