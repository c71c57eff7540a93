import DNSWire
import Foundation
import Logging
import NIOCore
@testable import Server
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real responder for transport tests: echoes the question with QR and AA set, answers A
/// queries with 10.0.x.y where x.y is the snapshot generation, adds a TXT naming the transport,
/// and drops queries for names under `drop.`.
struct EchoHandler: DatagramHandler {
    let snapshot: SnapshotBox<UInt32>

    init(snapshot: SnapshotBox<UInt32> = SnapshotBox(0)) { self.snapshot = snapshot }

    func handle(_ query: [UInt8], context: QueryContext) -> QueryOutcome {
        guard let message = try? Message.decode(query), !message.header.qr,
              let question = message.questions.first else { return .drop }
        if question.name.description.hasPrefix("drop.") { return .drop }
        let generation = snapshot.load()
        var header = message.header
        header.qr = true
        header.aa = true
        header.rcodeLow = 0
        var response = Message(header: header, questions: [question])
        if question.type == .a {
            response.answers.append(ResourceRecord(question.name, ttl: 60,
                .a(A([10, 0, UInt8(truncatingIfNeeded: generation >> 8), UInt8(truncatingIfNeeded: generation)]))))
            response.answers.append(ResourceRecord(question.name, ttl: 60,
                .txt(TXT([Array(context.transport.description.utf8)]))))
        }
        return .reply(response.encode())
    }
}

enum TestQuery {
    /// A query for `name`/`type` with the given ID.
    static func make(_ name: String, _ type: RRType = .a, id: UInt16) -> [UInt8] {
        var header = Header(id: id)
        header.rd = false
        return Message(header: header, questions: [Question(try! Name(parsing: name), type)]).encode()
    }

    /// The generation carried in the A answer, or nil if the answer is not what EchoHandler sends.
    static func generation(in response: Message) -> UInt32? {
        for record in response.answers {
            if case .a(let a) = record.rdata { return UInt32(a.address[2]) << 8 | UInt32(a.address[3]) }
        }
        return nil
    }

    /// The transport named in the TXT answer.
    static func transport(in response: Message) -> String? {
        for record in response.answers {
            if case .txt(let txt) = record.rdata, let first = txt.strings.first { return String(decoding: first, as: UTF8.self) }
        }
        return nil
    }
}

struct SocketFailure: Error, CustomStringConvertible {
    var description: String
    init(_ what: String) { description = "\(what): \(String(cString: strerror(errno)))" }
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
final class TestSocket: @unchecked Sendable {
    let fd: Int32

    init(udpFor address: SocketAddress, timeout: Double = 3) throws {
        let fd = socket(address.protocol.rawValue, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure("socket") }
        TestSocket.setTimeout(fd, timeout)
        self.fd = fd
    }

    init(tcpTo address: SocketAddress, timeout: Double = 3) throws {
        let fd = socket(address.protocol.rawValue, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure("socket") }
        TestSocket.setTimeout(fd, timeout)
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
    static func tracingCloses(_ body: () throws -> Void) rethrows -> [Int32] {
        let trace = CloseTrace()
        Thread.current.threadDictionary[closeTraceKey] = trace
        defer { Thread.current.threadDictionary[closeTraceKey] = nil }
        try body()
        return trace.closed
    }

    func sendTo(_ address: SocketAddress, _ bytes: [UInt8]) throws {
        let sent = address.withSockAddr { pointer, length in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, pointer, socklen_t(length)) }
        }
        guard sent == bytes.count else { throw SocketFailure("sendto") }
    }

    /// The next datagram, or nil on timeout.
    func receiveDatagram() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65535)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n >= 0 ? Array(buffer[..<n]) : nil
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SocketFailure("send") }
            offset += n
        }
    }

    /// Exactly `count` bytes; nil on EOF or timeout before that.
    func receive(exactly count: Int) -> [UInt8]? {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while result.count < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - result.count, 0) }
            guard n > 0 else { return nil }
            result += buffer[..<n]
        }
        return result
    }

    /// One length-framed DNS message, or nil on EOF or timeout.
    func receiveFrame() -> [UInt8]? {
        guard let prefix = receive(exactly: 2) else { return nil }
        let length = Int(prefix[0]) << 8 | Int(prefix[1])
        return length == 0 ? [] : receive(exactly: length)
    }

    /// What the connection does next: data, an orderly close, or nothing within the timeout.
    enum Next: Equatable { case data, eof, timeout, reset }

    func next() -> Next {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        if n == 1 { return .data }
        if n == 0 { return .eof }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .timeout : .reset
    }

    /// Waits for EOF, giving up after `attempts` receive timeouts.
    func waitForEOF(attempts: Int = 3) -> Next {
        for _ in 0..<attempts {
            let next = next()
            if next != .timeout { return next }
        }
        return .timeout
    }
}

/// Length-prefixes a DNS message for TCP.
func framed(_ message: [UInt8]) -> [UInt8] {
    [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
}

/// Logs warnings and above to stderr, so a failing test shows why.
let testLogger: Logger = {
    var logger = Logger(label: "tack.server.tests")
    logger.logLevel = .warning
    return logger
}()

/// Starts a server on loopback with port 0 and the given handler and options.
func startServer<H: DatagramHandler>(_ handler: H, listeners: [String] = ["127.0.0.1:0", "[::1]:0"],
                                     logger: Logger = testLogger,
                                     configure: (inout ServerOptions) -> Void = { _ in }) async throws
    -> (server: DNSServer<H>, bound: [BoundListener]) {
    var options = ServerOptions(listeners: try listeners.map { try ListenAddress(parsing: $0) },
                                udpSocketsPerListener: 2)
    configure(&options)
    let server = try DNSServer(options: options, handler: handler, logger: logger)
    let bound = try await server.start()
    return (server, bound)
}
