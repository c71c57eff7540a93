import Benchmark
import DNSWire

// Codec hot paths: what a server does per query. Each iteration is one message; the metrics
// are wall clock and the number of malloc calls (mallocCountTotal) per iteration.

/// A typical resolver query: www.example.com. IN A, RD, EDNS 1232 with DO and a client COOKIE.
let queryWire: [UInt8] = {
    var h = Header(id: 0x4A21)
    h.rd = true
    let q = Message(header: h, questions: [Question(try! Name(parsing: "www.example.com."), .a)],
                    edns: EDNS(udpSize: 1232, dnssecOK: true,
                               options: [.cookie(client: [1, 2, 3, 4, 5, 6, 7, 8], server: [])]))
    return q.encode()
}()

/// A typical authoritative answer: a CNAME to two addresses, two NS (one in zone, one out),
/// glue, EDNS; names share suffixes so compression does real work.
let response: Message = {
    func n(_ s: String) -> Name { try! Name(parsing: s) }
    var h = Header(id: 0x4A21)
    h.qr = true; h.aa = true; h.rd = true
    return Message(
        header: h,
        questions: [Question(n("www.example.com."), .a)],
        answers: [
            ResourceRecord(n("www.example.com."), ttl: 300, .cname(n("web.example.com."))),
            ResourceRecord(n("web.example.com."), ttl: 300, .a(A([192, 0, 2, 1]))),
            ResourceRecord(n("web.example.com."), ttl: 300, .a(A([192, 0, 2, 2]))),
        ],
        authority: [
            ResourceRecord(n("example.com."), ttl: 3600, .ns(n("ns1.example.com."))),
            ResourceRecord(n("example.com."), ttl: 3600, .ns(n("ns.example.net."))),
        ],
        additional: [
            ResourceRecord(n("ns1.example.com."), ttl: 3600, .a(A([192, 0, 2, 53]))),
            ResourceRecord(n("ns.example.net."), ttl: 3600,
                           .aaaa(AAAA([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53]))),
        ],
        edns: EDNS(udpSize: 1232))
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        maxDuration: .seconds(2),
        maxIterations: 200_000)

    Benchmark("Decode query (EDNS, COOKIE)") { benchmark in
        let wire = queryWire
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try! Message.decode(wire))
        }
    }

    Benchmark("Encode response (compression, reused writer)") { benchmark in
        let m = response
        var w = WireWriter(capacity: 1232)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            m.encode(into: &w, maxSize: 1232)
            blackHole(w.count)
        }
    }

    Benchmark("Encode response (compression, new buffer)") { benchmark in
        let m = response
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(m.encode(maxSize: 1232))
        }
    }
}
