import DNSClient
import DNSWire
import Health
import NIOCore
import NIOPosix

/// The settings of a DNS check.
public struct DNSCheckSettings: Sendable, Hashable {
    /// The server queried.
    public let address: MonitorAddress
    /// The name asked for.
    public let name: Name
    /// The type asked for.
    public let type: RRType
    /// The response code expected (default NOERROR).
    public let rcode: RCode
    /// A value an answer record must have: an address (compared as bytes) or the RDATA's
    /// presentation text (compared case-insensitively). nil: any answer, or none, will do.
    public let expectAnswer: String?

    /// DNS check settings.
    public init(address: MonitorAddress, name: Name, type: RRType = .a, rcode: RCode = .noError, expectAnswer: String? = nil) {
        self.address = address
        self.name = name
        self.type = type
        self.rcode = rcode
        self.expectAnswer = expectAnswer
    }
}

/// Sends one query over UDP to the checked server and matches the response code and,
/// optionally, an answer value. The query is encoded and the response decoded with DNSWire.
public struct DNSMonitor: Sendable, Hashable {
    /// The settings.
    public let settings: DNSCheckSettings

    /// A DNS check.
    public init(_ settings: DNSCheckSettings) {
        self.settings = settings
    }

    /// Queries once; success when a response with the expected ID, question, rcode and (if
    /// asked) answer arrives within `timeout`.
    public func check(timeout: Duration, group: any EventLoopGroup) async -> CheckResult {
        let s = settings
        let what = "dns \(s.name) \(s.type) @\(s.address)"
        var header = Header(id: UInt16.random(in: 0...UInt16.max))
        header.rd = false
        let query = Message(header: header, questions: [Question(s.name, s.type)]).encode()
        let bytes: [UInt8]
        do throws(DNSClientError) {
            // Over DNSClient's connected UDP socket: an ICMP port unreachable (nothing
            // listens: a crashed server) fails the check at once as "refused".
            bytes = try await DNSClient(group: group, maxResponse: MonitorLimits.maxDNSResponse)
                .exchange(query, with: s.address.socketAddress, over: .udp, timeout: timeout)
        } catch {
            switch error {
            case .timeout: return .failure("\(what): no response within \(timeout.shortDescription)")
            case .io(let e): return .failure("\(what): \(describeConnectError(e, timeout: timeout))")
            case .closed, .malformed: return .failure("\(what): \(describeConnectError(error, timeout: timeout))")
            }
        }
        let response: Message
        do {
            response = try Message.decode(bytes)
        } catch {
            return .failure("\(what): malformed response: \(error)")
        }
        guard response.header.qr, response.questions.first.map({ $0.name == s.name && $0.type == s.type }) ?? false else {
            return .failure("\(what): the response does not answer the question asked")
        }
        guard response.rcode == s.rcode else {
            return .failure("\(what): rcode \(response.rcode), expected \(s.rcode)")
        }
        guard let want = s.expectAnswer else {
            return .success("\(what): \(response.rcode), \(response.answers.count) answers")
        }
        let wantBytes = parseIPv4(want) ?? parseIPv6(want)
        let found = response.answers.contains { rr in
            switch rr.rdata {
            case .a(let v): return v.address == wantBytes
            case .aaaa(let v): return v.address == wantBytes
            default: return rr.rdata.presentation.lowercased() == want.lowercased()
            }
        }
        guard found else {
            let seen = response.answers.map(\.rdata.presentation).joined(separator: ", ")
            return .failure("\(what): no answer \(want) (got \(seen.isEmpty ? "none" : seen))")
        }
        return .success("\(what): \(response.rcode), answer \(want) present")
    }
}
