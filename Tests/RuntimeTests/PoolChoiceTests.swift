import DNSWire
import Foundation
import Testing
import TestSupport
import Runtime

/// The one place that chooses a pool by query type (`QueryEngine.poolIndex(for:type:)`), held
/// to what the engine answers: a name and type it names a pool for gets that pool's records,
/// any other gets the zone's.
@Suite struct PoolChoiceTests {
    static let zone = SiteFixture.zone + """
        static  IN TXT  "static"
        *.wild  IN A    192.0.2.70
        sub     IN NS   ns.sub
        ns.sub  IN A    192.0.2.54

        """

    static let config = """
        targets:
          - name: v4
            answers: [192.0.2.1]
            monitors: [{type: file, path: status}]
          - name: v6
            answers: ["2001:db8::1"]
            monitors: [{type: file, path: status}]
          - name: alias
            cname: www.example.test
            monitors: [{type: file, path: status}]
        pools:
          - name: app4
            owner: app.example.test
            tiers: [[v4]]
            ttl: 60
          - name: app6
            owner: app.example.test
            kind: AAAA
            tiers: [[v6]]
            ttl: 60
          - name: alias
            owner: alias.example.test
            kind: CNAME
            tiers: [[alias]]
            ttl: 60
          - name: static4
            owner: static.example.test
            tiers: [[v4]]
            ttl: 60

        """

    static func name(_ s: String) -> Name { try! Name(parsing: s) }

    @Test(arguments: [
        ("app.example.test.", RRType.a, "app4"), ("app.example.test.", .aaaa, "app6"),
        ("APP.example.test.", .a, "app4"),
        ("app.example.test.", .txt, nil), ("app.example.test.", .cname, nil), ("app.example.test.", .any, nil),
        ("alias.example.test.", .a, "alias"), ("alias.example.test.", .aaaa, "alias"), ("alias.example.test.", .mx, "alias"),
        ("alias.example.test.", .cname, "alias"), ("alias.example.test.", .any, "alias"),
        ("alias.example.test.", .rrsig, nil), ("alias.example.test.", .nsec, nil),
        ("static.example.test.", .a, "static4"), ("static.example.test.", .txt, nil),
        ("www.example.test.", .a, nil), ("x.wild.example.test.", .a, nil), ("ns.sub.example.test.", .a, nil),
        ("nope.example.test.", .a, nil), ("www.example.org.", .a, nil),
    ] as [(String, RRType, String?)])
    func choosesThePoolTheEngineAnswersFrom(_ owner: String, _ type: RRType, _ pool: String?) throws {
        let fixture = try SiteFixture(zone: Self.zone, extra: Self.config)
        defer { fixture.remove() }
        let served = try ServedData.build(configPath: fixture.configPath) { _ in }
        let engine = served.responder.source
        let model = try #require(served.model)
        let chosen = engine.poolIndex(for: Self.name(owner), type: type)
        #expect(chosen.map { model.pools[$0].name } == pool)
        // The engine agrees. Nothing is checked yet: a pool answers its first tier (all down,
        // the default all-down mode), so a pool answer carries the pool's target data.
        let answer = engine.answer(Question(Self.name(owner), type)).answer.map { $0.rdata.presentation }
        switch pool {
        case "app4", "static4": #expect(answer == ["192.0.2.1"])
        case "app6": #expect(answer == ["2001:db8::1"])
        case "alias" where type == .cname || type == .any: #expect(answer == ["www.example.test."])
        case "alias" where type == .a: #expect(answer == ["www.example.test.", "192.0.2.80"])
        case "alias": #expect(answer.first == "www.example.test.")
        default: #expect(!answer.contains("192.0.2.1") && !answer.contains("2001:db8::1") && !answer.contains("www.example.test."))
        }
    }

    @Test func noPoolsNoChoice() throws {
        let fixture = try SiteFixture()
        defer { fixture.remove() }
        let engine = try ServedData.build(configPath: fixture.configPath) { _ in }.responder.source
        #expect(engine.poolIndex(for: Self.name("www.example.test."), type: .a) == nil)
    }
}
