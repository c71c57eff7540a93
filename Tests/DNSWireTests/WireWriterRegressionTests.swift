import Testing
@testable import DNSWire

@Suite struct WireWriterRegressionTests {
    /// A name whose later suffix repeats its own first labels ("a.b.a.b.c.") once made the
    /// compressor match against the half-written name itself and read past the end.
    @Test func nameRepeatingItsOwnLabels() throws {
        for text in ["a.b.a.b.c.example.", "x.x.", "a.a.a.a.", "ns.ns.sub.ns.example."] {
            let name = try Name(parsing: text)
            let m = Message(questions: [Question(name, .a)], answers: [ResourceRecord(name, ttl: 1, .cname(name))])
            let decoded = try Message.decode(m.encode())
            #expect(decoded.questions[0].name.wire == name.wire)
            #expect(decoded.answers[0].rdata == .cname(name))
        }
    }
}
