import Testing
@testable import DNSWire

@Suite struct GoldenMessageTests {
    /// Regression: a name whose suffix repeats one of its own earlier labels (a.a.b.) made the
    /// compressor compare against its own unterminated labels and index past the buffer.
    @Test func nameRepeatingItsOwnLabelEncodes() throws {
        let n = try Name(parsing: "a.a.b.")
        var m = Message()
        m.questions = [Question(n, .a)]
        m.answers = [ResourceRecord(n, ttl: 1, .a(A([192, 0, 2, 1])))]
        let wire = m.encode()
        // question name in full at 12, answer owner a pointer to it.
        #expect(Array(wire[12..<19]) == [1, 0x61, 1, 0x61, 1, 0x62, 0])
        #expect(Array(wire[23..<25]) == [0xC0, 12])
        #expect(try Message.decode(wire).answers == m.answers)
    }
}
