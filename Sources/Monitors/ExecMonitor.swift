import Health
import Subprocess
import SystemPackage

/// Runs a command with arguments (no shell); exit status 0 means up. A command still running
/// at the timeout gets SIGTERM, then SIGKILL after `MonitorLimits.execKillGrace`, and is reaped
/// before the check returns. Its input is /dev/null and its output is discarded.
///
/// Spawned with swift-subprocess (posix_spawn, reaped by the library's monitor): Foundation's
/// `Process` on Linux left about 1.1 KiB behind on every run (the `Process` object and its URL,
/// swift-corelibs-foundation SR-12551), which a 30-minute soak showed as steady heap growth
/// with one exec check a second.

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
        let executable = self.executable, arguments = self.arguments
        enum Outcome: Sendable { case ended(TerminationStatus), timedOut }
        let outcome: Outcome
        do {
            // The command races the timeout; the loser is cancelled. A cancelled run tears the
            // process down (SIGTERM, then SIGKILL after the grace) and reaps it before it
            // returns, so the group's end means the process is gone.
            outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    var options = PlatformOptions()
                    options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: MonitorLimits.execKillGrace)]
                    let result = try await Subprocess.run(
                        .path(FilePath(executable)), arguments: Arguments(arguments), platformOptions: options,
                        input: .none, output: .discarded, error: .discarded)
                    return .ended(result.terminationStatus)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .timedOut
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { return .timedOut }
                return first
            }
        } catch {
            return .failure("\(what): cannot start: \(error)")
        }
        switch outcome {
        case .timedOut:
            return .failure("\(what): timed out after \(timeout.shortDescription), killed")
        case .ended(.exited(0)):
            return .success("\(what): exit 0")
        case .ended(.exited(let code)):
            return .failure("\(what): exit \(code)")
        case .ended(.signaled(let signal)):
            return .failure("\(what): killed by signal \(signal)")
        }
    }
}
