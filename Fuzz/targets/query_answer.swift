// fuzz-modules: DNSWire Zone Health Answer
// fuzz-support: FuzzCheck.swift FuzzZones.swift
//
// The query path as far as it exists without the Responder: decode a query, answer its one
// question from the fixed FuzzZones with QueryEngine, build the response message, encode it
// at a size limit, decode the result. Input: 2 octets of size limit (big-endian, any value
// 0...65535), then the query message. Checked:
// - the encoded response is at most the limit, unless header + question + OPT alone exceed
//   it, in which case it carries no records at all;
// - it decodes; its question and rcode are the ones sent; each section is the engine's
//   (TC clear) or a prefix of it (TC set); additional records may be left out without TC;
// - the engine keeps to its outcomes: only NOERROR, NXDOMAIN, YXDOMAIN or REFUSED; REFUSED
//   carries no records and no AA; a chain stays within QueryEngine.maxChainLinks.
import DNSWire
import Zone
import Answer

let engine = QueryEngine(zones: FuzzZones.zoneSet)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryAnswer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    guard input.count >= 2 else { return 0 }
    let maxSize = Int(input[0]) << 8 | Int(input[1])
    guard let query = try? Message.decode(Array(input[2...])),
          query.questions.count == 1, !query.header.qr, query.header.opcode == .query,
          query.questions[0].qclass == .in
    else { return 0 }
    let q = query.questions[0]
    let result = engine.answer(q)

    switch result.rcode {
    case .noError, .nxDomain, .yxDomain: break
    case .refused:
        fuzzCheck(result.answer.isEmpty && result.authority.isEmpty && result.additional.isEmpty
                  && !result.authoritative, "REFUSED with records or AA for \(q)", input: input)
    default: fuzzCheck(false, "unexpected rcode \(result.rcode) for \(q)", input: input)
    }
    // A chain follows at most maxChainLinks CNAME/DNAME links; each link adds at most a DNAME
    // and a synthesized CNAME, and the last name one RRset.
    let owners = Set(result.answer.map(\.name)).count
    fuzzCheck(owners <= 2 * (QueryEngine.maxChainLinks + 1) + 1, "\(owners) answer owners for \(q)", input: input)

    var response = Message(questions: [q], answers: result.answer, authority: result.authority,
                           additional: result.additional,
                           edns: query.edns == nil ? nil : EDNS(udpSize: 1232))
    response.header.id = query.header.id
    response.header.qr = true
    response.header.opcode = .query
    response.header.rd = query.header.rd
    response.header.aa = result.authoritative
    response.rcode = result.rcode

    let wire = response.encode(maxSize: maxSize)
    let fixed = Header.size + q.name.wire.count + 4 + (response.edns?.wireSize ?? 0)
    let decoded: Message
    do { decoded = try Message.decode(wire) } catch {
        fuzzCheck(false, "response to \(q) at maxSize \(maxSize) does not decode: \(error)\nwire: \(fuzzHex(wire))", input: input)
        return 0
    }
    let records = decoded.answers.count + decoded.authority.count + decoded.additional.count
    fuzzCheck(wire.count <= maxSize || (records == 0 && wire.count == fixed),
              "response to \(q) is \(wire.count) octets, limit \(maxSize), \(records) records", input: input)
    fuzzCheck(decoded.questions == [q] && decoded.rcode == result.rcode && decoded.header.id == query.header.id
              && decoded.header.aa == result.authoritative && decoded.edns == response.edns,
              "response header or question changed for \(q)", input: input)
    if decoded.header.tc {
        fuzzCheck(result.answer.starts(with: decoded.answers) && result.authority.starts(with: decoded.authority)
                  && decoded.additional.isEmpty,
                  "truncated response to \(q) is not a prefix of the answer", input: input)
    } else {
        fuzzCheck(decoded.answers == result.answer && decoded.authority == result.authority
                  && result.additional.starts(with: decoded.additional),
                  "response to \(q) at maxSize \(maxSize) lost records without TC", input: input)
    }
    // The question comes back byte for byte (0x20 case randomisation relies on it), and so
    // does an answer owner equal to QNAME (it is compressed to the question). Later names may
    // take another name's case: compression matches case-insensitively (RFC 1035 4.1.4), so
    // only the first occurrence of a name fixes its case on the wire.
    fuzzCheck(decoded.questions[0].name.wire == q.name.wire, "question case changed: \(q.name) -> \(decoded.questions[0].name)", input: input)
    if let first = decoded.answers.first, first.name == q.name {
        fuzzCheck(first.name.wire == q.name.wire, "answer owner case changed: \(q.name) -> \(first.name)", input: input)
    }
    return 0
}
