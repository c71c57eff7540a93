import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Runtime
import Server
import TestSupport
import ServiceLifecycle

/// A served configuration, its health runtime, reloader and drainer, and the admin API over
/// them, built in process (nothing listens: tests drive the router through HummingbirdTesting).
struct AdminHarness {
    let fixture: SiteFixture
    var dir: URL { fixture.dir }
    let runtime: HealthRuntime
    let reloader: Reloader<ServedData>
    let drainer: Drainer
    let metrics = Metrics()
    let api: AdminAPI

    static let token = "test-token-0123456789abcdef"

    /// Two targets checked by `file` monitors reading `status` in the harness directory every
    /// 100 ms, rise and fall 1, so a test turns a target up or down by writing one line; one
    /// failover pool `app` (A) over them and a CNAME pool `alias`. With `token`, writes are open
    /// to it.
    static func pools(token: String? = AdminHarness.token) -> String {
        let monitor = SiteFixture.fileMonitor
        return (token.map { "admin:\n  token: \($0)\n" } ?? "") + """
            targets:
              - name: primary
                answers: [192.0.2.1]
                monitors:
            \(monitor)
              - name: secondary
                answers: [192.0.2.2]
                monitors:
            \(monitor)
              - name: elsewhere
                cname: www.example.test
                monitors:
            \(monitor)
            pools:
              - name: app
                owner: app.example.test
                tiers: [[primary], [secondary]]
                ttl: 60
              - name: alias
                owner: alias.example.test
                kind: CNAME
                tiers: [[elsewhere]]
                ttl: 30

            """
    }

    init(extraConfig: String = "") throws {
        fixture = try SiteFixture(extra: extraConfig)
        let path = fixture.configPath
        let logger = Logger(label: "tack.test")
        let served = try ServedData.build(configPath: path) { _ in }
        runtime = try HealthRuntime(initial: served, logger: logger)
        let runtime = self.runtime
        reloader = Reloader(box: runtime.box, logger: logger, build: { try ServedData.build(configPath: path) { _ in } },
                            publish: { try await runtime.install($0) })
        // A long drain period and a group that never runs: a drain started by a test only
        // turns readiness off.
        drainer = Drainer(period: .seconds(3600), logger: logger)
        drainer.attach(ServiceGroup(services: [], logger: logger))
        api = AdminAPI(runtime: runtime, reloader: reloader, metrics: metrics, drainer: drainer, logger: logger)
    }

    func application() -> some ApplicationProtocol {
        api.application(listen: .init("127.0.0.1:0")!, onBound: { _ in })
    }

    func setStatus(_ states: [String: Bool]) throws { try fixture.setStatus(states) }

    /// The effective state of the target `name` on the running board ("up", "down", "unknown").
    func state(_ name: String) -> String? {
        runtime.board?.statuses().first { $0.summary.name == name }?.summary.state.rawValue
    }

    /// Starts the monitors with every target up and waits for the first round.
    func startAllUp() async throws {
        try setStatus(["primary": true, "secondary": true, "elsewhere": true])
        runtime.start()
        try await waitFor("every target up") { ["primary", "secondary", "elsewhere"].allSatisfy { state($0) == "up" } }
    }

    func remove() { fixture.remove() }
}

/// A JSON body as a dictionary, for tests that look at a few keys.
func jsonObject(_ buffer: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
}

func bearer(_ token: String) -> HTTPFields {
    var h = HTTPFields()
    h[.authorization] = "Bearer \(token)"
    return h
}
