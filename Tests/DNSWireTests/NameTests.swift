import Foundation
import Testing
@testable import DNSWire

@Suite struct NameTests {
    @Test(arguments: [
        ("example.test.", "example.test."),
        ("Example.TEST.", "Example.TEST."),
        (".", "."),
        ("a\\.b.test.", "a\\.b.test."),
        ("a\\032b.test.", "a\\032b.test."),
        ("\\@x.test.", "\\@x.test."),
    ])
    func presentationRoundTrip(input: String, printed: String) throws {
        let n = try Name(parsing: input)
        #expect(n.description == printed)
        #expect(try Name(parsing: n.description) == n)
    }

    @Test func caseInsensitiveIdentityCasePreservingWire() throws {
        let a = try Name(parsing: "WWW.Example.Test.")
        let b = try Name(parsing: "www.example.test.")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.wire != b.wire)
        #expect(a.key == b.wire)
    }

    @Test func relativeNamesUseOrigin() throws {
        let origin = try Name(parsing: "example.test.")
        #expect(try Name(parsing: "www", origin: origin).description == "www.example.test.")
        #expect(try Name(parsing: "@", origin: origin) == origin)
        #expect(throws: PresentationError.self) { try Name(parsing: "www") }
    }

    @Test func limits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try Name(parsing: "\(label63).test.").labelCount == 2)
        #expect(throws: PresentationError.self) { try Name(parsing: "\(label63)a.test.") }
        // 4 labels of 63 plus length octets and root: 4*64+1 = 257 > 255.
        let long = Array(repeating: label63, count: 4).joined(separator: ".") + "."
        #expect(throws: PresentationError.self) { try Name(parsing: long) }
        #expect(throws: PresentationError.self) { try Name(parsing: "a..b.") }
    }

    @Test func subdomainAndCanonicalOrder() throws {
        let z = try Name(parsing: "example.test.")
        #expect(try Name(parsing: "a.B.example.TEST.").isSubdomain(of: z))
        #expect(z.isSubdomain(of: z))
        #expect(!(try Name(parsing: "aexample.test.").isSubdomain(of: z)))
        // RFC 4034 6.1 example ordering.
        let ordered = ["example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
                       "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example."]
        let names = try ordered.map { try Name(parsing: $0) }
        #expect(names.shuffled().sorted() == names)
        // The precomputed key sorts the same way (the zone builder sorts by it).
        #expect(names.shuffled().sorted { $0.canonicalOrderKey.lexicographicallyPrecedes($1.canonicalOrderKey) } == names)
    }

    @Test func canonicalOrderKeyAgreesWithTheComparison() throws {
        var g = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0, 1, 0x2A, 0x2D, 0x41, 0x5A, 0x61, 0x7A, 0x80, 0xFF]
        var names: [Name] = []
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                let label = (0..<Int.random(in: 1...3, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
                text += label.map { String(format: "\\%03d", $0) }.joined() + "."
            }
            names.append(try Name(parsing: text))
        }
        for (a, b) in zip(names, names.shuffled()) {
            let byKey = a.canonicalOrderKey.lexicographicallyPrecedes(b.canonicalOrderKey)
            #expect(byKey == (Name.canonicalCompare(a, b) < 0), "\(a) vs \(b)")
        }
    }
}
