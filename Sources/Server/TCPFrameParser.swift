import NIOCore

/// Splits a TCP byte stream into DNS messages by their 2-octet length prefix (RFC 1035 4.2.2,
/// RFC 7766 8). Pure state, no I/O.
struct TCPFrameParser {
    /// One unit taken from the stream.
    enum Frame: Equatable {
        /// A complete message, without its prefix.
        case message(ByteBuffer)
        /// A zero-length frame: the client is done and the connection closes.
        case end
    }

    private var buffer: ByteBuffer?
    private var ended = false

    /// Adds bytes read from the connection; bytes after an end frame are ignored.
    mutating func append(_ bytes: ByteBuffer) {
        guard !ended else { return }
        if var existing = buffer, existing.readableBytes > 0 {
            var bytes = bytes
            existing.discardReadBytes()
            existing.writeBuffer(&bytes)
            buffer = existing
        } else {
            buffer = bytes
        }
    }

    /// The next complete frame, or nil when more bytes are needed.
    mutating func next() -> Frame? {
        guard !ended, var current = buffer,
              let length = current.getInteger(at: current.readerIndex, as: UInt16.self) else { return nil }
        if length == 0 {
            ended = true
            buffer = nil
            return .end
        }
        guard current.readableBytes >= 2 + Int(length) else { return nil }
        current.moveReaderIndex(forwardBy: 2)
        let message = current.readSlice(length: Int(length))!
        buffer = current.readableBytes > 0 ? current : nil
        return .message(message)
    }

    /// True while part of a frame (a prefix, or a message body) has been received but not all.
    var hasPartialFrame: Bool { !ended && (buffer?.readableBytes ?? 0) > 0 }
}
