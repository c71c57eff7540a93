#if canImport(Glibc)
import Glibc
#endif
import DNSClient
import DNSWire
import Foundation
import NIOCore

/// An IPv4 or IPv6 socket address for the raw-socket helpers (loopback only in these tests).
/// Not NIO's `SocketAddress`, which the plain exchanges (through `DNSClient`) use.
public struct RawSocketAddress {
    public let family: Int32
    private var storage = sockaddr_storage()
    private let length: socklen_t

    public init(host: String, port: UInt16) throws {
        if host.contains(":") {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &a.sin6_addr) == 1 else { throw TestDNS.Failure(description: "bad address \(host)") }
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: a) { dst.copyMemory(from: $0) } }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &a.sin_addr) == 1 else { throw TestDNS.Failure(description: "bad address \(host)") }
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: a) { dst.copyMemory(from: $0) } }
        }
    }

    public func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var s = storage
        return withUnsafePointer(to: &s) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}

/// The tests' DNS helpers. Plain UDP exchanges go through the one `DNSClient` (Sources/DNSClient);
/// what stays here is raw: query bytes for the hostile-input tests, and exchanges on a TCP
/// connection the test keeps open (`TCPConnection`).
public enum TestDNS {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The bytes of a query for `q` with a random ID and, unless `udpSize` is nil, an OPT record.
    public static func query(_ q: Question, id: UInt16 = .random(in: 0...UInt16.max), udpSize: UInt16? = 4096) -> [UInt8] {
        DNSClient.query(q, id: id, udpSize: udpSize).encode()
    }

    public static func setTimeout(_ fd: Int32, ms: Int) {
        var tv = timeval(tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// One UDP exchange through `DNSClient`: up to `attempts` tries, each waiting `timeoutMs`
    /// for the reply carrying our ID. A try that fails at once (refused: nothing listens yet)
    /// still takes its `timeoutMs`, so polling loops keep their pace. Synchronous (it waits on
    /// the client's future, off the event loops) for the readiness probes and sync tests.
    public static func udp(_ q: Question, host: String, port: UInt16, timeoutMs: Int = 2000, attempts: Int = 3) throws -> Message {
        try exchange(q, host: host, port: port, over: .udp, timeoutMs: timeoutMs, attempts: attempts)
    }

    /// `udp` over either transport (TCP: a fresh connection per try).
    public static func exchange(_ q: Question, host: String, port: UInt16, over transport: DNSTransport,
                                timeoutMs: Int = 2000, attempts: Int = 3) throws -> Message {
        let server: NIOCore.SocketAddress
        do { server = try NIOCore.SocketAddress(ipAddress: host, port: Int(port)) } catch {
            throw Failure(description: "bad address \(host): \(error)")
        }
        let bytes = query(q)
        var last = "no reply"
        for _ in 0..<max(attempts, 1) {
            let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
            do {
                let reply = try DNSClient().exchangeFuture(bytes, with: server, over: transport, timeout: .milliseconds(timeoutMs)).wait()
                return try Message.decode(reply)
            } catch let e as DNSClientError {
                last = "\(e)"
                let left = deadline - ContinuousClock.now
                if left > .zero { usleep(UInt32(left.components.attoseconds / 1_000_000_000_000 + left.components.seconds * 1_000_000)) }
            }
        }
        throw Failure(description: "no \(transport) reply from \(host) port \(port) for \(q): \(last)")
    }

    /// One exchange on a TCP connection the test keeps open (`DNSClient` opens one per query):
    /// sends `q` framed and reads the next framed message, which must carry our ID (one query
    /// at a time, so no pipelining to untangle).
    public static func tcp(_ q: Question, on connection: TCPConnection) throws -> Message {
        let id = UInt16.random(in: 0...UInt16.max)
        try connection.sendFramed(query(q, id: id))
        guard let reply = try connection.readFramed() else {
            throw Failure(description: "TCP connection closed before the reply to \(q)")
        }
        guard reply.count >= 2, UInt16(reply[0]) << 8 | UInt16(reply[1]) == id else {
            throw Failure(description: "TCP reply to \(q) does not carry our ID \(id)")
        }
        return try Message.decode(reply)
    }
}

/// One TCP connection to the server, with length-prefixed framing (RFC 1035 4.2.2), by host
/// and port: a `TestSocket` (the one raw socket of the tests) that throws on timeouts.
public final class TCPConnection {
    public let socket: TestSocket
    public var fd: Int32 { socket.fd }

    /// A connection to host:port, from `source` if given (any 127/8 address on Linux loopback).
    public init(host: String, port: UInt16, timeoutMs: Int = 3000, source: String? = nil) throws {
        let address = try NIOCore.SocketAddress(ipAddress: host, port: Int(port))
        let local = try source.map { try NIOCore.SocketAddress(ipAddress: $0, port: 0) }
        socket = try TestSocket(tcpTo: address, timeout: Double(timeoutMs) / 1000, source: local)
    }

    public func send(_ bytes: [UInt8]) throws { try socket.send(bytes) }

    /// Frames and sends one message.
    public func sendFramed(_ message: [UInt8]) throws {
        try send([UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message)
    }

    /// Reads exactly `count` octets; nil on EOF. Throws on timeout or error.
    public func read(_ count: Int) throws -> [UInt8]? { try socket.read(count) }

    /// Reads what has arrived (up to 64 KiB); empty on EOF. Throws on timeout or error.
    public func readSome() throws -> [UInt8] { try socket.readSome() }

    /// Reads one framed message; nil on EOF.
    public func readFramed() throws -> [UInt8]? {
        guard let len = try read(2) else { return nil }
        return try read(Int(len[0]) << 8 | Int(len[1]))
    }
}
