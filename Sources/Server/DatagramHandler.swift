import DNSWire
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The protocol layer as the transport sees it: one DNS message in, one outcome out.
///
/// It is called synchronously on a transport thread (a UDP loop thread or a TCP event loop),
/// once per query, so it must not block or wait. `DNSServer` is generic over it, so the call is static, not existential.
public protocol DatagramHandler: Sendable {
    /// Answers one query: `query` is the whole DNS message, without the TCP length prefix. A
    /// reply is written into `reply` (reset by the handler; the transport reuses it).
    func handle(_ query: [UInt8], context: QueryContext, into reply: inout WireWriter) -> QueryOutcome

    /// The warm path: answers `query` straight into `reply` when it can do so without the
    /// full path (for example from a cache of whole responses), returning the reply's length
    /// (0: send nothing); nil sends the query down `handle(_:context:into:)`. `peer` is the
    /// client's `sockaddr_in` or `sockaddr_in6`. Both buffers belong to the transport and are
    /// reused, so neither may be kept. The default always says nil.
    func answerCached(_ query: UnsafeRawBufferPointer, transport: Transport, from peer: UnsafePointer<sockaddr>,
                      into reply: UnsafeMutableRawBufferPointer) -> Int?
}

extension DatagramHandler {
    public func answerCached(_ query: UnsafeRawBufferPointer, transport: Transport, from peer: UnsafePointer<sockaddr>,
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
