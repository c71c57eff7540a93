#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Monitors

/// The announcer's process plumbing: running birdc, and the stop signals.
extension Announcer {
    /// Runs birdc with a 5 s limit; (exit status, stdout+stderr). Through `Command`, not
    /// Foundation's `Process`, which leaked on every run (the announcer re-asserts once a
    /// second per protocol).
    public static func runBirdc(_ program: String, _ args: [String]) async -> (Int32, String) {
        do {
            let r = try await Command.run(program, args, timeout: .seconds(5), grace: .zero, collectOutput: true)
            switch r.end {
            case .exited(let status): return (status, r.output)
            case .signaled(let signal): return (128 + signal, r.output)
            case .timedOut: return (137, r.output + "birdc did not finish within 5 s: killed")
            case .statusLost: return (255, r.output + "birdc ended, but its exit status was lost")
            }
        } catch {
            return (127, "cannot run \(program): \(error)")
        }
    }

    /// A flag set by SIGTERM or SIGINT.
    public final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var set = false
        public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return set }
        public func raise() { lock.lock(); set = true; lock.unlock() }
    }

    public static func trapStop() -> StopFlag {
        let flag = StopFlag()
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { flag.raise() }
            source.resume()
            signalSources.append(source)
        }
        return flag
    }
    public nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []
}
