import Logging
import NIOCore

/// Answers the datagrams of one UDP socket: each read batch is handled in order and its
/// replies are written, then flushed once for the whole batch (one `sendmmsg`).
final class UDPQueryHandler<Handler: DatagramHandler>: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let handler: Handler
    private let queryLog: QueryLog?
    private let logger: Logger
    private var unflushed = false

    init(handler: Handler, queryLog: QueryLog?, logger: Logger) {
        self.handler = handler
        self.queryLog = queryLog
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let query = Array(envelope.data.readableBytesView)
        let queryContext = QueryContext(transport: .udp, client: envelope.remoteAddress)
        let outcome = handler.handle(query, context: queryContext)
        if case .reply(let bytes) = outcome {
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)),
                          promise: nil)
            unflushed = true
        }
        if let queryLog { queryLog.record(query: query, outcome: outcome, context: queryContext) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
    }

    /// Send and receive errors on one datagram (ICMP unreachable, EMSGSIZE) must not close the
    /// socket that serves everyone else.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("udp socket error", metadata: ["error": "\(error)"])
    }
}
