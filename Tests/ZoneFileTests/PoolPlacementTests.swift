import DNSWire
import Testing
import ZoneFile

/// A pool's owner must not collide with static data of its type (any data for CNAME pools)
/// nor sit at or below a delegation; the conflict names the zone file line.
@Suite struct PoolPlacementTests {
    static let zone = """
    $ORIGIN pool.test.
    @       3600 IN SOA ns host 1 7200 3600 1209600 300
    @       3600 IN NS  ns
    ns      3600 IN A   192.0.2.1
    www       60 IN TXT "static"
    addr      60 IN A   192.0.2.80
    alias     60 IN CNAME www
    sub     3600 IN NS  ns.elsewhere.example.
    """

    static let rows: [(owner: String, kind: String, line: Int?)] = [
        ("www.pool.test.", "A", nil),          // TXT only: an A pool may answer there
        ("www.pool.test.", "CNAME", 5),        // a CNAME pool may not share the owner
        ("addr.pool.test.", "A", 6),           // same type
        ("addr.pool.test.", "AAAA", nil),      // other type
        ("alias.pool.test.", "A", 7),          // a static CNAME is in the way
        ("sub.pool.test.", "A", 8),            // at a delegation
        ("x.sub.pool.test.", "AAAA", 8),       // below a delegation
        ("new.pool.test.", "CNAME", nil),      // no static data
    ]

    @Test(arguments: rows)
    func conflicts(_ row: (owner: String, kind: String, line: Int?)) throws {
        let origin = try Name(parsing: "pool.test.")
        let parsed = ZoneFileParser.parse(text: PoolPlacementTests.zone, origin: origin, fileName: "pool.zone")
        #expect(parsed.errors.isEmpty)
        let owner = try Name(parsing: row.owner), kind = RRType(mnemonic: row.kind)!
        let c = PoolPlacement.conflict(owner: owner, kind: kind, origin: origin, records: parsed.records)
        // The loader's streaming form finds the same conflict.
        var streaming = PoolPlacement(owner: owner, kind: kind, origin: origin)
        let loaded = ZoneLoader.load(text: PoolPlacementTests.zone, origin: origin, fileName: "pool.zone") { streaming.see($0) }
        #expect(loaded.zone != nil)
        #expect(streaming.conflict == c)
        #expect(c?.location.line == row.line, "\(String(describing: c))")
        if let c { #expect(c.location.file == "pool.zone") }
    }
}
