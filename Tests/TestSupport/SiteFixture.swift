import Foundation

/// A configuration and its zone in a temporary directory, for building a server's data and
/// runtime in process (RuntimeTests, AdminTests).
public struct SiteFixture: Sendable {
    public let dir: URL
    public var configPath: String { dir.appendingPathComponent("tack.yaml").path }

    public static let zone = """
        $ORIGIN example.test.
        $TTL 300
        @    IN SOA ns1 hostmaster 2026120401 3600 900 604800 300
        @    IN NS  ns1
        ns1  IN A   192.0.2.53
        www  IN A   192.0.2.80

        """

    /// Writes `zone` as example.test.zone and a config serving it with `extra` YAML appended.
    public init(zone: String = SiteFixture.zone, extra: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try write(zone: zone)
        let config = """
            listen: ["127.0.0.1:0"]
            zones:
              - name: example.test
                file: example.test.zone

            """ + extra
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    public func write(zone: String) throws {
        try zone.write(to: dir.appendingPathComponent("example.test.zone"), atomically: true, encoding: .utf8)
    }

    public func remove() { try? FileManager.default.removeItem(at: dir) }

    /// A `file` monitor reading `status` in the fixture's directory every 100 ms, rise and fall
    /// 1 (YAML list item at a target's `monitors:` indentation), so `setStatus` decides states.
    public static let fileMonitor = """
                  - type: file
                    path: status
                    interval: 100ms
                    timeout: 100ms
                    jitter: 0s
                    rise: 1
                    fall: 1
            """

    /// Writes the status file the `file` monitors read: one `name up|down` line per target.
    public func setStatus(_ states: [String: Bool]) throws {
        let text = states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value ? "up" : "down")\n" }.joined()
        try text.write(to: dir.appendingPathComponent("status"), atomically: true, encoding: .utf8)
    }
}
