import DNSWire
import Zone

/// What the query engine found for one question: the sections of the response and its rcode,
/// before the protocol layer (`Responder`) adds EDNS, identity and cookies and encodes it.
public struct AnswerResult: Sendable, Equatable {
    /// NOERROR, NXDOMAIN, REFUSED (no served zone), SERVFAIL.
    public var rcode: RCode
    /// AA: set for answers from inside a served zone, clear for referrals (RFC 1034 4.3.2).
    public var authoritative: Bool
    public var answer: [ResourceRecord]
    public var authority: [ResourceRecord]
    public var additional: [ResourceRecord]

    public init(rcode: RCode, authoritative: Bool, answer: [ResourceRecord] = [],
                authority: [ResourceRecord] = [], additional: [ResourceRecord] = []) {
        self.rcode = rcode
        self.authoritative = authoritative
        self.answer = answer
        self.authority = authority
        self.additional = additional
    }
}

/// Anything that answers class-IN questions from served data: the zone query engine, or a
/// table in a protocol-layer test. The responder is generic over it, so calls are static.
public protocol AnswerSource: Sendable {
    /// Answers one question (class IN, opcode QUERY, already validated by the responder).
    func answer(_ question: Question) -> AnswerResult
    /// Answers one question; `selector` (the query ID) rotates pool answers between queries.
    func answer(_ question: Question, selector: UInt32) -> AnswerResult
    /// The served zone whose apex is exactly `apex`, for a zone transfer; nil if none.
    func transferZone(apex: Name) -> Zone?
}

extension AnswerSource {
    /// Sources without rotating data ignore the selector.
    public func answer(_ question: Question, selector: UInt32) -> AnswerResult { answer(question) }
    /// Sources without zones have nothing to transfer.
    public func transferZone(apex: Name) -> Zone? { nil }
}
