#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore

public struct SocketFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ what: String) { description = "\(what): \(String(cString: strerror(errno)))" }
}

/// A blocking BSD socket with a receive timeout, for talking to the server from tests.
///
/// The descriptor is stored only once the socket is ready, and closed only in `deinit`. A
/// class whose stored properties are all set runs `deinit` even when its initializer then
/// throws, so closing in the initializer's failure path as well closed it twice. Tests run in
/// parallel in one process: between the two closes another test's server could be handed the
/// same number (an epoll, event or socket descriptor), and the second close took it away. NIO
/// traps when a descriptor it owns vanishes; the one EBADF-from-epoll_wait SIGILL seen in 20
/// runs of this suite fits that.
public final class TestSocket: @unchecked Sendable {
    public let fd: Int32

    public init(udpFor address: SocketAddress, timeout: Double = 3) throws {
        let fd = socket(address.protocol.rawValue, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure("socket") }
        TestSocket.setTimeout(fd, timeout)
        self.fd = fd
    }

    /// A connection to `address`, from `source` if given (any 127/8 address on Linux loopback).
    public init(tcpTo address: SocketAddress, timeout: Double = 3, source: SocketAddress? = nil) throws {
        let fd = socket(address.protocol.rawValue, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure("socket") }
        TestSocket.setTimeout(fd, timeout)
        if let source, source.withSockAddr({ bind(fd, $0, socklen_t($1)) }) != 0 {
            let failure = SocketFailure("bind \(source)")
            TestSocket.closeDescriptor(fd)
            throw failure
        }
        let result = address.withSockAddr { pointer, length in connect(fd, pointer, socklen_t(length)) }
        guard result == 0 else {
            let failure = SocketFailure("connect")
            // `self.fd` is not set, so `deinit` does not run: this is the only close.
            TestSocket.closeDescriptor(fd)
            throw failure
        }
        self.fd = fd
    }

    deinit { TestSocket.closeDescriptor(fd) }

    private static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The descriptors this thread's TestSockets close while `tracingCloses` runs.
    private final class CloseTrace { var closed: [Int32] = [] }
    private static let closeTraceKey = "TestSocket.closeTrace"

    /// Every TestSocket close goes through here, so a test can count them (per thread, so
    /// tests running alongside do not show up in each other's count).
    private static func closeDescriptor(_ fd: Int32) {
        (Thread.current.threadDictionary[closeTraceKey] as? CloseTrace)?.closed.append(fd)
        close(fd)
    }

    /// Runs `body` and returns the descriptors TestSockets closed on this thread meanwhile.
    public static func tracingCloses(_ body: () throws -> Void) rethrows -> [Int32] {
        let trace = CloseTrace()
        Thread.current.threadDictionary[closeTraceKey] = trace
        defer { Thread.current.threadDictionary[closeTraceKey] = nil }
        try body()
        return trace.closed
    }

    public func sendTo(_ address: SocketAddress, _ bytes: [UInt8]) throws {
        let sent = address.withSockAddr { pointer, length in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, pointer, socklen_t(length)) }
        }
        guard sent == bytes.count else { throw SocketFailure("sendto") }
    }

    /// The next datagram, or nil on timeout.
    public func receiveDatagram() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65535)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n >= 0 ? Array(buffer[..<n]) : nil
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SocketFailure("send") }
            offset += n
        }
    }

    /// Exactly `count` bytes; nil on EOF or timeout before that.
    public func receive(exactly count: Int) -> [UInt8]? {
        (try? read(count)) ?? nil
    }

    /// Exactly `count` bytes; nil on EOF. Throws on timeout or error.
    public func read(_ count: Int) throws -> [UInt8]? {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while result.count < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - result.count, 0) }
            if n == 0 { return nil }
            if n < 0 { throw SocketFailure("recv") }
            result += buffer[..<n]
        }
        return result
    }

    /// What has arrived (up to 64 KiB); empty on EOF. Throws on timeout or error.
    public func readSome() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw SocketFailure("recv") }
        return Array(buffer[..<n])
    }

    /// One length-framed DNS message, or nil on EOF or timeout.
    public func receiveFrame() -> [UInt8]? {
        guard let prefix = receive(exactly: 2) else { return nil }
        let length = Int(prefix[0]) << 8 | Int(prefix[1])
        return length == 0 ? [] : receive(exactly: length)
    }

    /// What the connection does next: data, an orderly close, or nothing within the timeout.
    public enum Next: Equatable, Sendable { case data, eof, timeout, reset }

    public func next() -> Next {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        if n == 1 { return .data }
        if n == 0 { return .eof }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .timeout : .reset
    }

    /// Waits for EOF, giving up after `attempts` receive timeouts.
    public func waitForEOF(attempts: Int = 3) -> Next {
        for _ in 0..<attempts {
            let next = next()
            if next != .timeout { return next }
        }
        return .timeout
    }
}

