import Config
import Foundation
import Health
import Logging
import Monitors
import NIOCore
import NIOPosix
import Server
import Synchronization

/// The health side of a running server: the board of target states, the monitors feeding it,
/// the state file, and the composition of the served data with the latest health snapshot into
/// the one box the query path reads.
///
/// A monitor result that changes a pool's answer publishes a new `ServedData` (same zones, new
/// snapshot); a reload publishes new zones with the current snapshot. Both go through one lock
/// here, so neither overwrites the other. The board calls `publish` under its own lock, and
/// this type never calls the board while holding its lock, so the order is always board, then
/// composer.
public final class HealthRuntime: Sendable {
    /// What the query path reads.
    public let box: SnapshotBox<ServedData>
    private let composer: Composer
    private let logger: Logger
    private let group: any EventLoopGroup
    private let events: @Sendable ([TargetEvent]) -> Void
    /// The running board and scheduler (nil without targets). Changed only by `install`, which
    /// the reloader calls one at a time.
    private let running = Mutex<Health>(Health())
    private struct Health {
        var board: HealthBoard?
        var scheduler: MonitorScheduler?
        var token = BoardToken()
    }
    private let firstRound = Atomic<Bool>(false)

    /// A runtime serving `initial`; call `start()` to begin checking. `events` hears every
    /// target transition (for metrics).
    public init(initial: ServedData, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
         events: @escaping @Sendable ([TargetEvent]) -> Void = { _ in }) throws(ServedData.Failure) {
        self.box = SnapshotBox(initial)
        self.composer = Composer(box: box, base: initial)
        self.logger = logger
        self.group = group
        self.events = events
        let made = try makeHealth(for: initial, restoring: nil)
        running.withLock { $0 = made }
        if let board = made.board { composer.switchBoard(board, token: made.token, base: initial) }
    }

    /// The current board, for the admin API (nil without targets).
    public var board: HealthBoard? { running.withLock { $0.board } }

    /// The current scheduler, to save the state after an operator command.
    public var scheduler: MonitorScheduler? { running.withLock { $0.scheduler } }

    /// Starts the monitors.
    public func start() {
        scheduler?.start()
    }

    /// Stops the monitors and saves the state.
    public func stop() async {
        await scheduler?.stop()
    }

    /// Publishes a reloaded configuration. Same targets and pools: the monitors keep running and
    /// only the zones change. Otherwise a new board takes over the old one's states by target
    /// and monitor name, and new monitors replace the old ones.
    public func install(_ next: ServedData) async throws(ServedData.Failure) -> UInt64 {
        let current = box.load()
        if next.sameHealth(as: current) {
            return composer.replaceBase(next)
        }
        let (oldBoard, oldScheduler) = running.withLock { ($0.board, $0.scheduler) }
        let carried = oldBoard?.persisted(at: Date())
        let made = try makeHealth(for: next, restoring: carried)
        await oldScheduler?.stop()
        running.withLock { $0 = made }
        let generation: UInt64
        if let board = made.board {
            generation = composer.switchBoard(board, token: made.token, base: next)
        } else {
            generation = composer.replaceBase(next)
        }
        made.scheduler?.start()
        logger.info("health configuration changed: \(next.configuration.targets.count) target(s), \(next.configuration.pools.count) pool(s)")
        return generation
    }

    /// Whether the first round of checks is done: every target has a state (checked, forced or
    /// restored). Once true it stays true, so readiness does not flap when targets are added.
    public var firstRoundDone: Bool {
        if firstRound.load(ordering: .relaxed) { return true }
        guard let board else {
            firstRound.store(true, ordering: .relaxed)
            return true
        }
        let done = board.snapshot.uncheckedTargets == 0
        if done { firstRound.store(true, ordering: .relaxed) }
        return done
    }

    private func makeHealth(for data: ServedData, restoring carried: PersistedHealth?)
        throws(ServedData.Failure) -> Health {
        guard let model = data.model else { return Health() }
        let settings = data.configuration.health
        let store = settings.stateFile.map(HealthStateStore.init(path:))
        var restoring = carried
        var maxAge: TimeInterval? = nil
        if restoring == nil, let store, FileManager.default.fileExists(atPath: store.path) {
            restoring = store.load(logger: logger)
            maxAge = settings.restoreMaxAge.inSeconds
            if let r = restoring {
                let age = Int(Date().timeIntervalSince(r.savedAt))
                if Double(age) > maxAge! {
                    logger.notice("health state file \(store.path) is \(age)s old (restore_max_age \(settings.restoreMaxAge)); every target starts unknown")
                } else {
                    logger.info("restored health states from \(store.path) (\(r.targets.count) target(s), saved \(age)s ago)")
                }
            }
        }
        let composer = self.composer
        let events = self.events
        let token = BoardToken()
        let board = HealthBoard(model: model, restoring: restoring, maxRestoreAge: maxAge, at: Date()) { [composer] snapshot, changes in
            composer.publish(snapshot, from: token)
            if !changes.isEmpty { events(changes) }
        }
        let jobs = try MonitorJobs.make(data.configuration, model: model, group: group)
        let scheduler = MonitorScheduler(jobs: jobs, board: board, group: group, stateStore: store,
                                         logger: Logger(label: "tack.health", level: logger.logLevel))
        return Health(board: board, scheduler: scheduler, token: token)
    }
}

extension Logger {
    public init(label: String, level: Logger.Level) {
        self.init(label: label)
        self.logLevel = level
    }
}
