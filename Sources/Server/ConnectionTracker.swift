import NIOConcurrencyHelpers
import NIOCore

/// Tells a TCP connection to finish the query it is receiving, answer it, and close.
struct DrainConnection: Sendable {}

/// Counts and remembers open TCP connections: enforces the connection cap and, at shutdown,
/// drains them and reports when the last one has closed.
final class ConnectionTracker: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        /// Open connections per client address (the port left out).
        var perSource: [String: Int] = [:]
        var draining = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let cap: Int
    private let perSourceCap: Int
    private let state = NIOLockedValueBox(State())

    init(cap: Int, perSource: Int = .max) {
        self.cap = cap
        self.perSourceCap = perSource
    }

    /// Why a connection was not admitted.
    enum Refusal: Sendable { case total, source, draining }

    /// Admits a new connection, or says why not: at the global cap, at the cap of its source
    /// address (so one client cannot take every slot), or shutting down.
    func admit(_ channel: any Channel) -> Refusal? {
        let source = ConnectionTracker.source(of: channel)
        return state.withLockedValue { state in
            if state.draining { return .draining }
            if state.open.count >= cap { return .total }
            if state.perSource[source, default: 0] >= perSourceCap { return .source }
            state.open[ObjectIdentifier(channel)] = channel
            state.perSource[source, default: 0] += 1
            return nil
        }
    }

    static func source(of channel: any Channel) -> String {
        channel.remoteAddress?.ipAddress ?? "?"
    }

    /// Forgets a closed connection.
    func release(_ channel: any Channel) {
        let source = ConnectionTracker.source(of: channel)
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            guard state.open.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return [] }
            if let n = state.perSource[source], n > 1 { state.perSource[source] = n - 1 } else { state.perSource[source] = nil }
            guard state.draining, state.open.isEmpty else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The number of connections open now.
    var count: Int { state.withLockedValue { $0.open.count } }

    /// Stops admitting and asks every open connection to finish and close.
    func drainAll() {
        let channels = state.withLockedValue { state in
            state.draining = true
            return Array(state.open.values)
        }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(DrainConnection())
        }
    }

    /// Closes every connection still open, whatever it is doing.
    func closeAll() {
        let channels = state.withLockedValue { Array($0.open.values) }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Returns when no connection is open (call after `drainAll`), or when the task is cancelled.
    func waitUntilEmpty() async {
        let id = state.withLockedValue { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLockedValue { state -> Bool in
                    if state.open.isEmpty || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
