import DNSWire
import Logging
import NIOCore

/// The optional one-line-per-query log. When off the server holds `nil` and does no work at all.
struct QueryLog: Sendable {
    let logger: Logger

    /// Logs one query answered by the full path: its outcome and the octets sent.
    func record(query: [UInt8], outcome: QueryOutcome, size: Int, context: QueryContext) {
        let rcode: String
        switch outcome {
        case .reply(let code, _): rcode = code.description
        case .transfer: rcode = "NOERROR"
        case .drop: rcode = "dropped"
        }
        query.withUnsafeBytes { emit(query: $0, rcode: rcode, size: size, context: context) }
    }

    /// Logs one UDP query and its reply as sent (empty: none); the RCODE is read from the
    /// reply's header.
    func record(query: UnsafeRawBufferPointer, reply: UnsafeRawBufferPointer, context: QueryContext) {
        let rcode = reply.count >= Header.size ? RCode(UInt16(reply[3] & 0x0F)).description : "dropped"
        emit(query: query, rcode: rcode, size: reply.count, context: context)
    }

    /// Logs client, qname, qtype, rcode, response size and transport for one query.
    private func emit(query: UnsafeRawBufferPointer, rcode: String, size: Int, context: QueryContext) {
        var qname = "-"
        var qtype = "-"
        var reader = WireReader(Array(query))
        if (try? Header(from: &reader)).map({ $0.qdcount > 0 }) == true,
           let name = try? reader.name(), let type = try? reader.u16() {
            qname = name.description
            qtype = RRType(type).description
        }
        logger.info("query", metadata: [
            "client": "\(context.peerDescription)", "qname": "\(qname)", "qtype": "\(qtype)",
            "rcode": "\(rcode)", "size": "\(size)", "transport": "\(context.transport)",
        ])
    }
}
