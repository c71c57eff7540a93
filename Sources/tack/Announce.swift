#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Anycast
import Config
import Foundation
import Logging
import Runtime

/// `tack announce`: announces the anycast address in BIRD only while the local server can answer.
///
/// It runs as its own process beside `tack serve`, so a crashed or hung server is withdrawn.
/// Every `interval` it sends a real SOA query to each `anycast.check` address and reads the
/// server's `/readyz`; `rise` good rounds in a row announce, `fall` bad ones withdraw. The
/// desired state is written to BIRD (`birdc enable|disable PROTOCOL`) on every change and
/// re-asserted every `reassert` seconds, so a restarted or reconfigured BIRD is corrected.
/// It withdraws only for faults of its own site: it never looks at pool health, since every
/// pool being down is shared fate across sites and withdrawing everywhere would take the
/// service off the internet.
struct Announce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Announce the anycast address in BIRD while the local tack answers (run beside tack serve).",
        discussion: """
            Reads the anycast and admin sections of the configuration (docs/anycast.md). Stopping
            it (SIGTERM, SIGINT) withdraws the route.
            """)

    @Option(name: .long, help: "The configuration file (the same one tack serve uses).")
    var config: String = "tack.yaml"

    @Option(name: .long, help: "Append one 'unix-time,label,event' line per state change to this CSV file.")
    var events: String?

    @Option(name: .long, help: "The label written in --events lines (default: the NSID).")
    var label: String?

    @Option(name: .long, help: "Seconds between re-assertions of an unchanged state.")
    var reassert: Double = 1

    @Option(name: .long, help: "Stop after this many seconds (for tests; default: run until signalled).")
    var duration: Double?

    func run() async throws {
        let c: Configuration
        do {
            c = try Configuration.load(path: config)
        } catch {
            throw ValidationError(error.description)
        }
        guard let anycast = c.anycast else {
            throw ValidationError("\(config): no anycast section — add one (docs/anycast.md) to say which BIRD protocols to drive")
        }
        var logger = Logger(label: "tack.announce")
        logger.logLevel = c.logging.level.loggerLevel
        let name = label ?? { if case .text(let t) = c.identity.nsid { return t } else { return "tack" } }()
        let announcer = try Announcer(anycast: anycast, admin: c.admin.listen, label: name, eventsPath: events, logger: logger)
        let stop = Announcer.trapStop()
        let deadline = duration.map { Date().addingTimeInterval($0) }
        try await announcer.run(reassert: .seconds(reassert), until: { stop.isSet || deadline.map { Date() >= $0 } ?? false })
        await announcer.shutdown()
    }
}

