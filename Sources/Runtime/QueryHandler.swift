#if canImport(Glibc)
import Glibc
#endif
import Answer
import DNSWire
import Dispatch
import Server

/// What the query handler reports for every query: the metrics side of the handler, so the
/// Runtime does not depend on the metrics backend. Called on the query path: implementations
/// must not allocate or lock.
public protocol QueryRecorder: Sendable {
    /// Counts one query. `qtype` is nil when the question could not be read; `rcode` nil when
    /// no reply was sent.
    func record(tcp: Bool, rcode: RCode?, qtype: UInt16?, duration: Duration)
    /// Counts a UDP response withheld (or sent truncated) by the rate limiter.
    func recordRateLimited(slipped: Bool)
}

/// Adapts the protocol layer to the transport: reads the current snapshot once per query.
/// Counts every query by transport, response code and type, with its latency.
/// Applies response rate limiting to UDP replies when configured.
public struct QueryHandler<Recorder: QueryRecorder>: DatagramHandler {
    let box: SnapshotBox<ServedData>
    let metrics: Recorder
    let limiter: RateLimiter?

    /// A handler answering from whatever `box` holds when each query arrives.
    public init(box: SnapshotBox<ServedData>, metrics: Recorder, limiter: RateLimiter?) {
        self.box = box
        self.metrics = metrics
        self.limiter = limiter
    }

    public func handle(_ query: [UInt8], context: QueryContext, into writer: inout WireWriter) -> QueryOutcome {
        let start = ContinuousClock.now
        let served = box.load()
        let tcp = context.transport == .tcp
        // The full path (the transports try `answerCached` first); a cacheable question's
        // answer is stored for the next time.
        var outcome = served.responder.respond(to: query, context: context, into: &writer)
        var rcode: RCode?  // counted as answered even when rate limiting withholds it
        switch outcome {
        case .reply(let code, _): rcode = code
        case .transfer: rcode = .noError
        case .drop: rcode = nil
        }
        if case .reply(let code, _) = outcome {
            if let cache = served.cache, let shape = ResponseCache.shape(of: query, tcp: tcp) {
                cache.store(query, shape: shape, tcp: tcp, response: writer.bytes, rcode: code)
            }
            if !tcp, limiter != nil {
                let n = writer.bytes.withUnsafeMutableBytes { limited($0, count: $0.count, rcode: code, client: context.client) }
                if n == 0 {
                    outcome = .drop(.rateLimited)
                } else if n < writer.bytes.count {
                    writer.bytes.removeLast(writer.bytes.count - n)
                }
            }
        }
        metrics.record(tcp: tcp, rcode: rcode, qtype: questionType(query), duration: ContinuousClock.now - start)
        return outcome
    }

    /// The warm path: a question the snapshot's response cache holds is copied straight into
    /// the transport's reply slot, rate-limited in place (UDP) and counted, without allocating.
    /// Anything else (nil) takes the full path of `handle(_:context:into:)`.
    public func answerCached(_ query: UnsafeRawBufferPointer, transport: Transport, from peer: UnsafePointer<sockaddr>,
                      into reply: UnsafeMutableRawBufferPointer) -> Int? {
        let start = ContinuousClock.now
        let tcp = transport == .tcp
        let q = UnsafeBufferPointer(start: query.baseAddress?.assumingMemoryBound(to: UInt8.self), count: query.count)
        guard let cache = box.load().cache, let shape = ResponseCache.shape(q, tcp: tcp),
              let hit = cache.answer(q, shape: shape, tcp: tcp, into: reply) else { return nil }
        let n = tcp ? hit.count : limited(reply, count: hit.count, rcode: hit.rcode, client: ClientAddress.read(peer).0)
        metrics.record(tcp: tcp, rcode: hit.rcode, qtype: questionType(q), duration: ContinuousClock.now - start)
        return n
    }

    /// Response rate limiting of a UDP reply (the first `count` octets of `reply`): the octets
    /// to send, 0 for none; counted when limited.
    private func limited(_ reply: UnsafeMutableRawBufferPointer, count: Int, rcode: RCode, client: ClientAddress) -> Int {
        guard let limiter else { return count }
        let nowMs = Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
        let (n, verdict) = limiter.limit(reply, count: count, rcode: rcode, client: client, nowMs: nowMs)
        if verdict != .send { metrics.recordRateLimited(slipped: verdict == .slip) }
        return n
    }
}

/// The query type of a DNS message's first question, read without decoding the message.
func questionType<Bytes: RandomAccessCollection<UInt8>>(_ query: Bytes) -> UInt16? where Bytes.Index == Int {
    guard query.count > 12, query[4] == 0, query[5] == 1 else { return nil }
    var i = 12
    while i < query.count {
        let len = Int(query[i])
        if len == 0 { break }
        if len & 0xC0 != 0 { return nil }
        i += len + 1
    }
    guard i + 2 < query.count else { return nil }
    return UInt16(query[i + 1]) << 8 | UInt16(query[i + 2])
}
