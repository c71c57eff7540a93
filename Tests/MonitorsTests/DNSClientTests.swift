import DNSClient
import DNSWire
import NIOCore
import NIOPosix
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The one DNS client (Sources/DNSClient), against the tiny responders of TestServers.swift.
@Suite struct DNSClientTests {
    let client = DNSClient(group: testGroup)

    @Test func udpExchangeMatchesIDAndQuestion() async throws {
        let server = try await startDNSResponder()
        defer { server.close(promise: nil) }
        let query = DNSClient.query(Question(try Name(parsing: "up.test."), .a))
        let reply = try await client.exchange(query, with: server.localAddress!, timeout: timeout)
        #expect(reply.header.id == query.header.id && reply.rcode == .noError && reply.answers.count == 1)
    }

    @Test func nothingListeningIsRefusedAtOnce() async throws {
        let server = try await startDNSResponder()
        let address = server.localAddress!
        try await server.close()
        let query = DNSClient.query(Question(try Name(parsing: "up.test."), .a))
        let started = ContinuousClock.now
        do {
            _ = try await client.exchange(query, with: address, timeout: .seconds(5))
            Issue.record("a closed port answered")
        } catch {
            #expect(error.isRefused, "\(error)")
            #expect(ContinuousClock.now - started < .seconds(4), "refused should not wait for the timeout")
        }
    }

    @Test func silentServerTimesOut() async throws {
        // Bound, no handler: swallows the query.
        let silent = try await DatagramBootstrap(group: testGroup).bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        do {
            _ = try await client.exchange([0x12, 0x34] + [UInt8](repeating: 0, count: 10), with: silent.localAddress!,
                                          timeout: .milliseconds(200))
            Issue.record("a silent server answered")
        } catch {
            guard case .timeout = error else { Issue.record("not a timeout: \(error)"); return }
            #expect(error.description.hasPrefix("no response within"), "\(error)")
        }
    }

    @Test func tcpConnectionClosedBeforeTheReply() async throws {
        let listener = try await startTCPListener(host: "127.0.0.1")  // accepts and closes at once
        defer { listener.close(promise: nil) }
        let query = DNSClient.query(Question(try Name(parsing: "up.test."), .a))
        do {
            _ = try await client.exchange(query, with: listener.localAddress!,
                                          over: .tcp, timeout: timeout)
            Issue.record("a closing listener answered")
        } catch {
            switch error {
            case .closed, .io: break
            default: Issue.record("\(error)")
            }
        }
    }

    /// A TCP port that is bound but not listening refuses connections, and, held for the whole
    /// test, cannot be taken by a listener of a test running at the same time (closing a
    /// listener and reusing its port raced with other tests' ephemeral ports).
    @Test func tcpRefused() async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &sin) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: Int(UInt16(bigEndian: sin.sin_port)))
        let query = DNSClient.query(Question(try Name(parsing: "up.test."), .a))
        do {
            _ = try await client.exchange(query, with: address,
                                          over: .tcp, timeout: timeout)
            Issue.record("a closed port answered")
        } catch {
            #expect(error.isRefused, "\(error)")
        }
    }
}
