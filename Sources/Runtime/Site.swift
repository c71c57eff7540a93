import Answer
import Config
import Health
import Logging
import Server

/// One running `tack serve`, assembled in named stages from a configuration file: the served
/// data loaded and checked, the health runtime and its monitors, the DNS transport with the
/// query handler, the reloader (SIGHUP and the admin API) and the drainer. The admin API and
/// the service group are added by the caller (the executable), which owns the process.
public struct Site<Recorder: QueryRecorder>: Sendable {
    public let configPath: String
    /// What the first load served (its configuration's listeners and admin address are fixed
    /// for the life of the process).
    public let initial: ServedData
    public let runtime: HealthRuntime
    public let server: DNSServer<QueryHandler<Recorder>>
    public let reloader: Reloader<ServedData>
    public let drainer: Drainer
    public let logger: Logger

    /// Why a site could not start: the message names the file and key, compiler style.
    public typealias Failure = ServedData.Failure

    /// Loads `configPath` and every zone, builds the health runtime (not started) and the
    /// transport (not bound). `recorder` counts queries and hears target transitions.
    public static func assemble(configPath: String, recorder: Recorder,
                                events: @escaping @Sendable ([TargetEvent]) -> Void) throws(Failure) -> Site {
        // One cookie secret per process when the config sets none, so reloads keep cookies valid.
        let fallbackSecret = CookieSecret.random()
        let bootLogger = Logger(label: "tack")
        let initial = try ServedData.build(configPath: configPath, fallbackCookieSecret: fallbackSecret) {
            bootLogger.warning("\($0)")
        }
        let settings = initial.configuration
        let logger = Logger(label: "tack", level: settings.logging.level.loggerLevel)
        let runtime = try HealthRuntime(initial: initial, logger: logger, events: events)
        let options = try serverOptions(settings, configPath: configPath)
        let handler = QueryHandler(box: runtime.box, metrics: recorder, limiter: rateLimiter(settings.rateLimit))
        let server: DNSServer<QueryHandler<Recorder>>
        do {
            server = try DNSServer(options: options, handler: handler, logger: logger)
        } catch {
            throw Failure(description: "\(configPath): listen/limits: \(error)")
        }
        let reloader = makeReloader(configPath: configPath, running: settings, runtime: runtime,
                                    fallbackSecret: fallbackSecret, logger: logger)
        let drainer = Drainer(period: settings.anycast?.drainPeriod ?? .zero, logger: logger)
        return Site(configPath: configPath, initial: initial, runtime: runtime, server: server, reloader: reloader,
                    drainer: drainer, logger: logger)
    }

    /// The transport's settings from the configuration's `listen` and `limits`.
    static func serverOptions(_ c: Configuration, configPath: String) throws(Failure) -> ServerOptions {
        let listeners: [Server.ListenAddress]
        do {
            listeners = try c.listen.map { try Server.ListenAddress(parsing: $0.description) }
        } catch {
            throw Failure(description: "\(configPath): listen: \(error)")
        }
        var options = ServerOptions(listeners: listeners,
                                    tcpIdleTimeout: c.limits.tcpIdleTimeout,
                                    maxTCPConnections: c.limits.tcpMaxConnections,
                                    maxTCPConnectionsPerSource: c.limits.tcpMaxConnectionsPerSource,
                                    queryLog: c.logging.queryLog)
        if let workers = c.limits.udpWorkers { options.udpSocketsPerListener = workers }
        return options
    }

    /// Response rate limiting from `rate_limit`; nil when every rate is 0 (off).
    static func rateLimiter(_ rl: RateLimitConfiguration) -> RateLimiter? {
        guard rl.responsesPerSecond + rl.errorsPerSecond + rl.nxdomainsPerSecond > 0 else { return nil }
        return RateLimiter(answersPerSecond: rl.responsesPerSecond, nxdomainsPerSecond: rl.nxdomainsPerSecond,
                           errorsPerSecond: rl.errorsPerSecond, slip: rl.slip, ipv4Prefix: rl.ipv4Prefix,
                           ipv6Prefix: rl.ipv6Prefix, exempt: ServedData.clientPrefixes(rl.exempt))
    }

    /// Reloads rebuild everything from the file and hand it to the health runtime; listener and
    /// admin address changes are reported, since they apply on restart only.
    static func makeReloader(configPath: String, running settings: Configuration, runtime: HealthRuntime,
                             fallbackSecret: CookieSecret, logger: Logger) -> Reloader<ServedData> {
        Reloader(box: runtime.box, logger: logger, build: {
            let next = try ServedData.build(configPath: configPath, fallbackCookieSecret: fallbackSecret) {
                logger.warning("\($0)")
            }
            if next.configuration.listen != settings.listen {
                logger.warning("listen addresses changed in \(configPath); they take effect on restart")
            }
            if next.configuration.admin != settings.admin {
                logger.warning("admin.listen or admin.token changed in \(configPath); admin.token applies now, admin.listen on restart")
            }
            return next
        }, publish: { next in try await runtime.install(next) })
    }

    /// One line per fact an operator wants at start: where it listens, what it serves.
    public func logStarted(bound: [String]) {
        for b in bound { logger.info("listening on \(b) (udp, tcp)") }
        let zones = initial.zones.zones.map { "\($0.origin)" }.joined(separator: " ")
        logger.info("serving \(initial.zones.zones.count) zone(s): \(zones)")
        if let model = initial.model {
            logger.info("monitoring \(model.targets.count) target(s) for \(model.pools.count) pool(s)")
        }
    }
}

extension LogLevel {
    /// The swift-log level of a configured `logging.level`.
    public var loggerLevel: Logger.Level {
        Logger.Level(rawValue: rawValue) ?? .info
    }
}
