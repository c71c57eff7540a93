import Admin
import ArgumentParser
import Logging
import Runtime
import Server

/// `tack serve`: serves the zones of a configuration over UDP and TCP until SIGTERM/SIGINT;
/// SIGHUP reloads the configuration and zones, keeping the old ones when the new ones fail.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the zones of a configuration file (default: tack.yaml) over UDP and TCP.",
        discussion: """
            SIGHUP reloads the configuration and every zone; a configuration or zone that fails
            to load keeps the previous one serving, and the log says why. SIGTERM or SIGINT
            stop gracefully. Listener changes take effect on restart.
            """)

    @Option(name: .long, help: "The configuration file.")
    var config: String = "tack.yaml"

    func run() async throws {
        let metrics = Metrics()
        let site: Site<Metrics>
        do {
            site = try Site.assemble(configPath: config, recorder: metrics) { metrics.record($0) }
        } catch {
            Logger(label: "tack").critical("cannot serve \(config):\n\(error.description)")
            throw ExitCode(1)
        }
        let logger = site.logger
        // SIGTERM/SIGINT are trapped before the first answer; with an anycast section they
        // drain first (docs/anycast.md).
        let signalDrain = await SignalDrain.make(drainer: site.drainer, logger: logger)
        let bound = try await site.server.start()
        site.logStarted(bound: bound.map { "\($0)" })
        let admin = AdminAPI(runtime: site.runtime, reloader: site.reloader, metrics: metrics, drainer: site.drainer,
                             logger: logger)
            .service(listen: site.initial.configuration.admin.listen) { logger.info("admin API listening on http://\($0)") }
        let group = ServerLifecycle.makeGroup(services: [site.server, site.reloader, admin, signalDrain], logger: logger,
                                              signals: [])
        site.drainer.attach(group)
        site.runtime.start()
        do {
            try await group.run()
        } catch {
            await site.runtime.stop()
            logger.critical("stopped: \(error)")
            throw ExitCode(1)
        }
        await site.runtime.stop()
        logger.info("stopped")
    }
}
