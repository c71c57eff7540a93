import Testing
@testable import Server

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:53", "127.0.0.1", 53),
        ("0.0.0.0:5353", "0.0.0.0", 5353),
        ("[::1]:8053", "::1", 8053),
        ("[2001:db8::1]:0", "2001:db8::1", 0),
        ("192.0.2.1", "192.0.2.1", 53),
        ("[::]", "::", 53),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(try ListenAddress(parsing: address.description) == address)
    }

    @Test(arguments: [
        ("localhost:53", "not an IPv4 or IPv6 literal"),
        ("127.0.0.1:99999", "out of range"),
        ("127.0.0.1:dns", "not a number"),
        ("::1:53", "must be in brackets"),
        ("[::1", "missing ']'"),
        ("[::1]53", "expected ':PORT'"),
        (":53", "no address"),
        ("[]:53", "no address"),
        ("256.1.1.1:53", "not an IPv4 or IPv6 literal"),
    ])
    func rejectsWithReason(text: String, reason: String) {
        #expect {
            try ListenAddress(parsing: text)
        } throws: { error in
            guard let error = error as? ServerError else { return false }
            return error.code == .invalidListenAddress && error.description.contains(reason)
        }
    }

    @Test(arguments: ["udpSocketsPerListener", "udpBatchSize", "maxUDPQuerySize", "tcpIdleTimeout",
                      "maxTCPConnections", "tcpBacklog", "shutdownGracePeriod", "listeners"])
    func optionsOutOfRangeAreRejectedByName(option: String) throws {
        var options = ServerOptions(listeners: [try ListenAddress(parsing: "127.0.0.1:0")])
        try options.validate()
        switch option {
        case "udpSocketsPerListener": options.udpSocketsPerListener = 0
        case "udpBatchSize": options.udpBatchSize = 0
        case "maxUDPQuerySize": options.maxUDPQuerySize = 100
        case "tcpIdleTimeout": options.tcpIdleTimeout = .zero
        case "maxTCPConnections": options.maxTCPConnections = 0
        case "tcpBacklog": options.tcpBacklog = 0
        case "shutdownGracePeriod": options.shutdownGracePeriod = .seconds(-1)
        default: options.listeners = []
        }
        #expect {
            try options.validate()
        } throws: { error in
            (error as? ServerError)?.subject == option
        }
    }
}
