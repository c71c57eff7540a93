import Logging
import Server
import ServiceLifecycle
import Synchronization
import UnixSignals

/// A planned stop that loses no query: readiness turns false at once (so `tack announce`
/// withdraws the anycast route), the server keeps answering for the drain period while BGP
/// moves traffic away, then the whole service group stops gracefully.
public final class Drainer: Sendable {
    public let period: Duration
    private let logger: Logger
    private let state = Mutex<(draining: Bool, stopDue: Bool, group: ServiceGroup?)>((false, false, nil))

    public init(period: Duration, logger: Logger) {
        self.period = period
        self.logger = logger
    }

    /// The group to stop when the drain period ends.
    public func attach(_ group: ServiceGroup) {
        let stopDue = state.withLock { s in
            s.group = group
            return s.stopDue
        }
        if stopDue { Task { await group.triggerGracefulShutdown() } }
    }

    public var isDraining: Bool { state.withLock { $0.draining } }

    /// Starts draining; false when a drain is already under way.
    @discardableResult
    public func begin(reason: String) -> Bool {
        let started: Bool = state.withLock { s in
            if s.draining { return false }
            s.draining = true
            return true
        }
        guard started else { return false }
        if period > .zero {
            logger.notice("draining (\(reason)): not ready from now on, stopping in \(period)")
        } else {
            logger.info("stopping (\(reason))")
        }
        Task {
            if period > .zero {
                try? await Task.sleep(for: period)
                logger.notice("drain period over: stopping")
            }
            await stopNow()
        }
        return true
    }

    /// Stops now, without waiting for the rest of the drain period.
    /// A stop requested before a group is attached happens as soon as one is.
    public func stopNow() async {
        let group = state.withLock { s in
            s.stopDue = true
            return s.group
        }
        await group?.triggerGracefulShutdown()
    }
}

/// Turns SIGTERM and SIGINT into a drain (with a zero drain period: a graceful stop); a second
/// signal stops at once. Make it before the server starts answering, so that a signal sent as
/// soon as the server answers is already trapped rather than killing the process.
public struct SignalDrain: Service {
    public let drainer: Drainer
    public let logger: Logger
    public let signals: UnixSignalsSequence

    public static func make(drainer: Drainer, logger: Logger) async -> SignalDrain {
        SignalDrain(drainer: drainer, logger: logger, signals: await UnixSignalsSequence(trapping: ServerLifecycle.shutdownSignals))
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await signal in signals {
                if !drainer.begin(reason: "signal \(signal)") {
                    logger.notice("second signal \(signal) while draining: stopping now")
                    await drainer.stopNow()
                }
            }
        }
    }
}
