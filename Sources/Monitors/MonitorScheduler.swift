import Foundation
import Health
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Runs every monitor job on its own interval in its own task and feeds the results to a
/// `HealthBoard`; also expires forced states every second. Checks are independent of each other
/// and of the query path. `stop()` cancels everything, waits for the tasks to end and shuts the
/// HTTP clients down.
public final class MonitorScheduler: Sendable {
    /// The jobs.
    public let jobs: [MonitorJob]
    /// The board fed.
    public let board: HealthBoard
    private let group: any EventLoopGroup
    private let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let now: @Sendable () -> Date

    /// A scheduler; `now` is the wall clock passed to the board (injectable for tests).
    public init(jobs: [MonitorJob], board: HealthBoard, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "tack.health"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.jobs = jobs
        self.board = board
        self.group = group
        self.logger = logger
        self.now = now
    }

    /// Starts every job (first check after a random part of its jitter) and the expiry ticker.
    /// Calling it twice starts nothing more.
    public func start() {
        tasks.withLock { tasks in
            guard tasks.isEmpty else { return }
            for job in jobs {
                tasks.append(Task { [board, group, logger, now] in
                    await Self.loop(job, board: board, group: group, logger: logger, now: now)
                })
            }
            tasks.append(Task { [board, logger, now] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    for e in board.expireForced(at: now()) { Self.log(e, logger: logger) }
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
    }

    private static func loop(_ job: MonitorJob, board: HealthBoard, group: any EventLoopGroup, logger: Logger,
                             now: @Sendable () -> Date) async {
        let clock = ContinuousClock()
        var next = clock.now + random(upTo: job.jitter)
        while !Task.isCancelled {
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
            let started = clock.now
            let result = await job.check.run(timeout: job.timeout, group: group)
            if Task.isCancelled { return }
            if let e = board.record(target: job.target, monitor: job.monitor, result: result, at: now()) {
                log(e, logger: logger)
            }
            next = started + job.interval + random(upTo: job.jitter)
        }
    }

    private static func random(upTo d: Duration) -> Duration {
        guard d > .zero else { return .zero }
        let ns = d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(0, ns)))
    }

    static func log(_ e: TargetEvent, logger: Logger) {
        logger.notice("target \(e.name) \(e.from) -> \(e.to): \(e.reason)",
                      metadata: ["target": "\(e.name)", "state": "\(e.to)"])
    }
}
