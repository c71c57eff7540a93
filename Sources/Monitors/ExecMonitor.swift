#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Health
import Synchronization

/// Runs a command with arguments (no shell); exit status 0 means up. A command still running
/// at the timeout gets SIGTERM, then SIGKILL after `MonitorLimits.execKillGrace`, and is reaped
/// before the check returns. Its output is discarded.
public struct ExecMonitor: Sendable, Hashable {
    /// The executable's absolute path.
    public let executable: String
    /// The arguments.
    public let arguments: [String]

    /// An exec check; the executable must be an absolute path.
    public init(executable: String, arguments: [String] = []) throws(MonitorError) {
        guard executable.hasPrefix("/") else {
            throw MonitorError(.invalidSetting, "exec command '\(executable)' must be an absolute path (monitors do not search PATH)")
        }
        self.executable = executable
        self.arguments = arguments
    }

    /// Runs the command once.
    public func check(timeout: Duration) async -> CheckResult {
        let what = "exec \(([executable] + arguments).joined(separator: " "))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let box = ProcessBox(process)
        let status: (Int32, Process.TerminationReason)
        do {
            status = try await withCheckedThrowingContinuation { (c: CheckedContinuation<(Int32, Process.TerminationReason), any Error>) in
                box.process.terminationHandler = { p in
                    // Foundation keeps the handler after calling it, and the handler holds the
                    // box that holds the process: without this the three leak on every check
                    // (found by LeakSanitizer).
                    p.terminationHandler = nil
                    box.cancelKiller()
                    c.resume(returning: (p.terminationStatus, p.terminationReason))
                }
                do {
                    try box.process.run()
                } catch {
                    box.process.terminationHandler = nil
                    c.resume(throwing: error)
                    return
                }
                // The timer starts only once the process runs: started earlier, a loaded machine
                // could let it fire before the launch and then find nothing to kill.
                box.startKiller(after: timeout)
            }
        } catch {
            return .failure("\(what): cannot start: \(error.localizedDescription)")
        }
        if box.timedOut.load(ordering: .relaxed) {
            return .failure("\(what): timed out after \(timeout.shortDescription), killed")
        }
        switch status.1 {
        case .exit where status.0 == 0:
            return .success("\(what): exit 0")
        case .exit:
            return .failure("\(what): exit \(status.0)")
        case .uncaughtSignal:
            return .failure("\(what): killed by signal \(status.0)")
        @unknown default:
            return .failure("\(what): ended abnormally (\(status.0))")
        }
    }
}

/// Process is not Sendable; it is only touched by the continuation set-up, its termination
/// handler and the timeout task, which Foundation allows.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    let timedOut = Atomic<Bool>(false)
    /// Fires at the timeout and terminates what is still running; cancelled when the process
    /// ends. A Dispatch timer, not a Task: the cooperative pool has one thread per core, and
    /// a busy pool must not delay a kill.
    private let killerLock = Mutex<Void>(())
    nonisolated(unsafe) private var killerItem: DispatchWorkItem?
    init(_ p: Process) { process = p }

    func startKiller(after timeout: Duration) {
        let grace = MonitorLimits.execKillGrace
        let task = DispatchWorkItem { [self] in
            guard process.isRunning else { return }
            let pid = process.processIdentifier
            timedOut.store(true, ordering: .relaxed)
            kill(pid, SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + grace.timeInterval) { [self] in
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        killerLock.withLock { _ in killerItem = task }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval, execute: task)
        // The process may have ended before the timer was stored.
        if !process.isRunning { cancelKiller() }
    }
}

extension ProcessBox {
    /// Cancels the timer and lets go of it (the work item holds the box: keeping it would
    /// leak both).
    func cancelKiller() {
        killerLock.withLock { _ in
            killerItem?.cancel()
            killerItem = nil
        }
    }
}

extension Duration {
    /// Seconds as a Dispatch interval.
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
