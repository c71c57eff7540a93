import DNSWire
import Foundation
import Server
import Synchronization
import Testing
import TestSupport
@testable import Runtime

/// Counts what the handler reports, as the metrics do.
final class CountingRecorder: QueryRecorder {
    struct Counts {
        var queries: [(tcp: Bool, rcode: RCode?, qtype: UInt16?)] = []
        var dropped = 0
        var slipped = 0
    }
    let counts = Mutex(Counts())

    func record(tcp: Bool, rcode: RCode?, qtype: UInt16?, duration: Duration) {
        counts.withLock { $0.queries.append((tcp, rcode, qtype)) }
    }

    func recordRateLimited(slipped: Bool) {
        counts.withLock { if slipped { $0.slipped += 1 } else { $0.dropped += 1 } }
    }
}

@Suite struct QueryHandlerTests {
    static func context(_ transport: Transport, _ ip: String = "198.51.100.7") -> QueryContext {
        let octets = ip.split(separator: ".").map { UInt8($0)! }
        return QueryContext(transport: transport, client: ClientAddress(bytes: octets)!, clientPort: 5353,
                            receiveTime: UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970)))
    }

    static func query(_ name: String, _ type: RRType) -> [UInt8] {
        TestDNS.query(Question(try! Name(parsing: name), type), id: 0x1234)
    }

    static func reply(_ outcome: Sent) throws -> Message {
        guard case .reply(let bytes) = outcome else { throw Timeout(what: "a reply, got \(outcome)") }
        return try Message.decode(bytes)
    }

    @Test func answersFromTheBoxAndCountsEveryQuery() throws {
        let fixture = try SiteFixture()
        defer { fixture.remove() }
        let box = SnapshotBox(try ServedData.build(configPath: fixture.configPath) { _ in })
        let recorder = CountingRecorder()
        let handler = QueryHandler(box: box, metrics: recorder, limiter: nil)

        let www = try Self.reply(handler.handle(Self.query("www.example.test.", .a), context: Self.context(.udp)))
        #expect(www.header.id == 0x1234)
        #expect(www.rcode == .noError)
        #expect(www.answers.map { $0.rdata.presentation } == ["192.0.2.80"])
        let missing = try Self.reply(handler.handle(Self.query("nope.example.test.", .aaaa), context: Self.context(.tcp)))
        #expect(missing.rcode == .nxDomain)
        let outside = try Self.reply(handler.handle(Self.query("www.example.org.", .a), context: Self.context(.udp)))
        #expect(outside.rcode == .refused)
        // A response (QR set) is dropped, and counted without an rcode.
        var response = Self.query("www.example.test.", .a)
        response[2] |= 0x80
        #expect(handler.handle(response, context: Self.context(.udp)) == .drop(.response))

        // A reload: the next query reads the new snapshot.
        try fixture.write(zone: SiteFixture.zone.replacingOccurrences(of: "192.0.2.80", with: "192.0.2.81"))
        _ = box.replace(with: try ServedData.build(configPath: fixture.configPath) { _ in })
        let reloaded = try Self.reply(handler.handle(Self.query("www.example.test.", .a), context: Self.context(.udp)))
        #expect(reloaded.answers.map { $0.rdata.presentation } == ["192.0.2.81"])

        let counted = recorder.counts.withLock { $0.queries }
        #expect(counted.map(\.tcp) == [false, true, false, false, false])
        #expect(counted.map(\.rcode) == [.noError, .nxDomain, .refused, nil, .noError])
        #expect(counted.map(\.qtype) == [RRType.a.rawValue, RRType.aaaa.rawValue, RRType.a.rawValue, RRType.a.rawValue, RRType.a.rawValue])
        #expect(recorder.counts.withLock { $0.dropped + $0.slipped } == 0)
    }

    /// One answer per second per /24, every second limited answer slipped (TC, no records), the
    /// others dropped; TCP never limited.
    @Test func rateLimitingDropsAndSlipsWhenConfigured() throws {
        let fixture = try SiteFixture(extra: "rate_limit:\n  responses_per_second: 1\n  slip: 2\n")
        defer { fixture.remove() }
        let served = try ServedData.build(configPath: fixture.configPath) { _ in }
        let limiter = try #require(Site<CountingRecorder>.rateLimiter(served.configuration.rateLimit))
        let recorder = CountingRecorder()
        let handler = QueryHandler(box: SnapshotBox(served), metrics: recorder, limiter: limiter)
        let q = Self.query("www.example.test.", .a)

        var sent = 0, slipped = 0, dropped = 0
        for _ in 0..<20 {
            switch handler.handle(q, context: Self.context(.udp)) {
            case .reply(let bytes):
                let m = try Message.decode(bytes)
                if m.header.tc && m.answers.isEmpty { slipped += 1 } else { sent += 1 }
            case .drop(let why):
                #expect(why == .rateLimited)
                dropped += 1
            case .replies:
                Issue.record("a transfer for an A query")
            }
        }
        // The bucket starts with at most one second's credit; the 20 queries take far less
        // than a second, so one or two are answered and the rest limited.
        #expect(sent >= 1 && sent <= 2)
        #expect(slipped > 0 && dropped > 0)
        #expect(slipped + dropped + sent == 20)
        #expect(recorder.counts.withLock { $0.slipped } == slipped)
        #expect(recorder.counts.withLock { $0.dropped } == dropped)
        #expect(recorder.counts.withLock { $0.queries.count } == 20)

        // Another /24 has its own bucket; TCP is never limited.
        #expect(try Self.reply(handler.handle(q, context: Self.context(.udp, "203.0.113.9"))).answers.count == 1)
        for _ in 0..<5 {
            #expect(try Self.reply(handler.handle(q, context: Self.context(.tcp))).answers.count == 1)
        }
    }

    @Test func withoutRateLimitNoLimiterIsMade() throws {
        let fixture = try SiteFixture()
        defer { fixture.remove() }
        let served = try ServedData.build(configPath: fixture.configPath) { _ in }
        #expect(Site<CountingRecorder>.rateLimiter(served.configuration.rateLimit) == nil)
    }
}

/// What the handler sent for one query: the reply's bytes, a transfer, or nothing.
enum Sent: Equatable {
    case reply([UInt8])
    case replies([[UInt8]])
    case drop(DropReason)
}

extension QueryHandler {
    /// One query through the full path with a fresh writer, as a transport would send it.
    func handle(_ query: [UInt8], context: QueryContext) -> Sent {
        var w = WireWriter(capacity: 512)
        switch handle(query, context: context, into: &w) {
        case .reply: return .reply(w.bytes)
        case .transfer(let messages): return .replies(messages)
        case .drop(let why): return .drop(why)
        }
    }
}
