import DNSWire
import Foundation
import Health
import Logging
import Runtime
import Testing
import TestSupport

/// The health runtime with real monitors: `file` monitors reading a status file the test writes,
/// every 100 ms with rise and fall 1, so states change when the test says and are waited for.
@Suite struct HealthRuntimeTests {
    static func targets(_ names: [String], stateFile: String = "state.json") -> String {
        var yaml = "health:\n  state_file: \(stateFile)\ntargets:\n"
        for (i, name) in names.enumerated() {
            yaml += """
                  - name: \(name)
                    answers: [192.0.2.\(i + 1)]
                    monitors:
                \(SiteFixture.fileMonitor)

                """
        }
        yaml += """
            pools:
              - name: app
                owner: app.example.test
                tiers: [\(names.prefix(2).map { "[\($0)]" }.joined(separator: ", "))]
                ttl: 60

            """
        return yaml
    }

    static func setStatus(_ fixture: SiteFixture, _ states: [String: Bool]) throws {
        try fixture.setStatus(states)
    }

    static func state(_ runtime: HealthRuntime, _ name: String) -> TargetStatus? {
        runtime.board?.statuses().first { $0.summary.name == name }
    }

    /// The pool's answer in the box the query path reads.
    static func appAnswer(_ runtime: HealthRuntime) -> [String] {
        let r = runtime.box.load().responder.source.answer(Question(try! Name(parsing: "app.example.test."), .a))
        return r.answer.map { $0.rdata.presentation }
    }

    static let logger = Logger(label: "tack.test")

    @Test func startRunsTheFirstRoundThenReady() async throws {
        let fixture = try SiteFixture(extra: Self.targets(["primary", "secondary"]))
        defer { fixture.remove() }
        let runtime = try HealthRuntime(initial: try ServedData.build(configPath: fixture.configPath) { _ in }, logger: Self.logger)
        #expect(!runtime.firstRoundDone)
        #expect(runtime.board?.snapshot.uncheckedTargets == 2)
        try Self.setStatus(fixture, ["primary": false, "secondary": true])
        runtime.start()
        try await waitFor("the first round") { runtime.firstRoundDone }
        #expect(runtime.board?.snapshot.uncheckedTargets == 0)
        #expect(Self.state(runtime, "primary")?.summary.state == .down)
        #expect(Self.state(runtime, "secondary")?.summary.state == .up)
        // The box the query path reads follows the board: primary down, tier 2 answers.
        try await waitFor("the failover answer") { Self.appAnswer(runtime) == ["192.0.2.2"] }
        // Once done, readiness does not flap back when a target turns unknown again.
        try FileManager.default.removeItem(at: fixture.dir.appendingPathComponent("status"))
        try await waitFor("secondary down") { Self.state(runtime, "secondary")?.summary.state == .down }
        #expect(runtime.firstRoundDone)
        await runtime.stop()
    }

    @Test func aReloadWithTheSameTargetsKeepsTheRunningBoard() async throws {
        let fixture = try SiteFixture(extra: Self.targets(["primary", "secondary"]))
        defer { fixture.remove() }
        let runtime = try HealthRuntime(initial: try ServedData.build(configPath: fixture.configPath) { _ in }, logger: Self.logger)
        try Self.setStatus(fixture, ["primary": true, "secondary": true])
        runtime.start()
        try await waitFor("the first round") { runtime.firstRoundDone }
        let board = try #require(runtime.board)
        let primary = try #require(board.model.targetIndex(named: "primary"))
        board.force(target: primary, .down, until: nil, reason: "test", at: Date())
        try await waitFor("the forced answer") { Self.appAnswer(runtime) == ["192.0.2.2"] }
        let checks = try #require(Self.state(runtime, "secondary")?.checks)

        try fixture.write(zone: SiteFixture.zone + "new IN A 192.0.2.99\n")
        let generation = try await runtime.install(try ServedData.build(configPath: fixture.configPath) { _ in })
        #expect(generation == runtime.box.loadWithGeneration().1)
        #expect(runtime.board === board)
        #expect(Self.state(runtime, "primary")?.summary.forced?.state == .down)
        #expect(Self.appAnswer(runtime) == ["192.0.2.2"])
        #expect(runtime.box.load().responder.source.answer(Question(try Name(parsing: "new.example.test."), .a)).answer.count == 1)
        // The same monitors keep running: the counters go on from where they were.
        try await waitFor("another check") { (Self.state(runtime, "secondary")?.checks ?? 0) > checks }
        await runtime.stop()
    }

    @Test func aReloadWithOtherTargetsCarriesStatesByName() async throws {
        let fixture = try SiteFixture(extra: Self.targets(["primary", "secondary"]))
        defer { fixture.remove() }
        let runtime = try HealthRuntime(initial: try ServedData.build(configPath: fixture.configPath) { _ in }, logger: Self.logger)
        try Self.setStatus(fixture, ["primary": true, "secondary": true, "third": false])
        runtime.start()
        try await waitFor("the first round") { runtime.firstRoundDone }
        let board = try #require(runtime.board)
        board.force(target: try #require(board.model.targetIndex(named: "primary")), .down, until: nil, reason: "carried", at: Date())

        // A third target, listed first: indices change, names do not.
        try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            .replacingOccurrences(of: "targets:\n", with: "targets:\n  - name: third\n    answers: [192.0.2.3]\n    monitors:\n      - type: file\n        path: status\n        interval: 100ms\n        timeout: 100ms\n        jitter: 0s\n        rise: 1\n        fall: 1\n")
            .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        let next = try ServedData.build(configPath: fixture.configPath) { _ in }
        #expect(next.model?.targetIndex(named: "third") == 0)
        _ = try await runtime.install(next)
        let newBoard = try #require(runtime.board)
        #expect(newBoard !== board)
        let primary = try #require(Self.state(runtime, "primary"))
        #expect(primary.summary.forced?.state == .down)
        #expect(primary.summary.forced?.reason == "carried")
        #expect(Self.state(runtime, "secondary")?.summary.state == .up)
        #expect(Self.appAnswer(runtime) == ["192.0.2.2"])
        // The new target is checked by the new monitors.
        try await waitFor("third checked") { Self.state(runtime, "third")?.summary.state == .down }
        await runtime.stop()
    }

    @Test func stopSavesTheStateFileAndANewRuntimeRestoresIt() async throws {
        let fixture = try SiteFixture(extra: Self.targets(["primary", "secondary"]))
        defer { fixture.remove() }
        let stateFile = fixture.dir.appendingPathComponent("state.json").path
        let runtime = try HealthRuntime(initial: try ServedData.build(configPath: fixture.configPath) { _ in }, logger: Self.logger)
        try Self.setStatus(fixture, ["primary": true, "secondary": false])
        runtime.start()
        try await waitFor("the first round") { runtime.firstRoundDone }
        let board = try #require(runtime.board)
        board.force(target: try #require(board.model.targetIndex(named: "secondary")), .up, until: nil, reason: "kept", at: Date())
        try? FileManager.default.removeItem(atPath: stateFile)
        await runtime.stop()
        #expect(FileManager.default.fileExists(atPath: stateFile))

        // A new process: nothing has run a check, yet every target has its state back.
        try FileManager.default.removeItem(at: fixture.dir.appendingPathComponent("status"))
        let restarted = try HealthRuntime(initial: try ServedData.build(configPath: fixture.configPath) { _ in }, logger: Self.logger)
        #expect(restarted.firstRoundDone)
        #expect(Self.state(restarted, "primary")?.summary.state == .up)
        let secondary = try #require(Self.state(restarted, "secondary"))
        #expect(secondary.summary.forced?.state == .up)
        #expect(secondary.summary.forced?.reason == "kept")
        #expect(secondary.summary.monitoredState == .down)
        #expect(Self.appAnswer(restarted) == ["192.0.2.1"])
    }
}

struct Timeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

