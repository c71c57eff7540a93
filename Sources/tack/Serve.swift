#if canImport(Glibc)
import Glibc
#endif
import Answer
import ArgumentParser
import Config
import DNSWire
import Logging
import NIOCore
import Server
import ServiceLifecycle
import Dispatch

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
        let configPath = config
        // One cookie secret per process when the config sets none, so reloads keep cookies valid.
        let fallbackSecret = CookieSecret.random()
        var bootLogger = Logger(label: "tack")
        let initial: ServedData
        do {
            initial = try ServedData.build(configPath: configPath, fallbackCookieSecret: fallbackSecret) {
                bootLogger.warning("\($0)")
            }
        } catch {
            bootLogger.critical("cannot serve \(configPath):\n\(error.description)")
            throw ExitCode(1)
        }
        let settings = initial.configuration
        var logger = Logger(label: "tack")
        logger.logLevel = Serve.level(settings.logging.level)
        bootLogger = logger

        let metrics = Metrics()
        let runtime: HealthRuntime
        do {
            runtime = try HealthRuntime(initial: initial, logger: logger) { metrics.record($0) }
        } catch {
            logger.critical("cannot serve \(configPath):\n\(error.description)")
            throw ExitCode(1)
        }
        let listeners: [Server.ListenAddress]
        do {
            listeners = try settings.listen.map { try Server.ListenAddress(parsing: $0.description) }
        } catch {
            logger.critical("\(configPath): listen: \(error)")
            throw ExitCode(1)
        }
        var options = ServerOptions(listeners: listeners,
                                    tcpIdleTimeout: settings.limits.tcpIdleTimeout,
                                    maxTCPConnections: settings.limits.tcpMaxConnections,
                                    maxTCPConnectionsPerSource: settings.limits.tcpMaxConnectionsPerSource,
                                    queryLog: settings.logging.queryLog)
        if let workers = settings.limits.udpWorkers { options.udpSocketsPerListener = workers }
        let rl = settings.rateLimit
        let limiter = rl.responsesPerSecond + rl.errorsPerSecond + rl.nxdomainsPerSecond > 0
            ? RateLimiter(answersPerSecond: rl.responsesPerSecond, nxdomainsPerSecond: rl.nxdomainsPerSecond,
                          errorsPerSecond: rl.errorsPerSecond, slip: rl.slip, ipv4Prefix: rl.ipv4Prefix,
                          ipv6Prefix: rl.ipv6Prefix, exempt: ServedData.clientPrefixes(rl.exempt))
            : nil
        let server = try DNSServer(options: options, handler: ResponderHandler(box: runtime.box, metrics: metrics, limiter: limiter),
                                   logger: logger)
        let reloadLogger = logger
        let reloader = Reloader(box: runtime.box, logger: logger, build: {
            let next = try ServedData.build(configPath: configPath, fallbackCookieSecret: fallbackSecret) {
                reloadLogger.warning("\($0)")
            }
            if next.configuration.listen != settings.listen {
                reloadLogger.warning("listen addresses changed in \(configPath); they take effect on restart")
            }
            if next.configuration.admin != settings.admin {
                reloadLogger.warning("admin.listen or admin.token changed in \(configPath); admin.token applies now, admin.listen on restart")
            }
            return next
        }, publish: { next in try await runtime.install(next) })
        // SIGTERM/SIGINT are trapped before the first answer (see SignalDrain).
        let drainPeriod = settings.anycast?.drainPeriod ?? .zero
        let drainer = Drainer(period: drainPeriod, logger: logger)
        let signalDrain = await SignalDrain.make(drainer: drainer, logger: logger)
        let bound = try await server.start()
        let zones = initial.zones.zones.map { "\($0.origin)" }.joined(separator: " ")
        for b in bound { logger.info("listening on \(b) (udp, tcp)") }
        logger.info("serving \(initial.zones.zones.count) zone(s): \(zones)")
        if let model = initial.model {
            logger.info("monitoring \(model.targets.count) target(s) for \(model.pools.count) pool(s)")
        }
        // With an anycast section, SIGTERM drains first (docs/anycast.md).
        let adminLogger = logger
        let admin = AdminAPI(runtime: runtime, reloader: reloader, metrics: metrics, drainer: drainer, logger: logger)
            .service(listen: settings.admin.listen) { adminLogger.info("admin API listening on http://\($0)") }
        let group = ServerLifecycle.makeGroup(services: [server, reloader, admin, signalDrain], logger: logger, signals: [])
        drainer.attach(group)
        runtime.start()
        do {
            try await group.run()
        } catch {
            await runtime.stop()
            logger.critical("stopped: \(error)")
            throw ExitCode(1)
        }
        await runtime.stop()
        logger.info("stopped")
    }

    static func level(_ l: LogLevel) -> Logger.Level {
        Logger.Level(rawValue: l.rawValue) ?? .info
    }
}

/// Adapts the protocol layer to the transport: reads the current snapshot once per query.
/// Counts every query by transport, response code and type, with its latency.
/// Applies response rate limiting to UDP replies when configured.
struct ResponderHandler: DatagramHandler {
    let box: SnapshotBox<ServedData>
    let metrics: Metrics
    let limiter: RateLimiter?

    func handle(_ query: [UInt8], context: Server.QueryContext) -> QueryOutcome {
        let start = ContinuousClock.now
        let served = box.load()
        let tcp = context.transport == .tcp
        let ctx = Answer.QueryContext(transport: tcp ? .tcp : .udp,
                                      client: ResponderHandler.clientAddress(context.client),
                                      receiveTime: UInt32(truncatingIfNeeded: time(nil)))
        // The full path (the transports try `answerCached` first); a cacheable question's
        // answer is stored for the next time.
        var reply: [UInt8]?
        var rcode: RCode?
        var writer = WireWriter(capacity: 512)
        switch served.responder.respond(to: query, context: ctx, into: &writer) {
        case .reply(let code, _):
            reply = writer.bytes
            rcode = code
            if let cache = served.cache, let shape = ResponseCache.shape(of: query, tcp: tcp) {
                cache.store(query, shape: shape, tcp: tcp, response: writer.bytes, rcode: code)
            }
        case .transfer(let messages):
            metrics.record(tcp: tcp, rcode: .noError, qtype: questionType(query), duration: ContinuousClock.now - start)
            return .replies(messages)
        case .drop:
            break
        }
        var outcome: QueryOutcome = reply.map { .reply($0) } ?? .drop
        if !tcp, limiter != nil, var bytes = reply, let code = rcode {
            let n = bytes.withUnsafeMutableBytes { limited($0, count: $0.count, rcode: code, client: ctx.client) }
            outcome = n == 0 ? .drop : .reply(Array(bytes.prefix(n)))
        }
        metrics.record(tcp: tcp, rcode: rcode, qtype: questionType(query), duration: ContinuousClock.now - start)
        return outcome
    }

    /// The warm path: a question the snapshot's response cache holds is copied straight into
    /// the transport's reply slot, rate-limited in place (UDP) and counted, without allocating.
    /// Anything else (nil) takes the full path of `handle(_:context:)`.
    func answerCached(_ query: UnsafeRawBufferPointer, transport: QueryTransport, from peer: UnsafePointer<sockaddr>,
                      into reply: UnsafeMutableRawBufferPointer) -> Int? {
        let start = ContinuousClock.now
        let tcp = transport == .tcp
        let q = UnsafeBufferPointer(start: query.baseAddress?.assumingMemoryBound(to: UInt8.self), count: query.count)
        guard let cache = box.load().cache, let shape = ResponseCache.shape(q, tcp: tcp),
              let hit = cache.answer(q, shape: shape, tcp: tcp, into: reply) else { return nil }
        let n = tcp ? hit.count : limited(reply, count: hit.count, rcode: hit.rcode, client: ResponderHandler.clientAddress(peer))
        metrics.record(tcp: tcp, rcode: hit.rcode, qtype: questionType(q), duration: ContinuousClock.now - start)
        return n
    }

    /// Response rate limiting of a UDP reply (the first `count` octets of `reply`): the octets
    /// to send, 0 for none; counted when limited.
    private func limited(_ reply: UnsafeMutableRawBufferPointer, count: Int, rcode: RCode, client: ClientAddress) -> Int {
        guard let limiter else { return count }
        let nowMs = Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
        let (n, verdict) = limiter.limit(reply, count: count, rcode: rcode, client: client, nowMs: nowMs)
        if verdict != .send { metrics.recordRateLimited(slipped: verdict == .slip) }
        return n
    }

    /// The client's address, for cookies (RFC 9018 hashes the client IP) and rate limiting;
    /// read straight from the socket address, without allocating.
    static func clientAddress(_ a: SocketAddress) -> ClientAddress {
        a.withSockAddr { sa, _ in clientAddress(sa) }
    }

    /// The client's address from a `sockaddr_in` or `sockaddr_in6`.
    static func clientAddress(_ sa: UnsafePointer<sockaddr>) -> ClientAddress {
        let raw = UnsafeRawPointer(sa)
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            let x = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!, as: UInt32.self))
            return ClientAddress(ipv4: UInt8(x >> 24), UInt8(x >> 16 & 0xFF), UInt8(x >> 8 & 0xFF), UInt8(x & 0xFF))
        case AF_INET6:
            let at = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
            return ClientAddress(ipv6High: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
                                 low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)))
        default:
            return ClientAddress(ipv4: 0, 0, 0, 0)
        }
    }
}
