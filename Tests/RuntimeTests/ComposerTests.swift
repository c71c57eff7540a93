import DNSWire
import Foundation
import Health
import Server
import Testing
import TestSupport
@testable import Runtime

/// The composer's lock protocol: health snapshots from the current board and reloaded data meet
/// in one box; neither overwrites the other, old boards are ignored, generations never go back.
@Suite struct ComposerTests {
    static let pools = """
        targets:
          - name: primary
            answers: [192.0.2.1]
            monitors:
              - type: file
                path: /nonexistent/primary
          - name: secondary
            answers: [192.0.2.2]
            monitors:
              - type: file
                path: /nonexistent/secondary
        pools:
          - name: app
            owner: app.example.test
            tiers: [[primary], [secondary]]
            ttl: 60

        """

    /// The answer of the pool in whatever the box holds now.
    static func poolAnswer(_ box: SnapshotBox<ServedData>) -> String {
        let served = box.load()
        let r = served.responder.source.answer(Question(try! Name(parsing: "app.example.test."), .a))
        return r.answer.map { $0.rdata.presentation }.joined(separator: ",")
    }

    static func snapshot(_ model: HealthModel, primaryUp: Bool, generation: UInt64) -> HealthSnapshot {
        var machines = model.makeStateMachines()
        _ = machines[0].record(monitor: 0, result: primaryUp ? .success("up") : .failure("down"), at: Date())
        _ = machines[1].record(monitor: 0, result: .success("up"), at: Date())
        return HealthSnapshot.build(model: model, machines: machines, generation: generation, at: Date())
    }

    /// The fixture's data in a box, a composer over it and the board it follows.
    static func composed(_ fixture: SiteFixture) throws
        -> (ServedData, HealthModel, SnapshotBox<ServedData>, Composer, BoardToken) {
        let base = try ServedData.build(configPath: fixture.configPath) { _ in }
        let model = try #require(base.model)
        let box = SnapshotBox(base)
        let composer = Composer(box: box, base: base)
        let board = HealthBoard(model: model, at: Date()) { _, _ in }
        let token = BoardToken()
        composer.switchBoard(board, token: token, base: base)
        return (base, model, box, composer, token)
    }

    @Test func healthAndReloadsBothReachTheBox() throws {
        let fixture = try SiteFixture(extra: Self.pools)
        defer { fixture.remove() }
        let (_, model, box, composer, token) = try Self.composed(fixture)
        composer.publish(Self.snapshot(model, primaryUp: false, generation: 5), from: token)
        #expect(Self.poolAnswer(box) == "192.0.2.2")
        // An older generation, or a snapshot of another board, changes nothing.
        composer.publish(Self.snapshot(model, primaryUp: true, generation: 4), from: token)
        composer.publish(Self.snapshot(model, primaryUp: true, generation: 9), from: BoardToken())
        #expect(Self.poolAnswer(box) == "192.0.2.2")
        // A reload with the same health model keeps the current health.
        try fixture.write(zone: SiteFixture.zone + "new IN A 192.0.2.9\n")
        let reloaded = try ServedData.build(configPath: fixture.configPath) { _ in }
        _ = composer.replaceBase(reloaded)
        #expect(Self.poolAnswer(box) == "192.0.2.2")
        #expect(box.load().zones.zones[0].records.count == reloaded.zones.zones[0].records.count)
    }

    /// Health publishers and reloads racing: the box always ends with the newest health and the
    /// last reload, whatever the interleaving.
    @Test func concurrentPublishersNeverLoseTheNewest() async throws {
        let fixture = try SiteFixture(extra: Self.pools)
        defer { fixture.remove() }
        let (base, model, box, composer, token) = try Self.composed(fixture)
        let snapshots = (1...400).map { Self.snapshot(model, primaryUp: $0 % 2 == 0, generation: UInt64($0)) }
        await withTaskGroup(of: Void.self) { group in
            for chunk in 0..<4 {
                group.addTask {
                    for i in stride(from: chunk, to: snapshots.count, by: 4) { composer.publish(snapshots[i], from: token) }
                }
            }
            group.addTask {
                for _ in 0..<50 { _ = composer.replaceBase(base) }
            }
        }
        // Generation 400 (primary up) is the newest: whatever order the tasks ran in, it wins.
        #expect(Self.poolAnswer(box) == "192.0.2.1")
    }
}
