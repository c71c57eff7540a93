#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Health
import Logging

/// Reads and writes the health state file so that a restart does not flip answers.
/// A missing or corrupt file is a logged warning (start from scratch), never a crash; writes go
/// to a temporary file in the same directory that is then renamed over the old one.
public struct HealthStateStore: Sendable {
    /// The state file.
    public let path: String

    /// A store at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The saved states, or nil (with a warning logged) when the file is missing or unreadable.
    public func load(logger: Logger) -> PersistedHealth? {
        guard let data = FileManager.default.contents(atPath: path) else {
            logger.warning("health state file \(path) is missing or unreadable; every target starts unknown until its first check")
            return nil
        }
        do {
            return try PersistedHealth.decode(data, source: path)
        } catch {
            logger.warning("\(error.message)")
            return nil
        }
    }

    /// Writes `state` atomically (temporary file, fsync, rename).
    public func save(_ state: PersistedHealth) throws(MonitorError) {
        let tmp = "\(path).tmp.\(getpid())"
        let data = state.encoded()
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create \(tmp)") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok else {
            let e = failure("cannot write \(tmp)")
            unlink(tmp)
            throw e
        }
        guard rename(tmp, path) == 0 else {
            let e = failure("cannot rename \(tmp) to \(path)")
            unlink(tmp)
            throw e
        }
    }

    private func failure(_ what: String) -> MonitorError {
        MonitorError(.stateFile, "health state file: \(what): \(String(cString: strerror(errno))); check the directory exists and is writable")
    }
}
