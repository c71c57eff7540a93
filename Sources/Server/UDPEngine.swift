import Atomics
import CDatagramBatch
import DNSWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The UDP side of the server, beside NIO (which keeps TCP): every socket of every listener
/// (SO_REUSEPORT, one per core) has a thread of its own that blocks in `recvmmsg` for a batch,
/// answers each datagram into a slot of a buffer allocated once (`CDatagramBatch`), and sends
/// the batch's replies with one `sendmmsg` — the loop of a plain UDP echo server (the UDP ceiling),
/// with the handler in the middle. The engine allocates nothing per query; a handler that
/// answers in place (`DatagramHandler.answerCached`) makes the whole path allocation-free.
///
/// Why not NIO for UDP: its datagram path wraps every datagram in an `AddressedEnvelope` with a
/// `SocketAddress` and a `ByteBuffer` and runs a pipeline per read and per write; for an
/// authoritative server answering small queries that per-datagram work is most of the cost.
final class UDPEngine<Handler: DatagramHandler>: @unchecked Sendable {
    private let handler: Handler
    private let sockets: [Int32]
    private let batch: Int
    private let querySlot: Int
    private let queryLog: QueryLog?
    private let logger: Logger
    private let stopping = ManagedAtomic(false)
    /// Threads still running, and who waits for them to finish.
    private let running = NIOLockedValueBox<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    /// Takes ownership of `sockets` (bound, not yet read); `start()` runs a thread on each.
    init(handler: Handler, sockets: [Int32], batch: Int, querySlot: Int, queryLog: QueryLog?, logger: Logger) {
        self.handler = handler
        self.sockets = sockets
        self.batch = batch
        self.querySlot = querySlot
        self.queryLog = queryLog
        self.logger = logger
    }

    /// Starts one thread per socket (detached: `stop()` waits for them through `running`).
    func start() throws(ServerError) {
        for fd in sockets {
            let worker = Unmanaged.passRetained(ThreadBody { [self] in
                serve(fd: fd)
                threadFinished()
            })
            running.withLockedValue { $0.count += 1 }
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { arg in
                Unmanaged<ThreadBody>.fromOpaque(arg!).takeRetainedValue().run()
                return nil
            }, worker.toOpaque())
            guard rc == 0 else {
                worker.release()
                threadFinished()
                throw ServerError(.bindFailed, "UDP", "could not start a UDP thread (error \(rc)); the system is out of threads")
            }
            pthread_detach(thread)
        }
    }

    /// Stops every thread (each notices within the receive timeout), waits for them, and
    /// closes the sockets. Datagrams already read are answered first.
    func stop() async {
        stopping.store(true, ordering: .releasing)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = running.withLockedValue { state -> Bool in
                if state.count == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        for fd in sockets { close(fd) }
    }

    /// Called by each thread as it ends; the last one wakes `stop()`.
    private func threadFinished() {
        let waiters = running.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for w in waiters { w.resume() }
    }

    /// One socket's loop: receive a batch, answer it, send the replies.
    func serve(fd: Int32) {
        guard let b = tack_batch_create(Int32(batch), querySlot, DatagramSocket.replySlot) else {
            logger.critical("out of memory for a UDP batch; this socket does not serve")
            return
        }
        defer { tack_batch_destroy(b) }
        // The full path's reply buffer, reused for every query of this socket.
        var writer = WireWriter(capacity: DatagramSocket.replySlot)
        while !stopping.load(ordering: .relaxed) {
            let n = Int(tack_batch_receive(b, fd))
            if n < 0 {
                let e = -Int32(n)
                if e == EINTR || e == EAGAIN || e == EWOULDBLOCK { continue }
                if !stopping.load(ordering: .relaxed) {
                    logger.error("udp receive failed; this socket stops serving", metadata: ["errno": "\(e)"])
                }
                return
            }
            for i in 0..<Int32(n) {
                var length = 0, cut: Int32 = 0, capacity = 0
                let bytes = tack_batch_query(b, i, &length, &cut)
                // A datagram longer than the slot was cut by the kernel: dropped, as a query
                // that large is no query this server accepts.
                guard cut == 0, let bytes, let peer = tack_batch_peer(b, i) else { continue }
                let query = UnsafeRawBufferPointer(start: bytes, count: length)
                let slot = UnsafeMutableRawBufferPointer(start: tack_batch_next_reply(b, &capacity), count: capacity)
                let written = handler.answerCached(query, transport: .udp, from: peer, into: slot)
                    ?? answerFully(query, from: peer, into: slot, writer: &writer)
                if let queryLog { log(queryLog, query, peer, UnsafeRawBufferPointer(rebasing: slot[0..<written])) }
                if written > 0 { tack_batch_queue_reply(b, i, written) }
            }
            _ = tack_batch_send(b, fd)
        }
    }

    /// The full path: the query copied into `handle(_:context:into:)`, its reply copied into the slot.
    private func answerFully(_ query: UnsafeRawBufferPointer, from peer: UnsafePointer<sockaddr>,
                             into reply: UnsafeMutableRawBufferPointer, writer: inout WireWriter) -> Int {
        guard case .reply = handler.handle(Array(query), context: QueryContext(transport: .udp, peer: peer), into: &writer),
              writer.bytes.count <= reply.count else { return 0 }
        writer.bytes.withUnsafeBytes { reply.copyMemory(from: $0) }
        return writer.bytes.count
    }

    private func log(_ queryLog: QueryLog, _ query: UnsafeRawBufferPointer, _ peer: UnsafePointer<sockaddr>,
                     _ reply: UnsafeRawBufferPointer) {
        queryLog.record(query: query, reply: reply, context: QueryContext(transport: .udp, peer: peer))
    }
}

/// What a UDP thread runs, boxed for the C thread entry point.
private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// UDP sockets for the engine.
enum DatagramSocket {
    /// A reply slot: the largest UDP reply (max_udp_payload is at most 4096, and the protocol
    /// layer never writes more than the client's EDNS size allows).
    static var replySlot: Int { 4096 }
    /// How long a receive blocks before the thread looks at the stop flag.
    static var receiveTimeoutMicroseconds: Int { 100_000 }

    /// A UDP socket bound to `address` with SO_REUSEPORT (so each core can have one on the same
    /// port), IPv6-only for an IPv6 address, and a receive timeout so its thread can stop.
    static func bind(_ address: SocketAddress, reusePort: Bool = true) throws(ServerError) -> Int32 {
        let family = address.protocol.rawValue
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket", address) }
        var one: Int32 = 1
        var ok = true
        if reusePort { ok = ok && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 }
        if family == AF_INET6 {
            ok = ok && setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0
        }
        let us = receiveTimeoutMicroseconds
        var timeout = timeval(tv_sec: us / 1_000_000, tv_usec: us % 1_000_000)
        ok = ok && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0
        guard ok else {
            let error = failure("setsockopt", address)
            close(fd)
            throw error
        }
        let rc = address.withSockAddr { sa, len in Glibc.bind(fd, sa, socklen_t(len)) }
        guard rc == 0 else {
            let error = failure("bind", address)
            close(fd)
            throw error
        }
        return fd
    }

    /// The port a bound socket got.
    static func port(of fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard rc == 0 else { return nil }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0)?.port }
        }
    }

    /// A port free for UDP on `address` right now: bound without SO_REUSEPORT and released.
    /// (Port 0 with SO_REUSEPORT may be given a port another SO_REUSEPORT socket of this user
    /// holds; without it the kernel picks a port nobody holds.)
    static func freePort(on address: SocketAddress) throws(ServerError) -> Int {
        let fd = try bind(address, reusePort: false)
        defer { close(fd) }
        guard let port = port(of: fd) else { throw failure("getsockname", address) }
        return port
    }

    private static func failure(_ call: String, _ address: SocketAddress) -> ServerError {
        let e = errno
        return ServerError(.bindFailed, "\(address)", "\(call): \(String(cString: strerror(e))) (errno \(e))")
    }
}
