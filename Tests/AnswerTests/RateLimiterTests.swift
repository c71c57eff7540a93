import DNSWire
import Testing
@testable import Answer

/// Response rate limiting with an injected clock.
@Suite struct RateLimiterTests {
    static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> ClientAddress { ClientAddress(ipv4: a, b, c, d) }

    @Test func bucketSlipAndRefill() {
        let rl = RateLimiter(answersPerSecond: 10, nxdomainsPerSecond: 2, errorsPerSecond: 0, slip: 2)
        let c = Self.v4(192, 0, 2, 1)
        let first = (0..<10).map { _ in rl.check(c, kind: .answer, nowMs: 1000) }
        #expect(first.allSatisfy { $0 == .send })
        let over = (0..<6).map { _ in rl.check(c, kind: .answer, nowMs: 1000) }
        #expect(over == [.drop, .slip, .drop, .slip, .drop, .slip])
        // Half a second later: five more.
        let later = (0..<6).map { _ in rl.check(c, kind: .answer, nowMs: 1500) }
        #expect(later.filter { $0 == .send }.count == 5)
        // Another address in the same /24 shares the bucket; another /24 does not.
        #expect(rl.check(Self.v4(192, 0, 2, 200), kind: .answer, nowMs: 1500) != .send)
        #expect(rl.check(Self.v4(192, 0, 3, 1), kind: .answer, nowMs: 1500) == .send)
        // Kinds have their own budgets; a zero budget is not limited.
        #expect(rl.check(c, kind: .nxdomain, nowMs: 1500) == .send)
        #expect(rl.check(c, kind: .nxdomain, nowMs: 1500) == .send)
        #expect(rl.check(c, kind: .nxdomain, nowMs: 1500) != .send)
        #expect((0..<100).allSatisfy { _ in rl.check(c, kind: .error, nowMs: 1500) == .send })
    }

    @Test func ipv6PrefixesAndExemptions() {
        let net = ClientAddress(bytes: [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0] + Array(repeating: 0, count: 8))!
        let sameSlash56 = ClientAddress(bytes: [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0xff] + Array(repeating: 7, count: 8))!
        let otherSlash56 = ClientAddress(bytes: [0x20, 0x01, 0x0d, 0xb8, 0, 1, 1, 0] + Array(repeating: 0, count: 8))!
        let rl = RateLimiter(answersPerSecond: 1, nxdomainsPerSecond: 1, errorsPerSecond: 1, slip: 0,
                             exempt: [ClientPrefix(address: [10, 0, 0, 0], length: 8)!])
        #expect(rl.check(net, kind: .answer, nowMs: 0) == .send)
        #expect(rl.check(sameSlash56, kind: .answer, nowMs: 0) == .drop)  // slip 0 never slips
        #expect(rl.check(otherSlash56, kind: .answer, nowMs: 0) == .send)
        #expect((0..<50).allSatisfy { _ in rl.check(Self.v4(10, 9, 8, 7), kind: .answer, nowMs: 0) == .send })
    }

    @Test func slipResponseKeepsTheQuestionOnly() {
        // id 0xabcd, QR AA, NXDOMAIN, 1 question, 0 answers, 1 authority, 1 additional.
        let q: [UInt8] = [3, 0x77, 0x77, 0x77, 0, 0, 1, 0, 1]
        let full: [UInt8] = [0xAB, 0xCD, 0x84, 0x03, 0, 1, 0, 0, 0, 1, 0, 1] + q + [0xC0, 12, 0, 6, 0, 1, 0, 0, 0, 60, 0, 0]
        var slipped = full
        let slip = slipped.withUnsafeMutableBytes { RateLimiter.slip($0) }.map { Array(slipped.prefix($0)) }
        #expect(slip == [0xAB, 0xCD, 0x86, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + q)
    }
}
