import Foundation
import Health
import Logging

/// The announcer's decisions, without I/O: what to tell BIRD, what to log, which events to record.
///
/// Like async-http-client's connection pool state machines, it takes one event at a time with
/// the time it happened (monotonic, since the announcer started) and returns the actions for the
/// I/O loop to perform in order. It never reads a clock, a file or a socket.
///
/// - Withdrawn at start: a fresh announcer must not advertise a site it has not checked; it
///   announces after `rise` good rounds in a row.
/// - `fall` bad rounds in a row withdraw; a planned drain (the server draining, or the drain
///   file) withdraws at once.
/// - An unchanged state is written again every `reassert` and after a failed write, so a
///   restarted BIRD (which starts with the routes disabled) is corrected.
/// - A failing birdc is logged once, and its recovery once.
/// - Stopping withdraws.
///
/// The rise/fall counting is Health's `MonitorStateMachine`, started as an established `down`
/// (withdrawn) so its first-result-counts-at-once rule does not apply: announcing needs `rise`
/// good rounds, as for a monitor restored down from a state file.
public struct AnnouncerMachine: Sendable {
    /// Something that happened.
    public enum Event: Sendable, Equatable {
        /// The announcer starts.
        case start
        /// One round of probes: `ok` when every check passed; `planned` when the server is
        /// draining or the drain file exists (withdraw at once); `why` says what was seen.
        case probe(ok: Bool, why: String, planned: Bool)
        /// The last `.write` action finished; the protocols whose birdc call failed.
        case written(failures: [BirdFailure])
        /// The announcer stops.
        case stop
    }

    /// What the I/O loop must do.
    public enum Action: Sendable, Equatable {
        /// `birdc enable|disable PROTOCOL` for every protocol, then report `.written`.
        case write(announce: Bool)
        /// A log line.
        case log(Logger.Level, String)
        /// One line of the events CSV ("announce" or "withdraw").
        case recordEvent(String, why: String)
    }

    /// One protocol whose birdc call failed.
    public struct BirdFailure: Sendable, Equatable {
        public let proto: String
        public let status: Int32
        public let output: String
        public init(proto: String, status: Int32, output: String) {
            self.proto = proto
            self.status = status
            self.output = output
        }
    }

    /// Good rounds to announce, bad rounds to withdraw.
    public let thresholds: Thresholds
    /// How often an unchanged state is written again.
    public let reassert: Duration
    /// BIRD's control socket (named in the birdc failure message).
    public let birdSocket: String
    /// What BIRD was last told to do (nil before the start).
    public private(set) var announced: Bool?
    /// Whether the last write failed.
    public private(set) var writeFailed = false
    /// The consecutive good and bad rounds.
    private var rounds: MonitorStateMachine
    /// When the last write was asked for.
    private var lastWrite: Duration?
    /// The state of the write in flight (for the recovery message).
    private var writing = false

    public init(thresholds: Thresholds, reassert: Duration, birdSocket: String) {
        self.thresholds = thresholds
        self.reassert = reassert
        self.birdSocket = birdSocket
        rounds = Self.withdrawn(thresholds, "starting")
    }

    /// A counter that has established `down`: `rise` good rounds bring it up.
    private static func withdrawn(_ t: Thresholds, _ why: String) -> MonitorStateMachine {
        MonitorStateMachine(thresholds: t, restoring: .down, reason: why, lastChange: nil)
    }

    /// Consecutive good rounds so far.
    public var goodRounds: Int { rounds.consecutiveSuccesses }
    /// Consecutive bad rounds so far.
    public var badRounds: Int { rounds.consecutiveFailures }

    /// Handles one event at `now` (monotonic time since the announcer started).
    public mutating func handle(_ event: Event, at now: Duration) -> [Action] {
        switch event {
        case .start:
            return set(false, why: "starting: withdrawn until \(thresholds.rise) good rounds", at: now)
        case .probe(let ok, let why, let planned):
            return probed(ok: ok, why: why, planned: planned, at: now)
        case .written(let failures):
            return written(failures)
        case .stop:
            return set(false, why: "announcer stopping", at: now)
        }
    }

    private mutating func probed(ok: Bool, why: String, planned: Bool, at now: Duration) -> [Action] {
        if planned {
            // A drain withdraws at once, not after `fall` rounds; coming back needs `rise` good rounds.
            rounds = Self.withdrawn(thresholds, why)
        } else {
            // The Health machine's timestamps are not used here; it gets the monotonic offset.
            _ = rounds.record(ok ? .success(why) : .failure(why), at: Date(timeIntervalSinceReferenceDate: now.inSeconds))
        }
        if announced != true, rounds.state == .up {
            return set(true, why: "\(goodRounds) good rounds: \(why)", at: now)
        }
        if announced != false, rounds.state == .down {
            return set(false, why: planned ? why : "\(badRounds) bad rounds: \(why)", at: now)
        }
        if let a = announced, writeFailed || lastWrite.map({ now - $0 >= reassert }) ?? true {
            return write(a, at: now)  // re-assert: a restarted BIRD starts with the routes disabled
        }
        return []
    }

    private mutating func set(_ announce: Bool, why: String, at now: Duration) -> [Action] {
        var actions: [Action] = []
        if announced != announce {
            let event = announce ? "announce" : "withdraw"
            actions += [.log(.notice, "\(event): \(why)"), .recordEvent(event, why: why)]
        }
        announced = announce
        return actions + write(announce, at: now)
    }

    private mutating func write(_ announce: Bool, at now: Duration) -> [Action] {
        lastWrite = now
        writing = announce
        return [.write(announce: announce)]
    }

    private mutating func written(_ failures: [BirdFailure]) -> [Action] {
        let verb = writing ? "enable" : "disable"
        var actions: [Action] = []
        if !writeFailed {
            for f in failures {
                actions.append(.log(.warning, "birdc \(verb) \(f.proto) failed (status \(f.status)): \(f.output.trimmingCharacters(in: .whitespacesAndNewlines)) — is BIRD running with control socket \(birdSocket)?"))
            }
        }
        if writeFailed && failures.isEmpty {
            actions.append(.log(.notice, "birdc works again: \(writing ? "announced" : "withdrawn")"))
        }
        writeFailed = !failures.isEmpty
        return actions
    }
}
