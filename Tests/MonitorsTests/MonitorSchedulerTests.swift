import DNSWire
import Foundation
import Health
import Logging
import NIOCore
import Synchronization
import Testing
@testable import Monitors

/// Snapshots published by a board, as an async stream.
final class SnapshotFeed: Sendable {
    let stream: AsyncStream<HealthSnapshot>
    let continuation: AsyncStream<HealthSnapshot>.Continuation
    init() { (stream, continuation) = AsyncStream.makeStream(of: HealthSnapshot.self) }
}

/// Waits until a published snapshot satisfies `condition`, or fails at `deadline`.
func waitFor(_ feed: SnapshotFeed, within deadline: Duration, _ condition: @escaping @Sendable (HealthSnapshot) -> Bool) async -> HealthSnapshot? {
    await withTaskGroup(of: HealthSnapshot?.self) { group in
        group.addTask {
            for await s in feed.stream where condition(s) { return s }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: deadline)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

@Suite struct MonitorSchedulerTests {
    @Test func tcpTargetGoesDownAndComesBack() async throws {
        var server: (any Channel)? = try await startTCPListener(host: "127.0.0.1")
        let p = port(of: server!)
        let interval: Duration = .milliseconds(200)
        let (rise, fall) = (2, 2)
        let model = try HealthModel(
            targets: [TargetDefinition(name: "web1", answers: [try RData.parse(type: .a, text: "192.0.2.1")],
                                       monitors: [MonitorSlot(name: "tcp", thresholds: try Thresholds(rise: rise, fall: fall))])],
            pools: [PoolDefinition(name: "www", owner: try Name(parsing: "www.example.com."), kind: .a,
                                   tiers: [[PoolMemberDefinition(target: "web1")]], ttl: 60)])
        let feed = SnapshotFeed()
        let board = HealthBoard(model: model, at: Date()) { snap, _ in feed.continuation.yield(snap) }
        let job = try MonitorJob(target: 0, monitor: 0, check: .tcp(TCPMonitor(address: try MonitorAddress(host: "127.0.0.1", port: p))),
                                 interval: interval, timeout: .milliseconds(150), jitter: .milliseconds(20))
        let statePath = FileManager.default.temporaryDirectory.appendingPathComponent("tack-sched-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: statePath) }
        let store = HealthStateStore(path: statePath)
        let scheduler = MonitorScheduler(jobs: [job], board: board, group: testGroup, stateStore: store)
        scheduler.start()

        // Generous bounds throughout: this checks what happens, not how fast (the end-to-end
        // failover test holds the timing to fall x interval + 1 s, on an otherwise quiet server);
        // the whole suite runs beside this test and can hold the cooperative pool for seconds.
        let first = await waitFor(feed, within: .seconds(15)) { $0.targets[0].state == .up }
        #expect(first != nil, "the first check did not bring the target up")

        try await server?.close()
        server = nil
        let down = await waitFor(feed, within: .seconds(15)) { $0.targets[0].state == .down }
        #expect(down?.targets[0].reason.contains("2 consecutive failures: tcp connect 127.0.0.1:\(p) refused") == true,
                "\(down?.targets[0].reason ?? "no down snapshot in time")")
        #expect(down?.pools[0].status == .allDown(.firstTier))

        server = try await startTCPListener(host: "127.0.0.1", port: p)
        let up = await waitFor(feed, within: .seconds(15)) { $0.targets[0].state == .up }
        #expect(up?.targets[0].reason.contains("2 consecutive successes") == true, "\(up?.targets[0].reason ?? "no up snapshot in time")")
        #expect(up?.pools[0].status == .primary)

        // stop() returns only once every task has ended and the clients are shut down.
        await scheduler.stop()
        try await server?.close()
        #expect(board.statuses()[0].checks >= 4)
        // stop() saved the last states: a restart would begin from up, not unknown.
        let saved = store.load(logger: Logger(label: "test"))
        #expect(saved?.targets["web1"]?.monitors["tcp"]?.state == .up)
        #expect(saved?.targets["web1"]?.monitors["tcp"]?.reason.contains("2 consecutive successes") == true)
        feed.continuation.finish()
    }

    @Test func jobSettingsAreValidated() throws {
        let check = MonitorCheck.exec(try ExecMonitor(executable: "/bin/true"))
        #expect(throws: MonitorError.self) { try MonitorJob(target: 0, monitor: 0, check: check, interval: .seconds(1), timeout: .seconds(2)) }
        #expect(throws: MonitorError.self) { try MonitorJob(target: 0, monitor: 0, check: check, interval: .zero, timeout: .zero) }
    }
}
