import Anycast
import Health
import Testing

/// The announcer's state machine, driven in process with an injected clock (seconds since start).
@Suite struct AnnouncerMachineTests {
    typealias Action = AnnouncerMachine.Action

    /// rise 3, fall 2 (the anycast defaults), re-assert every second.
    static func machine(rise: Int = 3, fall: Int = 2, reassert: Duration = .seconds(1)) throws -> AnnouncerMachine {
        AnnouncerMachine(thresholds: try Thresholds(rise: rise, fall: fall), reassert: reassert, birdSocket: "/run/bird.ctl")
    }

    /// Feeds `event` at `t` seconds, answers every write as succeeded (or with `failures`), and
    /// returns every action including those that followed the write.
    static func step(_ m: inout AnnouncerMachine, _ event: AnnouncerMachine.Event, at t: Double,
                     failures: [AnnouncerMachine.BirdFailure] = []) -> [Action] {
        var out: [Action] = []
        var pending = m.handle(event, at: .milliseconds(Int64((t * 1000).rounded())))
        while !pending.isEmpty {
            let a = pending.removeFirst()
            out.append(a)
            if case .write = a { pending.insert(contentsOf: m.handle(.written(failures: failures), at: .milliseconds(Int64((t * 1000).rounded()))), at: 0) }
        }
        return out
    }

    static let good = AnnouncerMachine.Event.probe(ok: true, why: "answering and ready", planned: false)
    static let bad = AnnouncerMachine.Event.probe(ok: false, why: "timed out", planned: false)
    static let drain = AnnouncerMachine.Event.probe(ok: false, why: "drain file /tmp/d exists", planned: true)

    static func writes(_ actions: [Action]) -> [Bool] {
        actions.compactMap { if case .write(let a) = $0 { return a } else { return nil } }
    }
    static func events(_ actions: [Action]) -> [String] {
        actions.compactMap { if case .recordEvent(let e, let why) = $0 { return "\(e): \(why)" } else { return nil } }
    }
    static func logs(_ actions: [Action]) -> [String] {
        actions.compactMap { if case .log(let level, let m) = $0 { return "\(level): \(m)" } else { return nil } }
    }

    @Test func startsWithdrawnAndAnnouncesAfterRiseGoodRounds() throws {
        var m = try Self.machine()
        let start = Self.step(&m, .start, at: 0)
        #expect(start == [.log(.notice, "withdraw: starting: withdrawn until 3 good rounds"),
                          .recordEvent("withdraw", why: "starting: withdrawn until 3 good rounds"),
                          .write(announce: false)])
        #expect(m.announced == false)
        // Rounds 1 and 2 are good but not enough (and within the re-assert period: no write).
        #expect(Self.step(&m, Self.good, at: 0.2) == [])
        #expect(Self.step(&m, Self.good, at: 0.4) == [])
        #expect(m.announced == false)
        let third = Self.step(&m, Self.good, at: 0.6)
        #expect(third == [.log(.notice, "announce: 3 good rounds: answering and ready"),
                          .recordEvent("announce", why: "3 good rounds: answering and ready"),
                          .write(announce: true)])
        #expect(m.announced == true)
    }

    @Test func fallBadRoundsWithdrawAndOneBadRoundDoesNot() throws {
        var m = try Self.machine()
        _ = Self.step(&m, .start, at: 0)
        for t in [0.1, 0.2, 0.3] { _ = Self.step(&m, Self.good, at: t) }
        #expect(m.announced == true)
        // One bad round then a good one: the count restarts, still announced.
        #expect(Self.events(Self.step(&m, Self.bad, at: 0.4)) == [])
        #expect(Self.events(Self.step(&m, Self.good, at: 0.5)) == [])
        #expect(Self.events(Self.step(&m, Self.bad, at: 0.6)) == [])
        #expect(m.announced == true)
        let second = Self.step(&m, Self.bad, at: 0.7)
        #expect(Self.events(second) == ["withdraw: 2 bad rounds: timed out"])
        #expect(Self.writes(second) == [false])
        #expect(m.announced == false)
        // Still bad: no second withdraw event.
        #expect(Self.events(Self.step(&m, Self.bad, at: 0.8)) == [])
    }

    @Test func aFlapThatNeverReachesRiseStaysWithdrawn() throws {
        var m = try Self.machine(rise: 3)
        _ = Self.step(&m, .start, at: 0)
        var all: [Action] = []
        for i in 0..<30 {
            // good, good, bad, ...: never three good rounds in a row.
            all += Self.step(&m, i % 3 == 2 ? Self.bad : Self.good, at: 0.1 * Double(i + 1))
        }
        #expect(m.announced == false)
        #expect(Self.events(all) == [])
        #expect(!Self.writes(all).contains(true))
    }

    @Test func aPlannedDrainWithdrawsAtOnceAndNeedsRiseToComeBack() throws {
        var m = try Self.machine(rise: 2, fall: 5)
        _ = Self.step(&m, .start, at: 0)
        _ = Self.step(&m, Self.good, at: 0.1)
        _ = Self.step(&m, Self.good, at: 0.2)
        #expect(m.announced == true)
        // One drained round withdraws, although fall is 5; the reason is the drain itself.
        let drained = Self.step(&m, Self.drain, at: 0.3)
        #expect(drained == [.log(.notice, "withdraw: drain file /tmp/d exists"),
                            .recordEvent("withdraw", why: "drain file /tmp/d exists"),
                            .write(announce: false)])
        // The drain file is gone: one good round is not enough, two are.
        #expect(Self.events(Self.step(&m, Self.good, at: 0.4)) == [])
        #expect(m.announced == false)
        #expect(Self.events(Self.step(&m, Self.good, at: 0.5)) == ["announce: 2 good rounds: answering and ready"])
    }

    @Test func anUnchangedStateIsReassertedEveryPeriod() throws {
        var m = try Self.machine(rise: 1, reassert: .seconds(1))
        _ = Self.step(&m, .start, at: 0)
        #expect(Self.writes(Self.step(&m, Self.good, at: 0.1)) == [true])  // the announce itself
        // Written at 0.1 s: not again before 1.1 s.
        #expect(Self.step(&m, Self.good, at: 0.6) == [])
        #expect(Self.step(&m, Self.good, at: 1.0) == [])
        #expect(Self.step(&m, Self.good, at: 1.1) == [.write(announce: true)])
        #expect(Self.step(&m, Self.good, at: 1.5) == [])
        #expect(Self.step(&m, Self.good, at: 2.2) == [.write(announce: true)])
        // A withdrawn state is re-asserted too.
        var w = try Self.machine(rise: 3, reassert: .seconds(2))
        _ = Self.step(&w, .start, at: 0)
        #expect(Self.step(&w, Self.bad, at: 1.9) == [])
        #expect(Self.step(&w, Self.bad, at: 2.0) == [.write(announce: false)])
    }

    @Test func birdcFailureIsLoggedOnceRetriedEachRoundAndRecoveryLogged() throws {
        var m = try Self.machine(rise: 1, reassert: .seconds(60))
        _ = Self.step(&m, .start, at: 0)
        let failure = AnnouncerMachine.BirdFailure(proto: "anycast4", status: 1, output: "Unable to connect to server control socket\n")
        let first = Self.step(&m, Self.good, at: 0.1, failures: [failure])
        #expect(Self.writes(first) == [true])
        #expect(Self.logs(first).filter { $0.hasPrefix("warning") }
                == ["warning: birdc enable anycast4 failed (status 1): Unable to connect to server control socket — is BIRD running with control socket /run/bird.ctl?"])
        #expect(m.writeFailed)
        // Failed again: re-asserted every round although the period (60 s) has not passed; not logged again.
        let again = Self.step(&m, Self.good, at: 0.2, failures: [failure])
        #expect(again == [.write(announce: true)])
        // BIRD is back: written, and the recovery logged once.
        let back = Self.step(&m, Self.good, at: 0.3)
        #expect(back == [.write(announce: true), .log(.notice, "birdc works again: announced")])
        #expect(!m.writeFailed)
        // Working: back to the 60 s period, no more logs.
        #expect(Self.step(&m, Self.good, at: 0.4) == [])
    }

    @Test func stopWithdraws() throws {
        var m = try Self.machine(rise: 1)
        _ = Self.step(&m, .start, at: 0)
        _ = Self.step(&m, Self.good, at: 0.1)
        #expect(m.announced == true)
        let stop = Self.step(&m, .stop, at: 0.2)
        #expect(stop == [.log(.notice, "withdraw: announcer stopping"),
                         .recordEvent("withdraw", why: "announcer stopping"),
                         .write(announce: false)])
        // Stopping while withdrawn writes again (BIRD must be disabled) without a second event.
        var w = try Self.machine()
        _ = Self.step(&w, .start, at: 0)
        #expect(Self.step(&w, .stop, at: 0.1) == [.write(announce: false)])
    }

    @Test func aRestartedAnnouncerStartsWithdrawn() throws {
        var m = try Self.machine(rise: 2)
        _ = Self.step(&m, .start, at: 0)
        for t in [0.1, 0.2, 0.3] { _ = Self.step(&m, Self.good, at: t) }
        #expect(m.announced == true)
        // A new process: nothing carries over; it withdraws and needs `rise` good rounds again.
        var restarted = try Self.machine(rise: 2)
        #expect(restarted.announced == nil)
        #expect(Self.writes(Self.step(&restarted, .start, at: 0)) == [false])
        #expect(Self.events(Self.step(&restarted, Self.good, at: 0.1)) == [])
        #expect(restarted.announced == false)
        #expect(Self.events(Self.step(&restarted, Self.good, at: 0.2)) == ["announce: 2 good rounds: answering and ready"])
    }
}
