import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The transport a query arrived on; the protocol layer sizes and truncates answers by it.
public enum QueryTransport: Sendable, Hashable, CustomStringConvertible {
    /// A UDP datagram: the answer must fit the requestor's UDP payload size (RFC 1035 4.2.1, RFC 6891 6.2.5).
    case udp
    /// A TCP stream with 2-byte length framing: answers up to 65535 octets (RFC 1035 4.2.2, RFC 7766 8).
    case tcp

    /// The presentation form, for logs and errors.
    public var description: String {
        switch self {
        case .udp: "udp"
        case .tcp: "tcp"
        }
    }
}

/// Where a query came from and how, handed to the handler with the query bytes.
public struct QueryContext: Sendable {
    /// The transport the query arrived on.
    public var transport: QueryTransport
    /// The client's address and port.
    public var client: SocketAddress

    /// A context for one query.
    public init(transport: QueryTransport, client: SocketAddress) {
        self.transport = transport
        self.client = client
    }
}

/// What a handler decided to do with one query.
public enum QueryOutcome: Sendable, Equatable {
    /// Send these bytes back as the whole DNS message (the transport adds TCP framing).
    case reply([UInt8])
    /// Send these messages in order (a zone transfer); TCP only, UDP sends nothing.
    case replies([[UInt8]])
    /// Send nothing (a response, garbage, or anything the protocol layer chooses to ignore).
    case drop
}

/// The protocol layer as the transport sees it: one DNS message in, one outcome out.
///
/// It is called synchronously on a transport thread (a UDP loop thread or a TCP event loop),
/// once per query, so it must not block or wait. `DNSServer` is generic over it, so the call is static, not existential.
public protocol DatagramHandler: Sendable {
    /// Answers one query: `query` is the whole DNS message, without the TCP length prefix.
    func handle(_ query: [UInt8], context: QueryContext) -> QueryOutcome

    /// The warm path: answers `query` straight into `reply` when it can do so without the
    /// full path (for example from a cache of whole responses), returning the reply's length
    /// (0: send nothing); nil sends the query down `handle(_:context:)`. `peer` is the
    /// client's `sockaddr_in` or `sockaddr_in6`. Both buffers belong to the transport and are
    /// reused, so neither may be kept. The default always says nil.
    func answerCached(_ query: UnsafeRawBufferPointer, transport: QueryTransport, from peer: UnsafePointer<sockaddr>,
                      into reply: UnsafeMutableRawBufferPointer) -> Int?
}

extension DatagramHandler {
    public func answerCached(_ query: UnsafeRawBufferPointer, transport: QueryTransport, from peer: UnsafePointer<sockaddr>,
                             into reply: UnsafeMutableRawBufferPointer) -> Int? { nil }
}

extension SocketAddress {
    /// The address in a `sockaddr_in` or `sockaddr_in6`; nil for another family.
    public init?(_ peer: UnsafePointer<sockaddr>) {
        switch Int32(peer.pointee.sa_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(peer).loadUnaligned(as: sockaddr_in.self)
            self.init(sin, host: "")
        case AF_INET6:
            let sin6 = UnsafeRawPointer(peer).loadUnaligned(as: sockaddr_in6.self)
            self.init(sin6, host: "")
        default:
            return nil
        }
    }
}
