import Foundation
import Health
import Synchronization

/// Reads a file written by an external monitor, one `target-name up|down` line per target
/// (blank lines and `#` comments ignored; the last line for a target wins). The file is re-read
/// only when its modification time or size changes; otherwise the last verdict is reported again.
public final class FileMonitor: Sendable {
    /// The watched file.
    public let path: String
    /// The name looked up in it.
    public let targetName: String
    private struct Cache {
        var stamp: [Int64] = []
        var result: CheckResult?
    }
    private let cache = Mutex(Cache())

    /// A file check for `targetName` in `path`.
    public init(path: String, targetName: String) throws(MonitorError) {
        guard !path.isEmpty else { throw MonitorError(.invalidSetting, "file monitor for '\(targetName)' has an empty path") }
        guard !targetName.isEmpty, !targetName.contains(where: \.isWhitespace) else {
            throw MonitorError(.invalidSetting, "file monitor target name '\(targetName)' must be one word without spaces")
        }
        self.path = path
        self.targetName = targetName
    }

    /// Polls the file once.
    public func check() -> CheckResult {
        let what = "file \(path)"
        var st = stat()
        guard stat(path, &st) == 0 else {
            cache.withLock { $0 = Cache() }
            return .failure("\(what): cannot read (\(String(cString: strerror(errno))))")
        }
        #if canImport(Darwin)
        let stamp: [Int64] = [Int64(st.st_mtimespec.tv_sec), Int64(st.st_mtimespec.tv_nsec), Int64(st.st_size), Int64(st.st_ino)]
        #else
        let stamp: [Int64] = [Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec), Int64(st.st_size), Int64(st.st_ino)]
        #endif
        if let r = cache.withLock({ $0.stamp == stamp ? $0.result : nil }) { return r }
        let result = parse(what: what)
        cache.withLock { $0 = Cache(stamp: stamp, result: result) }
        return result
    }

    private func parse(what: String) -> CheckResult {
        guard let h = FileHandle(forReadingAtPath: path) else { return .failure("\(what): cannot open") }
        defer { try? h.close() }
        let data = (try? h.read(upToCount: MonitorLimits.maxStateFile)) ?? Data()
        var verdict: CheckResult?
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: \.isWhitespace)
            guard words.first.map(String.init) == targetName else { continue }
            let state = words.count == 2 ? words[1].lowercased() : ""
            switch state {
            case "up": verdict = .success("\(what) line \(n + 1): \(targetName) up")
            case "down": verdict = .failure("\(what) line \(n + 1): \(targetName) down")
            default: verdict = .failure("\(what) line \(n + 1): expected '\(targetName) up' or '\(targetName) down', found '\(line.trimmingCharacters(in: .whitespaces))'")
            }
        }
        return verdict ?? .failure("\(what): no line for \(targetName)")
    }
}
