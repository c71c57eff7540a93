import DNSWire
import Foundation
import Synchronization
import Testing
@testable import Health

/// Collects what a board publishes.
final class Published: Sendable {
    let items = Mutex<[(HealthSnapshot, [TargetEvent])]>([])
    var count: Int { items.withLock { $0.count } }
    var events: [TargetEvent] { items.withLock { $0.flatMap(\.1) } }
    func add(_ s: HealthSnapshot, _ e: [TargetEvent]) { items.withLock { $0.append((s, e)) } }
}

struct HealthBoardTests {
    func board(_ restoring: PersistedHealth? = nil, maxAge: TimeInterval? = nil, now: Date = at(0)) throws -> (HealthBoard, Published) {
        let p = Published()
        let b = HealthBoard(model: try model(), restoring: restoring, maxRestoreAge: maxAge, at: now) { s, e in p.add(s, e) }
        return (b, p)
    }

    @Test func publishesOnlyOnChange() throws {
        let (b, p) = try board()
        #expect(b.snapshot.generation == 0)
        #expect(b.snapshot.uncheckedTargets == 3)
        #expect(b.snapshot.pools[0].status == .unchecked)
        for t in 0..<3 { b.record(target: t, monitor: 0, result: .success("ok"), at: at(1)) }
        #expect(p.count == 3)
        #expect(b.snapshot.generation == 3)
        #expect(b.snapshot.uncheckedTargets == 0)
        #expect(show(b.snapshot.select(pool: 0, selector: 0)) == "1,2")
        // Same state again: nothing published.
        b.record(target: 0, monitor: 0, result: .success("ok"), at: at(2))
        #expect(p.count == 3)
        // Failures below fall: nothing published; at fall: a new snapshot without web1.
        b.record(target: 0, monitor: 0, result: .failure("refused"), at: at(3))
        b.record(target: 0, monitor: 0, result: .failure("refused"), at: at(4))
        #expect(p.count == 3)
        let e = b.record(target: 0, monitor: 0, result: .failure("refused"), at: at(5))
        #expect(e?.to == .down)
        #expect(p.count == 4)
        #expect(p.events.last == e)
        #expect(show(b.snapshot.select(pool: 0, selector: 0)) == "2")
        #expect(b.snapshot.pools[0].reason.contains("web1 down: 3 consecutive failures: refused"))
        let st = b.statuses()[0]
        #expect(st.checks == 5 && st.failures == 3 && st.transitions == 2)
    }

    @Test func forcedStatesAndExpiry() throws {
        let (b, p) = try board()
        for t in 0..<3 { b.record(target: t, monitor: 0, result: .success("ok"), at: at(1)) }
        b.force(target: 0, .down, until: at(100), reason: "maintenance", at: at(2))
        b.force(target: 1, .down, until: nil, reason: "maintenance", at: at(2))
        #expect(show(b.snapshot.select(pool: 0, selector: 0)) == "3")
        #expect(b.snapshot.targets[0].forced?.reason == "maintenance")
        #expect(b.expireForced(at: at(99)).isEmpty)
        let ev = b.expireForced(at: at(100))
        #expect(ev.map(\.name) == ["web1"])
        #expect(show(b.snapshot.select(pool: 0, selector: 0)) == "1")
        b.release(target: 1, at: at(101))
        #expect(show(b.snapshot.select(pool: 0, selector: 0)) == "1,2")
        // Forcing the current state publishes (the admin view changed) but is not an event.
        let n = p.count
        #expect(b.force(target: 2, .up, until: nil, reason: "pin", at: at(102)) == nil)
        #expect(p.count == n + 1)
    }

    @Test func persistenceRoundTripAvoidsFlipsOnRestart() throws {
        let (b, _) = try board()
        b.record(target: 0, monitor: 0, result: .failure("refused"), at: at(1))
        b.record(target: 1, monitor: 0, result: .failure("refused"), at: at(1))
        b.record(target: 2, monitor: 0, result: .success("ok"), at: at(1))
        b.force(target: 2, .up, until: at(500), reason: "pinned", at: at(2))
        let saved = b.persisted(at: at(3))
        let bytes = saved.encoded()
        let back = try PersistedHealth.decode(bytes, source: "test")
        #expect(back == saved)

        let (r, _) = try board(back, now: at(10))
        #expect(r.snapshot.targets.map(\.state) == [.down, .down, .up])
        #expect(r.snapshot.targets[2].forced?.reason == "pinned")
        #expect(show(r.snapshot.select(pool: 0, selector: 0)) == "3")
        #expect(r.snapshot.targets[1].reason == "restored from state file: first check failed: refused")
        // Restoring a restored state does not stack prefixes.
        let (again, _) = try board(r.persisted(at: at(10)), now: at(11))
        #expect(again.snapshot.targets[1].reason == "restored from state file: first check failed: refused")
        // Restored states are established: one success does not bring web1 back (rise 2).
        r.record(target: 0, monitor: 0, result: .success("ok"), at: at(11))
        #expect(r.snapshot.targets[0].state == .down)
        r.record(target: 0, monitor: 0, result: .success("ok"), at: at(12))
        #expect(r.snapshot.targets[0].state == .up)

        // Too old: ignored.
        let (old, _) = try board(back, maxAge: 60, now: at(3600))
        #expect(old.snapshot.uncheckedTargets == 3)
    }

    @Test func restoreIgnoresUnknownNamesAndExpiredForces() throws {
        let p = PersistedHealth(savedAt: at(0), targets: [
            "gone": PersistedTarget(monitors: ["tcp": PersistedMonitor(state: .up, reason: "x", lastChange: nil)], forced: nil, lastChange: nil),
            "web1": PersistedTarget(monitors: ["other": PersistedMonitor(state: .up, reason: "x", lastChange: nil)],
                                    forced: ForcedState(state: .down, until: at(5), reason: "old", since: at(0)), lastChange: nil),
        ])
        let (b, _) = try board(p, now: at(10))
        #expect(b.snapshot.targets[0].state == .unknown)
        #expect(b.snapshot.targets[0].forced == nil)
    }

    struct Corrupt: Sendable, CustomTestStringConvertible {
        let name: String, text: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Corrupt(name: "empty", text: ""),
        Corrupt(name: "not json", text: "web1 up"),
        Corrupt(name: "truncated", text: "{\"version\":1,\"savedAt\":1,\"targets\":{"),
        Corrupt(name: "wrong version", text: "{\"version\":99,\"savedAt\":1,\"targets\":{}}"),
        Corrupt(name: "bad state", text: "{\"version\":1,\"savedAt\":1,\"targets\":{\"w\":{\"monitors\":{\"t\":{\"state\":\"sideways\",\"reason\":\"\"}}}}}"),
    ])
    func corruptStateIsAnError(_ c: Corrupt) {
        #expect(throws: HealthError.self) { try PersistedHealth.decode(Data(c.text.utf8), source: "/var/lib/tack/health.json") }
        do {
            _ = try PersistedHealth.decode(Data(c.text.utf8), source: "/var/lib/tack/health.json")
        } catch {
            #expect(error.code == .corruptState)
            #expect(error.message.contains("/var/lib/tack/health.json"))
        }
    }
}
