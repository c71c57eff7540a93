import Foundation
import Testing
@testable import Health

/// An injected clock: whole seconds after a fixed instant.
func at(_ s: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + s) }

func th(_ rise: Int, _ fall: Int) -> Thresholds { try! Thresholds(rise: rise, fall: fall) }

/// "S" success, "F" failure.
func results(_ s: String) -> [CheckResult] {
    s.map { $0 == "S" ? .success("tcp connect 192.0.2.1:80 ok") : .failure("tcp connect 192.0.2.1:80 refused") }
}

/// "U" up, "D" down, "?" unknown.
func states(_ s: String) -> [HealthState] {
    s.map { $0 == "U" ? .up : ($0 == "D" ? .down : .unknown) }
}

struct MonitorStateMachineTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String, rise: Int, fall: Int, input: String, expected: String
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "first success counts at once", rise: 2, fall: 3, input: "S", expected: "U"),
        Row(name: "first failure counts at once", rise: 2, fall: 3, input: "F", expected: "D"),
        Row(name: "fall 3 needs three consecutive failures", rise: 2, fall: 3, input: "SFFF", expected: "UUUD"),
        Row(name: "rise 2 needs two consecutive successes", rise: 2, fall: 3, input: "FSS", expected: "DDU"),
        Row(name: "flapping up is suppressed", rise: 2, fall: 3, input: "SFFSFFSFF", expected: "UUUUUUUUU"),
        Row(name: "flapping down is suppressed", rise: 2, fall: 3, input: "FSFSFSF", expected: "DDDDDDD"),
        Row(name: "an interrupted rise restarts", rise: 2, fall: 3, input: "FSFSS", expected: "DDDDU"),
        Row(name: "rise 1 fall 1 follow every result", rise: 1, fall: 1, input: "SFSF", expected: "UDUD"),
        Row(name: "down and back", rise: 2, fall: 2, input: "SFFSS", expected: "UUDDU"),
        Row(name: "no results, no state", rise: 2, fall: 3, input: "", expected: ""),
    ]

    @Test(arguments: rows)
    func thresholds(_ row: Row) {
        var m = MonitorStateMachine(thresholds: th(row.rise, row.fall))
        #expect(m.state == .unknown)
        var seen: [HealthState] = []
        for (i, r) in results(row.input).enumerated() {
            _ = m.record(r, at: at(Double(i)))
            seen.append(m.state)
        }
        #expect(seen == states(row.expected))
        #expect(m.checks == UInt64(row.input.count))
        #expect(m.failures == UInt64(row.input.filter { $0 == "F" }.count))
    }

    @Test func reasonsAndCounters() {
        var m = MonitorStateMachine(thresholds: th(2, 3))
        let first = m.record(.success("tcp connect 192.0.2.1:80 ok"), at: at(0))
        #expect(first == Transition(from: .unknown, to: .up, reason: "first check passed: tcp connect 192.0.2.1:80 ok"))
        #expect(m.record(.failure("x"), at: at(10)) == nil)
        #expect(m.record(.failure("y"), at: at(20)) == nil)
        let down = m.record(.failure("tcp connect 192.0.2.1:80 refused"), at: at(30))
        #expect(down?.reason == "3 consecutive failures: tcp connect 192.0.2.1:80 refused")
        #expect(down?.from == .up && down?.to == .down)
        #expect(m.transitions == 2)
        #expect(m.lastChange == at(30))
        #expect(m.lastCheck == at(30))
        _ = m.record(.success("ok"), at: at(40))
        let up = m.record(.success("ok again"), at: at(50))
        #expect(up?.reason == "2 consecutive successes: ok again")
        #expect(m.transitions == 3)
    }

    @Test func invalidThresholdsAreRejected() {
        #expect(throws: HealthError.self) { try Thresholds(rise: 0, fall: 3) }
        #expect(throws: HealthError.self) { try Thresholds(rise: 2, fall: HealthLimits.maxThreshold + 1) }
        #expect(Thresholds.default.rise == 2 && Thresholds.default.fall == 3)
    }
}

struct TargetStateMachineTests {
    func target(_ monitors: Int, quorum: Int? = nil, rise: Int = 2, fall: Int = 3) -> TargetStateMachine {
        try! TargetStateMachine(index: 7, name: "web1",
                                monitors: (0..<monitors).map { ("m\($0)", th(rise, fall)) }, quorum: quorum)
    }

    @Test func singleMonitorEventCarriesReason() {
        var t = target(1)
        #expect(t.state == .unknown)
        let e = t.record(monitor: 0, result: .success("ok"), at: at(0))
        #expect(e?.from == .unknown && e?.to == .up && e?.target == 7 && e?.name == "web1")
        for i in 1...2 { #expect(t.record(monitor: 0, result: .failure("f"), at: at(Double(i))) == nil) }
        let d = t.record(monitor: 0, result: .failure("tcp connect 192.0.2.1:80 refused"), at: at(3))
        #expect(d?.reason == "3 consecutive failures: tcp connect 192.0.2.1:80 refused")
        #expect(t.checks == 4 && t.failures == 3 && t.transitions == 2 && t.lastChange == at(3))
    }

    /// (monitor, result) steps over three monitors with rise 1 fall 1, and the target state after each.
    struct QuorumRow: Sendable, CustomTestStringConvertible {
        let name: String, monitors: Int, quorum: Int?, steps: [(Int, Character)], expected: String
        var testDescription: String { name }
    }

    static let quorumRows: [QuorumRow] = [
        QuorumRow(name: "all must pass: waits for every first result", monitors: 2, quorum: nil,
                  steps: [(0, "S"), (1, "S")], expected: "?U"),
        QuorumRow(name: "all must pass: one failure is enough", monitors: 2, quorum: nil,
                  steps: [(0, "S"), (1, "F"), (1, "S")], expected: "?DU"),
        QuorumRow(name: "all must pass: a first failure decides at once", monitors: 2, quorum: nil,
                  steps: [(0, "F")], expected: "D"),
        QuorumRow(name: "2 of 3: up once two pass", monitors: 3, quorum: 2,
                  steps: [(0, "S"), (1, "S"), (2, "F")], expected: "?UU"),
        QuorumRow(name: "2 of 3: down once two fail", monitors: 3, quorum: 2,
                  steps: [(0, "F"), (1, "F"), (2, "S")], expected: "?DD"),
        QuorumRow(name: "2 of 3: one failure among three is tolerated", monitors: 3, quorum: 2,
                  steps: [(0, "S"), (1, "S"), (2, "S"), (1, "F"), (0, "F"), (0, "S")], expected: "?UUUDU"),
        QuorumRow(name: "1 of 2: any pass is enough", monitors: 2, quorum: 1,
                  steps: [(0, "F"), (1, "S"), (1, "F")], expected: "?UD"),
    ]

    @Test(arguments: quorumRows)
    func quorum(_ row: QuorumRow) {
        var t = target(row.monitors, quorum: row.quorum, rise: 1, fall: 1)
        var seen: [HealthState] = []
        for (i, (m, r)) in row.steps.enumerated() {
            _ = t.record(monitor: m, result: r == "S" ? .success("ok") : .failure("bad"), at: at(Double(i)))
            seen.append(t.state)
        }
        #expect(seen == states(row.expected))
    }

    @Test func quorumReasonNamesMonitors() {
        var t = target(3, quorum: 2, rise: 1, fall: 1)
        _ = t.record(monitor: 0, result: .failure("refused"), at: at(0))
        let e = t.record(monitor: 1, result: .failure("timed out"), at: at(1))
        #expect(e?.to == .down)
        #expect(e?.reason == "0 of 3 monitors up (quorum 2); m1: first check failed: timed out")
    }

    @Test func invalidQuorumIsRejected() {
        #expect(throws: HealthError.self) { try TargetStateMachine(index: 0, name: "x", monitors: [("a", .default)], quorum: 2) }
        #expect(throws: HealthError.self) { try TargetStateMachine(index: 0, name: "x", monitors: [("a", .default), ("a", .default)]) }
    }

    @Test func noMonitorsMeansAlwaysUp() {
        let t = target(0)
        #expect(t.state == .up)
    }

    @Test func forcedDownWithExpiryReturnsToMonitoredState() {
        var t = target(1)
        _ = t.record(monitor: 0, result: .success("ok"), at: at(0))
        let f = t.force(.down, until: at(60), reason: "maintenance", at: at(1))
        #expect(f?.from == .up && f?.to == .down)
        #expect(f?.reason.contains("forced down") == true && f?.reason.contains("maintenance") == true)
        // Monitors keep running underneath.
        #expect(t.record(monitor: 0, result: .success("ok"), at: at(10)) == nil)
        #expect(t.state == .down && t.monitoredState == .up)
        #expect(t.expire(at: at(59)) == nil)
        let back = t.expire(at: at(60))
        #expect(back?.to == .up)
        #expect(back?.reason.hasPrefix("forced down expired; ") == true)
        #expect(t.forced == nil)
    }

    @Test func forcedUpHidesMonitorsUntilReleased() {
        var t = target(1, rise: 1, fall: 1)
        _ = t.record(monitor: 0, result: .failure("refused"), at: at(0))
        #expect(t.force(.up, until: nil, reason: "trust me", at: at(1))?.to == .up)
        #expect(t.record(monitor: 0, result: .failure("refused"), at: at(2)) == nil)
        #expect(t.expire(at: at(1_000_000)) == nil)
        let r = t.release(at: at(3))
        #expect(r?.to == .down)
        #expect(t.release(at: at(4)) == nil)
    }

    @Test func forcedStateExpiresOnTheNextResultToo() {
        var t = target(1, rise: 1, fall: 1)
        _ = t.record(monitor: 0, result: .success("ok"), at: at(0))
        _ = t.force(.down, until: at(5), reason: "drain", at: at(1))
        let e = t.record(monitor: 0, result: .success("ok"), at: at(6))
        #expect(e?.to == .up)
        #expect(e?.reason.hasPrefix("forced down expired") == true)
    }

    @Test func forcingTheCurrentStateIsNotAnEvent() {
        var t = target(1)
        _ = t.record(monitor: 0, result: .success("ok"), at: at(0))
        #expect(t.force(.up, until: nil, reason: "pin", at: at(1)) == nil)
        #expect(t.forced?.state == .up)
        #expect(t.force(.down, until: at(0), reason: "already expired", at: at(1)) == nil)
    }
}
