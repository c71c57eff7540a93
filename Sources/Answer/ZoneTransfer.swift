import DNSWire
import Zone

/// Zone transfers out: AXFR (RFC 5936), and IXFR (RFC 1995) answered with the whole zone in
/// AXFR form, since Tack keeps no history of changes (RFC 1995 4 allows that). Only sources
/// in the zone's `allow_transfer` list get one; TSIG is not supported.
enum ZoneTransfer {
    /// The most one transfer message holds: 16 KiB, as NSD sends, so a client never needs a
    /// 64 KiB buffer and a reader that stops reading holds up little.
    static let messageSize = 16_384
    /// Records offered to one message before it is encoded; far more than 16 KiB can hold
    /// unless records are tiny, and bounded so each message costs O(chunk), not O(zone).
    static let chunk = 1_024

    /// The zone's records in transfer order: the SOA, every other record (canonical order),
    /// the SOA again (RFC 5936 2.2).
    static func records(of zone: Zone) -> [ResourceRecord] {
        var out = [zone.soa]
        for (index, node) in zone.nodes.enumerated() {
            for set in node.rrsets where !(set.type == .soa && index == Int(Zone.apexIndex)) {
                out.append(contentsOf: set.records)
            }
        }
        out.append(zone.soa)
        return out
    }

    /// The messages of one transfer: each starts with the reply header (`header`, whose ID,
    /// flags and AA are copied), the first carries the question (RFC 5936 2.2.1 lets the
    /// others omit it, as NSD does), every one carries `edns` when the query had an OPT.
    /// Whole RRsets go into a message while they fit; an RRset larger than a message is
    /// split between messages, which AXFR allows (RFC 5936 2.2).
    static func messages(_ records: [ResourceRecord], header: Header, question: Question, edns: EDNS?) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var w = WireWriter(capacity: messageSize)
        var i = 0
        while i < records.count {
            var m = Message(header: header, questions: out.isEmpty ? [question] : [],
                            answers: Array(records[i..<min(i + chunk, records.count)]))
            m.edns = edns
            m.encode(into: &w, maxSize: messageSize)
            var written = Int(w.bytes[6]) << 8 | Int(w.bytes[7])
            if written == 0 {
                // One RRset larger than a message: send its records one message at a time.
                m.answers = [records[i]]
                m.encode(into: &w, maxSize: EncodeLimits.maxMessage)
                written = 1
            }
            w.bytes[2] &= ~0x02  // TC marks a cut RRset in `encode`; here the next message goes on
            out.append(w.bytes)
            i += written
        }
        return out
    }
}

extension Responder {
    /// Answers an AXFR or IXFR question (class IN): NOTAUTH for a name that is not the apex
    /// of a served zone (NSD and Knot), REFUSED for a source outside the zone's ACL (NSD,
    /// BIND), NOTIMP for AXFR over UDP (NSD; RFC 5936 4.2 defines AXFR over TCP only). IXFR
    /// gets a single SOA when the client's serial is not older than ours (RFC 1995 2) or
    /// over UDP (RFC 1995 4: the client then asks over TCP); otherwise the whole zone.
    func transfer(_ query: Message, _ question: Question, reply: Message, limit: Int,
                  context: QueryContext, into w: inout WireWriter) -> QueryOutcome {
        var reply = reply
        if question.type == .axfr && context.transport == .udp {
            reply.rcode = .notImp
            return finish(reply, limit: limit, into: &w)
        }
        guard let zone = source.transferZone(apex: question.name) else {
            reply.rcode = .notAuth
            return finish(reply, limit: limit, into: &w)
        }
        guard configuration.transferACL[zone.origin.key]?.contains(where: { $0.contains(context.client) }) == true else {
            reply.rcode = .refused
            return finish(reply, limit: limit, into: &w)
        }
        reply.header.aa = true
        if question.type == .ixfr {
            // The query's authority section holds the client's SOA (RFC 1995 3).
            guard query.authority.count == 1, case .soa(let theirs) = query.authority[0].rdata,
                  query.authority[0].name == zone.origin else {
                reply.header.aa = false
                reply.rcode = .formErr
                return finish(reply, limit: limit, into: &w)
            }
            guard case .soa(let ours) = zone.soa.rdata else { preconditionFailure("a zone's SOA record holds SOA data") }
            if context.transport == .udp || !Responder.serial(ours.serial, isNewerThan: theirs.serial) {
                reply.answers = [zone.soa]
                return finish(reply, limit: limit, into: &w)
            }
        }
        w.reset()
        return .transfer(ZoneTransfer.messages(ZoneTransfer.records(of: zone), header: reply.header,
                                               question: question, edns: reply.edns))
    }

    /// Serial number arithmetic (RFC 1982 3.2): whether `a` is newer than `b`.
    static func serial(_ a: UInt32, isNewerThan b: UInt32) -> Bool {
        a != b && (a &- b) < 0x8000_0000
    }
}
