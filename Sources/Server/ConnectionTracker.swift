import NIOConcurrencyHelpers
import NIOCore

/// Tells a TCP connection to finish the query it is receiving, answer it, and close.
struct DrainConnection: Sendable {}

/// Counts and remembers open TCP connections: enforces the connection cap and, at shutdown,
/// drains them and reports when the last one has closed.
final class ConnectionTracker: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var draining = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let cap: Int
    private let state = NIOLockedValueBox(State())

    init(cap: Int) { self.cap = cap }

    /// Admits a new connection, or returns false when at the cap or shutting down.
    func admit(_ channel: any Channel) -> Bool {
        state.withLockedValue { state in
            guard !state.draining, state.open.count < cap else { return false }
            state.open[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    /// Forgets a closed connection.
    func release(_ channel: any Channel) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.open[ObjectIdentifier(channel)] = nil
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
