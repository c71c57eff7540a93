import Atomics
import Logging
import ServiceLifecycle
import NIOConcurrencyHelpers
import UnixSignals

/// How one reload ended.
public enum ReloadOutcome: Sendable {
    /// The new snapshot was built and published under this generation.
    case swapped(generation: UInt64)
    /// The build failed; the previous snapshot keeps serving.
    case failed(any Error)
}

/// Rebuilds a snapshot off the hot path and publishes it only when the build succeeds.
///
/// Reloads run one at a time; requests made while one runs are coalesced into one more run.
/// As a `Service` it reloads on SIGHUP (and any other `signals`) until graceful shutdown.
public final class Reloader<Value: Sendable>: Sendable {
    /// The box the hot path reads.
    public let box: SnapshotBox<Value>
    private let build: @Sendable () async throws -> Value
    private let publish: @Sendable (Value) async throws -> UInt64
    private let logger: Logger
    private let signals: [UnixSignal]
    private let serial = ReloadSerializer()
    private let successCount = ManagedAtomic<Int>(0)
    private let failureCount = ManagedAtomic<Int>(0)
    private let requests: AsyncStream<Void>
    private let requestSink: AsyncStream<Void>.Continuation
    private let trapping = ReadyLatch()

    /// A reloader publishing into `box` what `build` returns; `signals` trigger a reload when
    /// it runs as a service.
    public convenience init(box: SnapshotBox<Value>, logger: Logger, signals: [UnixSignal] = [.sighup],
                            build: @escaping @Sendable () async throws -> Value) {
        self.init(box: box, logger: logger, signals: signals, build: build, publish: { box.replace(with: $0) })
    }

    /// A reloader that hands what `build` returns to `publish`, which puts it into `box` (or
    /// throws, and the previous snapshot keeps serving) and returns the new generation.
    public init(box: SnapshotBox<Value>, logger: Logger, signals: [UnixSignal] = [.sighup],
                build: @escaping @Sendable () async throws -> Value,
                publish: @escaping @Sendable (Value) async throws -> UInt64) {
        self.box = box
        self.build = build
        self.publish = publish
        self.logger = logger
        self.signals = signals
        (requests, requestSink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Reloads that published a new snapshot.
    public var successes: Int { successCount.load(ordering: .relaxed) }
    /// Reloads whose build failed.
    public var failures: Int { failureCount.load(ordering: .relaxed) }

    /// Builds and, on success, publishes a new snapshot now; waits for a reload already running.
    @discardableResult
    public func reload() async -> ReloadOutcome {
        await serial.run { [self] in
            do {
                let value = try await build()
                let generation = try await publish(value)
                successCount.wrappingIncrement(ordering: .relaxed)
                logger.info("reload succeeded", metadata: ["generation": "\(generation)"])
                return .swapped(generation: generation)
            } catch {
                failureCount.wrappingIncrement(ordering: .relaxed)
                logger.error("reload failed; still serving the previous snapshot",
                             metadata: ["generation": "\(box.generation)", "error": "\(error)"])
                return .failed(error)
            }
        }
    }

    /// Asks the running service for a reload without waiting; requests made before it gets
    /// to them are merged into one.
    public func requestReload() {
        requestSink.yield()
    }

    /// Returns once the service traps its signals, so a signal sent after it is not lost.
    public func waitUntilTrappingSignals() async {
        await trapping.wait()
    }
}

extension Reloader: Service {
    /// Reloads on each trapped signal and each `requestReload()` until graceful shutdown or
    /// cancellation.
    public func run() async throws {
        let signalSequence = await UnixSignalsSequence(trapping: signals)
        trapping.open()
        try await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { [self] in
                    for await signal in signalSequence {
                        logger.info("reload requested by signal", metadata: ["signal": "\(signal)"])
                        requestReload()
                    }
                }
                for await _ in self.requests {
                    await self.reload()
                }
                group.cancelAll()
            }
        }
    }
}

/// Runs async jobs one at a time, in arrival order.
actor ReloadSerializer {
    private var busy = false
    private var queue: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ job: @Sendable () async -> T) async -> T {
        if busy {
            await withCheckedContinuation { queue.append($0) }
        } else {
            busy = true
        }
        defer {
            if queue.isEmpty { busy = false } else { queue.removeFirst().resume() }
        }
        return await job()
    }
}

/// A one-shot gate: `wait()` returns once `open()` has been called.
final class ReadyLatch: Sendable {
    private let state = NIOLockedValueBox<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLockedValue { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLockedValue { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }
}
