#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Config
import DNSWire
import Foundation
import Health
import Logging
import Monitors
import NIOCore
import NIOPosix

/// Why the announcer could not start.
public struct AnnouncerError: Error, CustomStringConvertible {
    public let description: String
}

/// The announcer's I/O loop: probes the local server every `interval`, feeds the results to an
/// `AnnouncerMachine` and performs its actions (birdc, the log, the events CSV).
public final class Announcer: @unchecked Sendable {
    public let anycast: AnycastConfiguration
    public let label: String
    public let logger: Logger
    private let checks: [DNSMonitor]
    private let readyURL: String
    private let http = HTTPClient(eventLoopGroupProvider: .singleton)
    /// The events file, opened for appending (several announcers may share one).
    private let events: Int32?

    public init(anycast: AnycastConfiguration, admin: Config.ListenAddress, label: String, eventsPath: String?, logger: Logger) throws {
        self.anycast = anycast
        self.label = label
        self.logger = logger
        checks = try anycast.check.map {
            DNSMonitor(DNSCheckSettings(address: try MonitorAddress(host: $0.host, port: Int($0.port)), name: anycast.query, type: .soa))
        }
        readyURL = "http://\(admin)/readyz"
        if let p = eventsPath {
            let fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AnnouncerError(description: "--events \(p): \(String(cString: strerror(errno)))") }
            events = fd
        } else {
            events = nil
        }
    }

    /// One round: every check address answers SOA NOERROR, and the server says it is ready.
    /// `planned` is set when the server says it is draining: withdraw at once.
    public func probe() async -> (ok: Bool, why: String, planned: Bool) {
        for check in checks {
            let r = await check.check(timeout: anycast.timeout, group: MultiThreadedEventLoopGroup.singleton)
            if case .failure(let why) = r { return (false, why, false) }
        }
        do {
            let response = try await http.execute(HTTPClientRequest(url: readyURL), timeout: .milliseconds(max(anycast.timeout, .milliseconds(500)).inMilliseconds))
            let body = String(buffer: try await response.body.collect(upTo: 4096)).trimmingCharacters(in: .whitespacesAndNewlines)
            guard response.status.code == 200 else { return (false, "\(readyURL): \(body)", body.hasSuffix("draining")) }
        } catch {
            return (false, "\(readyURL): \(error)", false)
        }
        return (true, "answering and ready", false)
    }

    public func run(reassert: Duration, until stop: () -> Bool) async throws {
        logger.info("announcer for \(anycast.protocols.joined(separator: ", ")) via \(anycast.birdSocket): checking \(anycast.check.map(\.description).joined(separator: ", ")) every \(anycast.interval), rise \(anycast.rise), fall \(anycast.fall)")
        var machine = AnnouncerMachine(thresholds: try Thresholds(rise: anycast.rise, fall: anycast.fall), reassert: reassert, birdSocket: anycast.birdSocket)
        let clock = ContinuousClock()
        let started = clock.now
        await perform(.start, on: &machine, at: clock.now - started)
        var next = clock.now
        while !stop() {
            next += anycast.interval
            var (ok, why, planned) = await probe()
            if let f = anycast.drainFile, FileManager.default.fileExists(atPath: f) {
                (ok, why, planned) = (false, "drain file \(f) exists", true)
            }
            await perform(.probe(ok: ok, why: why, planned: planned), on: &machine, at: clock.now - started)
            if stop() { break }
            try? await Task.sleep(until: next, clock: clock)
            if clock.now > next + anycast.interval { next = clock.now }  // fell behind: do not burst
        }
        await perform(.stop, on: &machine, at: clock.now - started)
    }

    /// Hands `event` to the machine and performs its actions in order, feeding write results back.
    private func perform(_ event: AnnouncerMachine.Event, on machine: inout AnnouncerMachine, at now: Duration) async {
        var actions = machine.handle(event, at: now)
        while !actions.isEmpty {
            switch actions.removeFirst() {
            case .write(let announce):
                let failures = await write(announce)
                actions.insert(contentsOf: machine.handle(.written(failures: failures), at: now), at: 0)
            case .log(let level, let message):
                logger.log(level: level, "\(message)")
            case .recordEvent(let event, let why):
                record(event, why)
            }
        }
    }

    /// `birdc -s SOCKET enable|disable PROTOCOL` for every protocol; the ones that failed.
    private func write(_ announce: Bool) async -> [AnnouncerMachine.BirdFailure] {
        var failures: [AnnouncerMachine.BirdFailure] = []
        for proto in anycast.protocols {
            let (status, output) = await Announcer.runBirdc(anycast.birdc, ["-s", anycast.birdSocket, announce ? "enable" : "disable", proto])
            // birdc exits 0 even when BIRD reports an error; its reply codes start with 8 or 9 then.
            let birdError = output.split(separator: "\n").contains { $0.first == "8" || $0.first == "9" }
            if status != 0 || birdError { failures.append(.init(proto: proto, status: status, output: output)) }
        }
        return failures
    }

    private func record(_ event: String, _ why: String) {
        guard let fd = events else { return }
        let line = String(format: "%.6f", Date().timeIntervalSince1970) + ",\(label),\(event): \(why.replacingOccurrences(of: ",", with: ";"))\n"
        // One write per line with O_APPEND: lines of several writers never overwrite each other.
        _ = line.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
    }

    public func shutdown() async {
        try? await http.shutdown()
        if let fd = events { close(fd) }
    }
}
