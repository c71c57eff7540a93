import DNSWire
import Logging
import NIOCore

/// The optional one-line-per-query log. When off the server holds `nil` and does no work at all.
struct QueryLog: Sendable {
    let logger: Logger

    /// Logs client, qname, qtype, rcode, response size and transport for one query.
    func record(query: [UInt8], outcome: QueryOutcome, context: QueryContext) {
        var qname = "-"
        var qtype = "-"
        var reader = WireReader(query)
        if (try? Header(from: &reader)).map({ $0.qdcount > 0 }) == true,
           let name = try? reader.name(), let type = try? reader.u16() {
            qname = name.description
            qtype = RRType(type).description
        }
        let rcode: String
        let size: Int
        switch outcome {
        case .reply(let bytes):
            size = bytes.count
            rcode = bytes.count >= Header.size ? RCode(UInt16(bytes[3] & 0x0F)).description : "-"
        case .replies(let messages):
            size = messages.reduce(0) { $0 + $1.count }
            rcode = "NOERROR"
        case .drop:
            size = 0
            rcode = "dropped"
        }
        logger.info("query", metadata: [
            "client": "\(context.client)", "qname": "\(qname)", "qtype": "\(qtype)",
            "rcode": "\(rcode)", "size": "\(size)", "transport": "\(context.transport)",
        ])
    }
}
