import Testing
@testable import DNSWire

@Suite struct ParseTTLTests {
    @Test(arguments: [("0", 0), ("3600", 3600), ("1h30m", 5400), ("1W", 604800), ("4294967295", 4294967295)] as [(String, UInt32)])
    func accepts(_ text: String, _ seconds: UInt32) { #expect(parseTTL(text) == seconds) }

    /// Regression: the empty string used to fall through the unit loop and come out as 0.
    @Test(arguments: ["", "h", "1h30", "4294967296", "1x", "-1"])
    func rejects(_ text: String) { #expect(parseTTL(text) == nil) }
}
