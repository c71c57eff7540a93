import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listener as bound: the configured address and the port actually in use for UDP and TCP.
public struct BoundListener: Sendable, Hashable, CustomStringConvertible {
    /// The listener as configured (its port may be 0).
    public var requested: ListenAddress
    /// The bound address; UDP and TCP share it, so a configured port 0 yields one port for both.
    public var address: SocketAddress

    /// The bound port.
    public var port: Int { address.port ?? 0 }

    /// The presentation form, for logs and errors.
    public var description: String { "\(requested.host) port \(port)" }
}

/// The DNS transport: UDP (one SO_REUSEPORT socket and thread per core, batched reads and
/// writes into reused buffers: `UDPEngine`) and TCP (RFC 7766, on NIO) on every listener,
/// calling `Handler` synchronously for each query.
///
/// Use: `let server = try DNSServer(options:handler:logger:)`, `try await server.start()`
/// (returns the bound listeners), then `await server.shutdown()`; or run it as a `Service` in a
/// `ServiceGroup`, which starts it and drains it on graceful shutdown.
public final class DNSServer<Handler: DatagramHandler>: Sendable {
    private enum State {
        case idle
        case starting
        case running(udp: UDPEngine<Handler>, tcp: [any Channel], bound: [BoundListener])
        case stopping
        case stopped
    }

    /// The options the server was created with.
    public let options: ServerOptions
    private let handler: Handler
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let ownsGroup: Bool
    private let tracker: ConnectionTracker
    private let state = NIOLockedValueBox(State.idle)
    private let stoppedWaiters = NIOLockedValueBox<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// A server that is not yet listening. Without `eventLoopGroup` it creates one thread per
    /// core and shuts them down in `shutdown()`.
    public init(options: ServerOptions, handler: Handler, logger: Logger,
                eventLoopGroup: MultiThreadedEventLoopGroup? = nil) throws(ServerError) {
        try options.validate()
        self.options = options
        self.handler = handler
        self.logger = logger
        if let eventLoopGroup {
            self.group = eventLoopGroup
            self.ownsGroup = false
        } else {
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
            self.ownsGroup = true
        }
        self.tracker = ConnectionTracker(cap: options.maxTCPConnections, perSource: options.maxTCPConnectionsPerSource)
    }

    /// The listeners as bound, empty unless running.
    public var boundListeners: [BoundListener] {
        state.withLockedValue { state in
            if case .running(_, _, let bound) = state { return bound }
            return []
        }
    }

    /// TCP connections open now.
    public var openTCPConnections: Int { tracker.count }

    /// Binds every listener (UDP and TCP) and starts serving; returns the bound listeners.
    /// Throws `ServerError.bindFailed` naming the listener; nothing stays bound on failure.
    @discardableResult
    public func start() async throws -> [BoundListener] {
        try state.withLockedValue { state in
            guard case .idle = state else {
                throw ServerError(.invalidState, "DNSServer", "start() called twice or after shutdown(); create a new server")
            }
            state = .starting
        }
        var sockets: [Int32] = []
        var tcp: [any Channel] = []
        var bound: [BoundListener] = []
        do {
            for listener in options.listeners {
                let result = try await bind(listener)
                sockets += result.udp
                tcp.append(result.tcp)
                bound.append(result.bound)
            }
        } catch {
            for fd in sockets { close(fd) }
            for channel in tcp { try? await channel.close() }
            state.withLockedValue { $0 = .stopped }
            await releaseGroup()
            await finishStopping()
            throw error
        }
        let queryLog = options.queryLog ? QueryLog(logger: Self.queryLogger(from: logger)) : nil
        let udp = UDPEngine(handler: handler, sockets: sockets, batch: options.udpBatchSize,
                            querySlot: options.maxUDPQuerySize, queryLog: queryLog, logger: logger)
        do {
            try udp.start()
        } catch {
            await udp.stop()
            for channel in tcp { try? await channel.close() }
            state.withLockedValue { $0 = .stopped }
            await releaseGroup()
            await finishStopping()
            throw error
        }
        let stoppedEarly = state.withLockedValue { state -> Bool in
            guard case .starting = state else { return true }
            state = .running(udp: udp, tcp: tcp, bound: bound)
            return false
        }
        if stoppedEarly {
            await udp.stop()
            for channel in tcp { try? await channel.close() }
            await releaseGroup()
            await finishStopping()
            throw ServerError(.invalidState, "DNSServer", "shutdown() was called while starting")
        }
        logger.info("dns server listening", metadata: [
            "listeners": "\(bound.map(\.description).joined(separator: ", "))",
            "udpSocketsPerListener": "\(options.udpSocketsPerListener)",
        ])
        return bound
    }

    /// Stops accepting TCP connections and closes the UDP sockets, lets open TCP connections
    /// finish the queries they are receiving (up to `shutdownGracePeriod`), then closes them.
    /// Safe to call more than once and from several tasks; all return once stopped.
    public func shutdown() async {
        let action = state.withLockedValue { state -> ShutdownAction in
            switch state {
            case .idle:
                state = .stopped
                return .stopIdle
            case .starting:
                // start() sees this, closes what it bound and finishes the stop.
                state = .stopped
                return .waitForStart
            case .running(let udp, let tcp, _):
                state = .stopping
                return .stop(udp: udp, tcp: tcp)
            case .stopping, .stopped:
                return .wait
            }
        }
        let udp: UDPEngine<Handler>
        let tcp: [any Channel]
        switch action {
        case .stopIdle:
            await releaseGroup()
            await finishStopping()
            return
        case .waitForStart, .wait:
            await waitUntilStopped()
            return
        case .stop(let u, let t):
            udp = u
            tcp = t
        }
        for channel in tcp { try? await channel.close() }
        await udp.stop()
        tracker.drainAll()
        let grace = options.shutdownGracePeriod
        let drained = await withTaskGroup(of: Bool.self) { group in
            group.addTask { [tracker] in
                await tracker.waitUntilEmpty()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: grace)
                return false
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        // Not drained with none open: the wait was cut short by cancellation (another service
        // failed), and there is nothing to close.
        if !drained && tracker.count > 0 {
            logger.warning("tcp connections still open after the grace period; closing them",
                           metadata: ["open": "\(tracker.count)"])
            tracker.closeAll()
            await tracker.waitUntilEmpty()
        }
        await releaseGroup()
        state.withLockedValue { $0 = .stopped }
        logger.info("dns server stopped")
        await finishStopping()
    }

    /// What `shutdown()` has to do, decided under the state lock.
    private enum ShutdownAction {
        case stopIdle
        case waitForStart
        case stop(udp: UDPEngine<Handler>, tcp: [any Channel])
        case wait
    }

    private func releaseGroup() async {
        if ownsGroup { try? await group.shutdownGracefully() }
    }

    private func finishStopping() async {
        let waiters = stoppedWaiters.withLockedValue { box in
            box.done = true
            defer { box.waiters = [] }
            return box.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = stoppedWaiters.withLockedValue { box -> Bool in
                if box.done { return true }
                box.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: binding

    /// Attempts at finding a port free for UDP and TCP alike when the listener asks for port 0.
    private static var ephemeralAttempts: Int { 16 }

    /// Binds one listener: `udpSocketsPerListener` UDP sockets (SO_REUSEPORT) and a TCP
    /// socket, all on one port. For port 0 a port free for UDP is found first, then TCP is
    /// tried on it; if TCP finds it taken, another port is tried.
    private func bind(_ listener: ListenAddress) async throws -> (udp: [Int32], tcp: any Channel, bound: BoundListener) {
        var lastError: (any Error)?
        for _ in 0..<(listener.port == 0 ? Self.ephemeralAttempts : 1) {
            var udp: [Int32] = []
            do {
                let port = listener.port == 0
                    ? try DatagramSocket.freePort(on: try listener.socketAddress(port: 0)) : listener.port
                let address = try listener.socketAddress(port: port)
                for _ in 0..<options.udpSocketsPerListener { udp.append(try DatagramSocket.bind(address)) }
                let tcp = try await bindTCP(address)
                return (udp, tcp, BoundListener(requested: listener, address: address))
            } catch {
                for fd in udp { close(fd) }
                lastError = error
            }
        }
        let why = (lastError as? ServerError)?.detail ?? lastError.map { "\($0)" } ?? "unknown error"
        throw ServerError(.bindFailed, listener.description,
                          "\(why); check that the address is local and the port is free (ports below 1024 need privileges)")
    }

    private static func ipv6Only(_ address: SocketAddress) -> Bool {
        if case .v6 = address { return true }
        return false
    }

    private func bindTCP(_ address: SocketAddress) async throws -> any Channel {
        let handler = self.handler
        let queryLog = options.queryLog ? QueryLog(logger: Self.queryLogger(from: logger)) : nil
        let logger = self.logger
        let tracker = self.tracker
        let idleTimeout = TimeAmount(options.tcpIdleTimeout)
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: options.tcpBacklog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark,
                                value: ChannelOptions.Types.WriteBufferWaterMark(low: 64 * 1024, high: 256 * 1024))
        if Self.ipv6Only(address) {
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
        }
        return try await bootstrap
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        TCPQueryHandler(handler: handler, queryLog: queryLog, logger: logger,
                                        tracker: tracker, idleTimeout: idleTimeout))
                }
            }
            .bind(to: address).get()
    }

    private static func queryLogger(from logger: Logger) -> Logger {
        // Turning the query log on is the switch: it logs at info whatever the server's level.
        var queryLogger = logger
        queryLogger.logLevel = .info
        queryLogger[metadataKey: "log"] = "query"
        return queryLogger
    }
}


extension DNSServer: Service {
    /// Starts the server unless already started, serves until graceful shutdown (SIGTERM or
    /// SIGINT in a `ServiceGroup`) or cancellation, then drains and stops.
    public func run() async throws {
        let idle = state.withLockedValue { state -> Bool in
            if case .idle = state { return true }
            return false
        }
        if idle { try await start() }
        try? await gracefulShutdown()
        await shutdown()
    }
}
