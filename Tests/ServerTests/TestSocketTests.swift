import Foundation
import NIOCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The test client's own descriptor handling (see `TestSocket`): a descriptor closed twice
/// can be another test's by the second close, and NIO traps when its descriptors vanish.
struct TestSocketTests {
    @Test func refusedConnectClosesItsDescriptorOnce() async throws {
        let (refused, closed) = try await offPool { () -> (Bool, [Int32]) in
            // A port bound but not listening: a connect to it is refused at once.
            let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard holder >= 0 else { throw SocketFailure("socket") }
            defer { close(holder) }
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &sin) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(holder, $0, length) == 0 && getsockname(holder, $0, &length) == 0
                }
            }
            guard bound else { throw SocketFailure("bind") }
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: Int(UInt16(bigEndian: sin.sin_port)))
            var refused = false
            let closed = TestSocket.tracingCloses {
                do { _ = try TestSocket(tcpTo: address, timeout: 1) } catch { refused = true }
            }
            return (refused, closed)
        }
        #expect(refused, "a connect to a bound port nobody listens on must be refused")
        #expect(closed.count == 1, "the refused socket's descriptor was closed \(closed.count) times: \(closed)")
    }
}
