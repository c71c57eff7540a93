import DNSWire
import Testing
@testable import Answer

/// The response cache: which queries it takes, and that a hit is the full path's answer with the
/// query's ID and spelling.
@Suite struct ResponseCacheTests {
    static func query(_ name: String, _ type: RRType = .a, id: UInt16 = 1, rd: Bool = false, edns: EDNS? = nil) -> [UInt8] {
        var h = Header(id: id)
        h.rd = rd
        var m = Message(header: h, questions: [Question(try! Name(parsing: name), type)])
        m.edns = edns
        return m.encode()
    }

    @Test func shapes() {
        #expect(ResponseCache.shape(of: Self.query("www.example.test."), tcp: false) != nil)
        #expect(ResponseCache.shape(of: Self.query("www.example.test.", edns: EDNS(udpSize: 1232)), tcp: false) != nil)
        #expect(ResponseCache.shape(of: Self.query("www.example.test.", edns: EDNS(udpSize: 1232, options: [.nsid([])])), tcp: false) != nil)
        // Cookies (and any other option) take the full path, and so does anything unusual.
        let cookie = EDNSOption.cookie(client: [1, 2, 3, 4, 5, 6, 7, 8], server: [])
        #expect(ResponseCache.shape(of: Self.query("www.example.test.", edns: EDNS(udpSize: 1232, options: [cookie])), tcp: false) == nil)
        var response = Self.query("www.example.test.")
        response[2] |= 0x80
        #expect(ResponseCache.shape(of: response, tcp: false) == nil)
        #expect(ResponseCache.shape(of: Self.query("www.example.test.") + [0], tcp: false) == nil)
        #expect(ResponseCache.shape(of: Array(Self.query("www.example.test.").prefix(15)), tcp: false) == nil)
        var notify = Self.query("www.example.test.")
        notify[2] |= 4 << 3
        #expect(ResponseCache.shape(of: notify, tcp: false) == nil)
    }

    @Test func hitsCarryTheQueryIDAndSpelling() throws {
        let cache = ResponseCache(capacity: 64)
        let q1 = Self.query("www.example.test.", id: 7, edns: EDNS(udpSize: 1232))
        let s1 = try #require(ResponseCache.shape(of: q1, tcp: false))
        #expect(cache.lookup(q1, shape: s1, tcp: false) == nil)
        // A made-up response: the query with QR and AA set and one answer pointing at the question.
        var r1 = q1
        r1[2] |= 0x84
        r1[7] = 1
        r1 += [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10]
        cache.store(q1, shape: s1, tcp: false, response: r1, rcode: .noError)

        let q2 = Self.query("WWW.Example.TEST.", id: 0xBEEF, edns: EDNS(udpSize: 1232))
        let s2 = try #require(ResponseCache.shape(of: q2, tcp: false))
        let hit = try #require(cache.lookup(q2, shape: s2, tcp: false))
        #expect(hit.response[0] == 0xBE && hit.response[1] == 0xEF)
        #expect(hit.response[12..<s2.nameEnd] == q2[12..<s2.nameEnd])
        #expect(Array(hit.response[s2.nameEnd...]) == Array(r1[s1.nameEnd...]))
        // What the response depends on is in the key: transport, RD, payload size, type.
        #expect(cache.lookup(q2, shape: try #require(ResponseCache.shape(of: q2, tcp: true)), tcp: true) == nil)
        let rd = Self.query("www.example.test.", rd: true, edns: EDNS(udpSize: 1232))
        #expect(cache.lookup(rd, shape: try #require(ResponseCache.shape(of: rd, tcp: false)), tcp: false) == nil)
        let size = Self.query("www.example.test.", edns: EDNS(udpSize: 4096))
        #expect(cache.lookup(size, shape: try #require(ResponseCache.shape(of: size, tcp: false)), tcp: false) == nil)
        let aaaa = Self.query("www.example.test.", .aaaa, edns: EDNS(udpSize: 1232))
        #expect(cache.lookup(aaaa, shape: try #require(ResponseCache.shape(of: aaaa, tcp: false)), tcp: false) == nil)
        let plain = Self.query("www.example.test.")
        #expect(cache.lookup(plain, shape: try #require(ResponseCache.shape(of: plain, tcp: false)), tcp: false) == nil)
    }

    /// Questions asked in a cycle (as dnsperf replays its file) stay once stored while the table
    /// is half full, all but the rare one whose probe sequence is too long: a direct-mapped
    /// table lost every colliding one (about a fifth here) on every pass.
    @Test func halfFullTableKeepsEveryQuestion() throws {
        let cache = ResponseCache(capacity: 8192)
        let queries = (0..<4096).map { Self.query("host\($0).example.test.") }
        for q in queries {
            let s = try #require(ResponseCache.shape(of: q, tcp: false))
            var r = q
            r[2] |= 0x84
            cache.store(q, shape: s, tcp: false, response: r, rcode: .noError)
        }
        var hits = 0
        for q in queries {
            let s = try #require(ResponseCache.shape(of: q, tcp: false))
            if let hit = cache.lookup(q, shape: s, tcp: false), hit.response[12...] == q[12...] { hits += 1 }
        }
        #expect(hits >= queries.count - queries.count / 1000, "\(hits) of \(queries.count)")
        // Storing a key again replaces its response in place instead of taking a second slot.
        let q = queries[0], s = try #require(ResponseCache.shape(of: q, tcp: false))
        var nx = q
        nx[2] |= 0x84; nx[3] |= 3
        cache.store(q, shape: s, tcp: false, response: nx, rcode: .nxDomain)
        #expect(cache.lookup(q, shape: s, tcp: false)?.rcode == .nxDomain)
    }
}

extension ResponseCache {
    /// The cached response for `query` as an array (the transports use `answer(_:shape:tcp:into:)`).
    func lookup(_ query: [UInt8], shape: Shape, tcp: Bool) -> (response: [UInt8], rcode: RCode)? {
        var found: (count: Int, rcode: RCode)?
        let response = [UInt8](unsafeUninitializedCapacity: ResponseCache.maxResponse) { buffer, count in
            found = query.withUnsafeBufferPointer { answer($0, shape: shape, tcp: tcp, into: UnsafeMutableRawBufferPointer(buffer)) }
            count = found?.count ?? 0
        }
        return found.map { (response, $0.rcode) }
    }
}
