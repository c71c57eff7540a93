import Foundation
import Testing
import TestSupport
@testable import Server

/// Real clients as child processes: BIND's dig and Knot's kdig, over UDP and TCP, IPv4 and IPv6.
@Suite(.serialized) struct ClientToolTests {
    enum Family: String, Sendable, CaseIterable { case v4 = "-4", v6 = "-6" }
    enum Tool: String, Sendable, CaseIterable { case dig = "/usr/bin/dig", kdig = "/usr/bin/kdig" }

    @Test(arguments: Tool.allCases, [("+notcp", "udp"), ("+tcp", "tcp")])
    func toolGetsAnAnswer(tool: Tool, transport: (flag: String, name: String)) async throws {
        let (server, bound) = try await startServer(EchoHandler())
        for family in Family.allCases {
            let listener = try #require(bound.first { ($0.address.protocol == .inet6) == (family == .v6) })
            let arguments = [family.rawValue, "@\(listener.requested.host)", "-p", "\(listener.port)",
                             "www.example.test.", "A", transport.flag, "+norecurse"]
                + (tool == .dig ? ["+time=3", "+tries=1"] : ["+time=3", "+retry=0"])
            let (status, output) = try await offPool { try runProgram(tool.rawValue, arguments) }
            #expect(status == 0, "\(tool) \(arguments.joined(separator: " ")):\n\(output)")
            #expect(output.contains("NOERROR"), "\(output)")
            #expect(output.contains("10.0.0.0"), "\(output)")
            #expect(output.contains("\"\(transport.name)\""), "the answer must say it came over \(transport.name):\n\(output)")
        }
        await server.shutdown()
    }
}
