#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import DNSWire

/// Runs a program (no shell) with a deadline: what exec monitors and the anycast announcer's
/// `birdc` calls share. The program is started with posix_spawn, its input (and its output,
/// unless collected) on /dev/null; a thread of its own waits for it and reaps it, a Dispatch
/// timer ends it at the deadline, and the caller's task is resumed once, at the end. Nothing
/// blocks the cooperative pool or Dispatch's workers.
///
/// Not Foundation's `Process`: on Linux it leaves about 1.1 KiB behind on every run (the
/// `Process` object and its URL, swift-corelibs-foundation SR-12551), which a 30-minute soak
/// showed as steady heap growth with one exec check a second, and the announcer calls birdc
/// every second. (swift-subprocess was tried first: its runs held the 2-thread cooperative
/// pool long enough to starve time-bound work beside them.)
public enum Command {
    /// How a run ended.
    public enum End: Sendable, Equatable {
        /// Exited with this status.
        case exited(Int32)
        /// Ended by this signal (not sent by the deadline).
        case signaled(Int32)
        /// Still running at the deadline: sent SIGTERM, then SIGKILL after the grace, reaped.
        case timedOut
        /// Ended, but its status could not be read: something else in the process reaped it
        /// (a SIGCHLD set to SIG_IGN, or another waitpid). Not a success: nothing says it was.
        case statusLost
    }

    /// Why a program could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public let errno: Int32
        public var description: String { String(cString: strerror(errno)) }
    }

    /// Runs `executable` (an absolute path) with `arguments`, standard input /dev/null. With
    /// `collectOutput` standard output and error are read together (up to `outputLimit`
    /// octets, the rest discarded); otherwise they go to /dev/null. A program still running
    /// after `timeout` gets SIGTERM, then SIGKILL after `grace`, and is reaped before this
    /// returns.
    public static func run(_ executable: String, _ arguments: [String], timeout: Duration, grace: Duration,
                           collectOutput: Bool = false, outputLimit: Int = 65_536) async throws(StartError) -> (end: End, output: String) {
        var pipeFDs: [Int32] = [-1, -1]
        if collectOutput {
            guard pipe(&pipeFDs) == 0 else { throw StartError(errno: errno) }
            // Neither end may leak into a child (the write end reaches this one as 1 and 2):
            // another child holding the write end would keep the read from ending.
            _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        }
        let spawned = spawn(executable, arguments, output: collectOutput ? pipeFDs[1] : -1)
        if collectOutput { close(pipeFDs[1]) }
        let pid: pid_t
        switch spawned {
        case .success(let p): pid = p
        case .failure(let e):
            if collectOutput { close(pipeFDs[0]) }
            throw e
        }
        let child = Child(pid: pid)
        child.arm(timeout: timeout, grace: grace)
        let readEnd = pipeFDs[0]
        return await withCheckedContinuation { (c: CheckedContinuation<(end: End, output: String), Never>) in
            // Its own thread, not a Dispatch worker: on Linux, Dispatch's workers and Swift's
            // cooperative pool share one budget of threads per core, and a worker blocked in
            // waitid for a slow check starved the pool (time-bound tests missed their bounds).
            // A bare pthread: Foundation's `Thread` also stayed behind after every run.
            detachThread {
                var output: [UInt8] = []
                if readEnd >= 0 {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while true {
                        let n = read(readEnd, &buffer, buffer.count)
                        if n > 0 {
                            if output.count < outputLimit { output += buffer[..<min(n, outputLimit - output.count)] }
                        } else if n == 0 || errno != EINTR {
                            break
                        }
                    }
                    close(readEnd)
                }
                let end = child.waitAndReap()
                c.resume(returning: (end, String(decoding: output, as: UTF8.self)))
            }
        }
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), which Swift's Glibc
    /// module does not declare; looked up once.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Runs `body` on a new detached thread; if none can be made, on this one.
    private static func detachThread(_ body: @escaping @Sendable () -> Void) {
        final class Body { let run: @Sendable () -> Void; init(_ run: @escaping @Sendable () -> Void) { self.run = run } }
        let box = Unmanaged.passRetained(Body(body))
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { arg in
            Unmanaged<Body>.fromOpaque(arg!).takeRetainedValue().run()
            return nil
        }, box.toOpaque())
        if rc == 0 {
            pthread_detach(thread)
        } else {
            box.release()
            body()
        }
    }

    private static func spawn(_ executable: String, _ arguments: [String], output: Int32) -> Result<pid_t, StartError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if output >= 0 {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
            posix_spawn_file_actions_adddup2(&actions, output, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // Only 0, 1 and 2 reach the program, as with Foundation's Process: an inherited
        // listening socket would stay bound (and answer connects) for as long as the program,
        // or anything it leaves running, lives.
        guard let closeFrom = Command.closeFrom else { return .failure(StartError(errno: ENOSYS)) }
        _ = closeFrom(&actions, 3)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        return rc == 0 ? .success(pid) : .failure(StartError(errno: rc))
    }

    /// One spawned child: the deadline's signals and the reaper meet under a lock, and the pid
    /// is reaped only after it is marked ended, so a signal never reaches a reused pid.
    final class Child: Sendable {
        let pid: pid_t
        private let state = Mutex<(ended: Bool, timedOut: Bool)>((false, false))
        init(pid: pid_t) { self.pid = pid }

        func arm(timeout: Duration, grace: Duration) {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.inSeconds) { [self] in
                guard signal(SIGTERM, markTimedOut: true) else { return }
                DispatchQueue.global().asyncAfter(deadline: .now() + grace.inSeconds) { [self] in
                    _ = signal(SIGKILL, markTimedOut: false)
                }
            }
        }

        /// Sends `sig` unless the child has ended; false when it had.
        private func signal(_ sig: Int32, markTimedOut: Bool) -> Bool {
            state.withLock { s in
                guard !s.ended else { return false }
                if markTimedOut { s.timedOut = true }
                kill(pid, sig)
                return true
            }
        }

        /// Blocks until the child ends, then reaps it.
        func waitAndReap() -> End {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            let timedOut = state.withLock { s in
                s.ended = true
                return s.timedOut
            }
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
            if timedOut { return .timedOut }
            guard reaped == pid else { return .statusLost }
            let signaled = status & 0x7f
            return signaled == 0 ? .exited((status >> 8) & 0xff) : .signaled(signaled)
        }
    }
}

