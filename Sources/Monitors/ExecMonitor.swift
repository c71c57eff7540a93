import Health

/// Runs a command with arguments (no shell); exit status 0 means up. A command still running
/// at the timeout gets SIGTERM, then SIGKILL after `MonitorLimits.execKillGrace`, and is reaped
/// before the check returns. Its input is /dev/null and its output is discarded (`Command`).
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
        let end: Command.End
        do {
            end = try await Command.run(executable, arguments, timeout: timeout, grace: MonitorLimits.execKillGrace).end
        } catch {
            return .failure("\(what): cannot start: \(error)")
        }
        switch end {
        case .timedOut:
            return .failure("\(what): timed out after \(timeout.shortDescription), killed")
        case .exited(0):
            return .success("\(what): exit 0")
        case .exited(let code):
            return .failure("\(what): exit \(code)")
        case .signaled(let signal):
            return .failure("\(what): killed by signal \(signal)")
        case .statusLost:
            return .failure("\(what): ended, but its exit status was lost (reaped elsewhere)")
        }
    }
}
