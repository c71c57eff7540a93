import Admin
import Foundation
import Hummingbird
import Logging
import Runtime
import Server

/// A served configuration, its health runtime, reloader and drainer, and the admin API over
/// them, built in process (nothing listens: tests drive the router through HummingbirdTesting).
struct AdminHarness {
    let dir: URL
    let runtime: HealthRuntime
    let reloader: Reloader<ServedData>
    let drainer: Drainer
    let metrics = Metrics()
    let api: AdminAPI

    static let zone = """
        $ORIGIN example.test.
        $TTL 300
        @    IN SOA ns1 hostmaster 2026120401 3600 900 604800 300
        @    IN NS  ns1
        ns1  IN A   192.0.2.53
        www  IN A   192.0.2.80

        """

    init(extraConfig: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.zone.write(to: dir.appendingPathComponent("example.test.zone"), atomically: true, encoding: .utf8)
        let config = """
            listen: ["127.0.0.1:0"]
            zones:
              - name: example.test
                file: example.test.zone

            """ + extraConfig
        let path = dir.appendingPathComponent("tack.yaml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let logger = Logger(label: "tack.test")
        let served = try ServedData.build(configPath: path) { _ in }
        runtime = try HealthRuntime(initial: served, logger: logger)
        let runtime = self.runtime
        reloader = Reloader(box: runtime.box, logger: logger, build: { try ServedData.build(configPath: path) { _ in } },
                            publish: { try await runtime.install($0) })
        drainer = Drainer(period: .zero, logger: logger)
        api = AdminAPI(runtime: runtime, reloader: reloader, metrics: metrics, drainer: drainer, logger: logger)
    }

    func application() -> some ApplicationProtocol {
        api.application(listen: .init("127.0.0.1:0")!, onBound: { _ in })
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}
