import DNSWire
import NIOCore
import NIOPosix

/// The transport a query goes over.
public enum DNSTransport: Sendable, Hashable, CustomStringConvertible {
    /// One datagram each way, from an ephemeral connected socket.
    case udp
    /// A fresh connection, the query and the reply each framed with a 2-octet length
    /// (RFC 1035 4.2.2).
    case tcp

    public var description: String { self == .udp ? "UDP" : "TCP" }
}

/// Why an exchange failed.
public enum DNSClientError: Error, CustomStringConvertible {
    /// No reply carrying the query's ID within the timeout.
    case timeout(Duration)
    /// The socket failed: connect refused (for UDP, an ICMP port unreachable), unreachable,
    /// reset. The underlying NIO error, so callers can word it their own way.
    case io(any Error)
    /// The TCP connection closed before a whole reply arrived.
    case closed
    /// The reply is not a DNS message, or does not answer the question asked.
    case malformed(String)

    /// True when nothing listens at the address (ECONNREFUSED).
    public var isRefused: Bool {
        guard case .io(let e) = self else { return false }
        if let e = e as? IOError { return e.errnoCode == ECONNREFUSED }
        if let e = e as? NIOConnectionError, let first = e.connectionErrors.first {
            return (first.error as? IOError)?.errnoCode == ECONNREFUSED
        }
        return false
    }

    public var description: String {
        switch self {
        case .timeout(let t): return "no response within \(t)"
        case .io(let e): return isRefused ? "refused" : "\(e)"
        case .closed: return "connection closed before the reply"
        case .malformed(let why): return "malformed response: \(why)"
        }
    }
}

/// The one small DNS client: the DNS monitor, `tack fleet check`, the announcer (through the
/// monitor) and the tests all send their queries through it. One query, one reply: no retries
/// (callers that want them loop), no recursion, no name resolution (addresses only).
public struct DNSClient: Sendable {
    /// Where the sockets run.
    public let group: any EventLoopGroup
    /// The largest reply accepted; longer datagrams or frames are ignored / refused.
    public let maxResponse: Int

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, maxResponse: Int = 65535) {
        self.group = group
        self.maxResponse = maxResponse
    }

    /// Sends `query` and returns the first reply that carries the query's ID (its first two
    /// octets), undecoded. UDP replies from elsewhere or with another ID are ignored; on TCP
    /// the next frame must carry the ID.
    public func exchange(_ query: [UInt8], with server: SocketAddress, over transport: DNSTransport = .udp,
                         timeout: Duration) async throws(DNSClientError) -> [UInt8] {
        do {
            return try await exchangeFuture(query, with: server, over: transport, timeout: timeout).get()
        } catch {
            throw Self.classify(error, timeout: timeout)
        }
    }

    /// `exchange` as a future, for callers that are not async (the tests' synchronous
    /// readiness probes `wait()` on it, off the event loops). Fails only with `DNSClientError`.
    public func exchangeFuture(_ query: [UInt8], with server: SocketAddress, over transport: DNSTransport = .udp,
                               timeout: Duration) -> EventLoopFuture<[UInt8]> {
        let loop = group.next()
        let promise = loop.makePromise(of: [UInt8].self)
        guard query.count >= 2 else {
            promise.fail(DNSClientError.malformed("query shorter than a header"))
            return promise.futureResult
        }
        let id = UInt16(query[0]) << 8 | UInt16(query[1])
        let timer = loop.scheduleTask(in: Self.amount(timeout)) { promise.fail(DNSClientError.timeout(timeout)) }
        let connected: EventLoopFuture<any Channel>
        switch transport {
        case .udp:
            // Connected, so an ICMP port unreachable (nothing listens: a crashed server)
            // fails at once as refused instead of waiting for the timeout.
            let handler = UDPReplyHandler(id: id, server: server, maxResponse: maxResponse, promise: promise)
            connected = DatagramBootstrap(group: loop)
                .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(handler) } }
                .connect(to: server)
        case .tcp:
            let handler = TCPReplyHandler(id: id, maxResponse: maxResponse, promise: promise)
            connected = ClientBootstrap(group: loop)
                .connectTimeout(Self.amount(timeout))
                .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(handler) } }
                .connect(to: server)
        }
        connected.whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(error)
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                var buffer = channel.allocator.buffer(capacity: query.count + 2)
                if transport == .tcp { buffer.writeInteger(UInt16(query.count)) }
                buffer.writeBytes(query)
                let written: EventLoopFuture<Void> = transport == .udp
                    ? channel.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: buffer))
                    : channel.writeAndFlush(buffer)
                written.whenFailure { promise.fail($0) }
            }
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult.flatMapErrorThrowing { throw Self.classify($0, timeout: timeout) }
    }

    static func classify(_ error: any Error, timeout: Duration) -> DNSClientError {
        if let e = error as? DNSClientError { return e }
        if let e = error as? ChannelError, case .connectTimeout = e { return .timeout(timeout) }
        return .io(error)
    }

    /// Encodes `query`, exchanges it, and decodes the reply, which must be a response to the
    /// same question (RFC 5452 9.1: match ID and question).
    public func exchange(_ query: Message, with server: SocketAddress, over transport: DNSTransport = .udp,
                         timeout: Duration) async throws(DNSClientError) -> Message {
        let bytes = try await exchange(query.encode(), with: server, over: transport, timeout: timeout)
        let reply: Message
        do { reply = try Message.decode(bytes) } catch { throw .malformed("\(error)") }
        guard reply.header.qr, reply.header.id == query.header.id, reply.questions.first == query.questions.first else {
            throw .malformed("the response does not answer the question asked")
        }
        return reply
    }

    /// A query message for `question`, with a random ID, RD clear and an OPT record unless
    /// `udpSize` is nil.
    public static func query(_ question: Question, id: UInt16 = .random(in: 0...UInt16.max), udpSize: UInt16? = nil) -> Message {
        var header = Header(id: id)
        header.rd = false
        return Message(header: header, questions: [question], edns: udpSize.map { EDNS(udpSize: $0) })
    }

    private static func amount(_ d: Duration) -> TimeAmount {
        let (s, atto) = d.components
        return .nanoseconds(s * 1_000_000_000 + atto / 1_000_000_000)
    }
}

/// Completes the promise with the first datagram from the server carrying the query ID.
private final class UDPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let id: UInt16
    let server: SocketAddress
    let maxResponse: Int
    let promise: EventLoopPromise<[UInt8]>

    init(id: UInt16, server: SocketAddress, maxResponse: Int, promise: EventLoopPromise<[UInt8]>) {
        self.id = id
        self.server = server
        self.maxResponse = maxResponse
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let env = unwrapInboundIn(data)
        guard env.remoteAddress == server, env.data.readableBytes <= maxResponse,
              env.data.getInteger(at: env.data.readerIndex, as: UInt16.self) == id else { return }
        promise.succeed(Array(env.data.readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { promise.fail(error) }
    func handlerRemoved(context: ChannelHandlerContext) { promise.fail(ChannelError.ioOnClosedChannel) }
}

/// Gathers one length-prefixed frame; it must carry the query ID.
private final class TCPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let id: UInt16
    let maxResponse: Int
    let promise: EventLoopPromise<[UInt8]>
    var pending: ByteBuffer?

    init(id: UInt16, maxResponse: Int, promise: EventLoopPromise<[UInt8]>) {
        self.id = id
        self.maxResponse = maxResponse
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if pending == nil { pending = bytes } else { pending!.writeBuffer(&bytes) }
        guard let p = pending, let length = p.getInteger(at: p.readerIndex, as: UInt16.self),
              p.readableBytes >= 2 + Int(length) else { return }
        guard Int(length) <= maxResponse, let frame = p.getBytes(at: p.readerIndex + 2, length: Int(length)) else { return }
        guard frame.count >= 2, UInt16(frame[0]) << 8 | UInt16(frame[1]) == id else {
            promise.fail(DNSClientError.malformed("the TCP reply does not carry the query ID \(id)"))
            return
        }
        promise.succeed(frame)
    }

    /// Whether the connection was established. Before that, a teardown is the connect failing,
    /// and the connect's own error (refused, unreachable) is what the caller must see: the
    /// pipeline can be removed before the connect future reports it.
    var connected = false

    func channelActive(context: ChannelHandlerContext) {
        connected = true
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if connected { promise.fail(DNSClientError.closed) }
    }
    func errorCaught(context: ChannelHandlerContext, error: any Error) { promise.fail(error) }
    func handlerRemoved(context: ChannelHandlerContext) {
        if connected { promise.fail(DNSClientError.closed) }
    }
}
