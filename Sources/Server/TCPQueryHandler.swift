import DNSWire
import Logging
import NIOCore

/// Serves one TCP connection (RFC 7766): length-framed queries, pipelined and answered in
/// order, an idle timeout, a zero-length frame or half-close ending the connection, read
/// back-pressure while the client is not reading its answers, and draining at shutdown.
final class TCPQueryHandler<Handler: DatagramHandler>: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handler: Handler
    private let queryLog: QueryLog?
    private let logger: Logger
    private let tracker: ConnectionTracker
    private let idleTimeout: TimeAmount

    private var parser = TCPFrameParser()
    /// The full path's reply buffer, reused for every query of the connection.
    private var writer = WireWriter(capacity: 512)
    private var client: SocketAddress?
    private var admitted = false
    private var lastQuery = NIODeadline.now()
    private var idleTimer: Scheduled<Void>?
    private var unflushed = false
    private var closing = false
    private var draining = false
    private var readHeld = false

    /// How long an idle connection stays open once draining starts, so queries already sent
    /// but not yet read are still answered (RFC 7766 6.2.4: answer what was received).
    static var drainLinger: TimeAmount { .milliseconds(50) }

    init(handler: Handler, queryLog: QueryLog?, logger: Logger, tracker: ConnectionTracker, idleTimeout: TimeAmount) {
        self.handler = handler
        self.queryLog = queryLog
        self.logger = logger
        self.tracker = tracker
        self.idleTimeout = idleTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        if let refusal = tracker.admit(context.channel) {
            let why = switch refusal {
            case .total: "at the connection cap (limits.tcp_max_connections)"
            case .source: "at the per-source cap (limits.tcp_max_connections_per_source)"
            case .draining: "shutting down"
            }
            logger.debug("tcp connection refused: \(why)",
                         metadata: ["client": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
            closing = true
            context.close(promise: nil)
            return
        }
        admitted = true
        client = context.channel.remoteAddress
        lastQuery = .now()
        scheduleIdleCheck(context: context, at: lastQuery + idleTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
        releaseSlot(context: context)
        context.fireChannelInactive()
    }

    /// Gives the connection's slot back; done before closing, so a client that sees the close
    /// can connect again at once without meeting the cap.
    private func releaseSlot(context: ChannelHandlerContext) {
        if admitted {
            admitted = false
            tracker.release(context.channel)
        }
    }

    private func close(context: ChannelHandlerContext) {
        closing = true
        releaseSlot(context: context)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        parser.append(unwrapInboundIn(data))
        // The replies to every query this read completed go out in one buffer, one write.
        var out: ByteBuffer?
        while !closing, let frame = parser.next() {
            switch frame {
            case .message(let message):
                lastQuery = .now()
                answer(message, into: &out, context: context)
            case .end:
                write(&out, context: context)
                closeAfterWrites(context: context)
            }
        }
        write(&out, context: context)
    }

    /// Largest reply the warm path writes in place (a cached response is at most 1232 octets).
    private static var cachedReplyRoom: Int { 4096 }

    /// Answers one query into `out` (created on first use): the handler's warm path writes
    /// straight into the buffer; otherwise the full path's reply is copied in.
    private func answer(_ query: ByteBuffer, into out: inout ByteBuffer?, context: ChannelHandlerContext) {
        guard let client else { return }
        var buffer = out ?? context.channel.allocator.buffer(capacity: Self.cachedReplyRoom)
        out = nil  // `buffer` holds the only reference, so writing into it never copies
        defer { out = buffer }
        if queryLog == nil {
            let handler = self.handler
            var answered = false
            query.withUnsafeReadableBytes { q in
                client.withSockAddr { peer, _ in
                    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 2 + Self.cachedReplyRoom) { slot in
                        guard let n = handler.answerCached(q, transport: .tcp, from: peer,
                                                           into: UnsafeMutableRawBufferPointer(rebasing: slot[2...])) else { return 0 }
                        answered = true
                        guard n > 0 else { return 0 }
                        slot[0] = UInt8(n >> 8)
                        slot[1] = UInt8(n & 0xFF)
                        return n + 2
                    }
                }
            }
            if answered { return }
        }
        let bytes = query.getBytes(at: query.readerIndex, length: query.readableBytes)!
        let queryContext = client.withSockAddr { peer, _ in QueryContext(transport: .tcp, peer: peer) }
        let outcome = handler.handle(bytes, context: queryContext, into: &writer)
        var size = 0
        switch outcome {
        case .reply:
            append(writer.bytes, to: &buffer)
            size = writer.bytes.count
        case .transfer(let messages):
            // A zone transfer: bounded by the zone's size, and only sources in the zone's ACL
            // get one; further queries wait behind it (in order).
            for m in messages { append(m, to: &buffer) }
            size = messages.reduce(0) { $0 + $1.count }
        case .drop:
            break
        }
        if let queryLog { queryLog.record(query: bytes, outcome: outcome, size: size, context: queryContext) }
    }

    private func append(_ bytes: [UInt8], to buffer: inout ByteBuffer) {
        guard bytes.count <= ServerOptions.maxTCPMessage else {
            logger.error("handler returned a reply longer than a TCP message can carry; not sent",
                         metadata: ["size": "\(bytes.count)", "client": "\(client.map { "\($0)" } ?? "?")"])
            return
        }
        buffer.writeInteger(UInt16(bytes.count))
        buffer.writeBytes(bytes)
    }

    /// Writes the replies gathered in `out`, if any (flushed at the end of the read).
    private func write(_ out: inout ByteBuffer?, context: ChannelHandlerContext) {
        guard let buffer = out, buffer.readableBytes > 0 else { return }
        out = nil
        context.write(wrapOutboundOut(buffer), promise: nil)
        unflushed = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        if draining && !parser.hasPartialFrame {
            // On the next loop turn, not from inside this callback. When the read that ends
            // here was the client's EOF, NIO (with half-closure allowed) goes on after this
            // callback to close the input side, asserting the channel is still registered; a
            // full close from here trapped there (SIGILL in debug builds) whenever a client
            // hung up while its connection was draining. On that path `.inputClosed` follows
            // and starts the close first, so the deferred call finds `closing` set.
            context.eventLoop.assumeIsolated().execute { self.closeAfterWrites(context: context) }
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is DrainConnection {
            draining = true
            // A query still arriving is waited for. Otherwise wait `drainLinger` before closing:
            // a query the client sent before the shutdown may sit unread in the socket buffer,
            // and closing over unread data resets the connection and loses its answer.
            if !parser.hasPartialFrame {
                context.eventLoop.assumeIsolated().scheduleTask(in: Self.drainLinger) {
                    if !self.parser.hasPartialFrame { self.closeAfterWrites(context: context) }
                }
            }
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            closeAfterWrites(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Closes once every answer already written has reached the socket.
    private func closeAfterWrites(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        unflushed = false
        // Writes complete in order, so the empty write's promise fires after all earlier ones.
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
            .assumeIsolated()
            .whenComplete { _ in self.close(context: context) }
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.idleCheck(context: context)
        }
    }

    /// One timer per idle period: on firing it either closes or re-arms for the time left.
    private func idleCheck(context: ChannelHandlerContext) {
        idleTimer = nil
        guard !closing, context.channel.isActive else { return }
        let deadline = lastQuery + idleTimeout
        if deadline <= .now() {
            logger.debug("tcp connection idle; closing", metadata: ["client": "\(client.map { "\($0)" } ?? "?")"])
            close(context: context)
        } else {
            scheduleIdleCheck(context: context, at: deadline)
        }
    }

    // Back-pressure: stop reading queries while answers are queued for a client that does not read.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && readHeld {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("tcp connection error; closing", metadata: ["error": "\(error)"])
        close(context: context)
    }
}
