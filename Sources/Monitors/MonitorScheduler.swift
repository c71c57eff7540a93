import Foundation
import Health
import Logging
import NIOCore
import NIOPosix
import Synchronization
import DNSWire

/// Runs every monitor job on its own interval in its own task and feeds the results to a
/// `HealthBoard`; also expires forced states every second. Checks are independent of each other
/// and of the query path. `stop()` cancels everything, waits for the tasks to end and shuts the
/// HTTP clients down. With a `stateStore`, the board's states are saved after every change the
/// scheduler sees and on `stop()` (operator commands go to the board directly: call
/// `saveState()` after them).
public final class MonitorScheduler: Sendable {
    /// The jobs.
    public let jobs: [MonitorJob]
    /// The board fed.
    public let board: HealthBoard
    private let group: any EventLoopGroup
    private let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let now: @Sendable () -> Date
    private let stateStore: HealthStateStore?
    /// Serialises state-file writes (they share one temporary name).
    private let saving = Mutex(())

    /// A scheduler; `now` is the wall clock passed to the board (injectable for tests).
    public init(jobs: [MonitorJob], board: HealthBoard, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                stateStore: HealthStateStore? = nil, logger: Logger = Logger(label: "tack.health"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.jobs = jobs
        self.board = board
        self.group = group
        self.stateStore = stateStore
        self.logger = logger
        self.now = now
    }

    /// Saves the board's states to the state store, if any; a failure is logged as a warning.
    public func saveState() {
        guard let store = stateStore else { return }
        saving.withLock { _ in
            do {
                try store.save(board.persisted(at: now()))
            } catch {
                logger.warning("\(error)")
            }
        }
    }

    /// Starts every job (first check after a random part of its jitter) and the expiry ticker.
    /// Calling it twice starts nothing more.
    public func start() {
        tasks.withLock { tasks in
            guard tasks.isEmpty else { return }
            for job in jobs {
                tasks.append(Task { [self] in await self.loop(job) })
            }
            tasks.append(Task { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    let events = board.expireForced(at: now())
                    for e in events { Self.log(e, logger: logger) }
                    if !events.isEmpty { saveState() }
                }
            })
        }
    }

    /// Stops every task, waits for them, and shuts the HTTP clients down.
    public func stop() async {
        let running = tasks.withLock { t in
            let all = t
            t = []
            return all
        }
        for t in running { t.cancel() }
        for t in running { await t.value }
        for job in jobs {
            if case .http(let m) = job.check { await m.shutdown() }
        }
        if !running.isEmpty { saveState() }
    }

    private func loop(_ job: MonitorJob) async {
        let clock = ContinuousClock()
        var next = clock.now + Self.random(upTo: job.jitter)
        while !Task.isCancelled {
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
            let started = clock.now
            let result = await job.check.run(timeout: job.timeout, group: group)
            if Task.isCancelled { return }
            if let e = board.record(target: job.target, monitor: job.monitor, result: result, at: now()) {
                Self.log(e, logger: logger)
                saveState()
            }
            next = started + job.interval + Self.random(upTo: job.jitter)
        }
    }

    private static func random(upTo d: Duration) -> Duration {
        guard d > .zero else { return .zero }
        return .nanoseconds(Int64.random(in: 0...max(0, d.inNanoseconds)))
    }

    static func log(_ e: TargetEvent, logger: Logger) {
        logger.notice("target \(e.name) \(e.from) -> \(e.to): \(e.reason)",
                      metadata: ["target": "\(e.name)", "state": "\(e.to)"])
    }
}
