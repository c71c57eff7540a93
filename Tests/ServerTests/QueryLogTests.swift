import DNSWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing
import TestSupport
@testable import Server

/// Keeps every log record in memory.
struct CapturingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let records: NIOLockedValueBox<[Record]>
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        records.withLockedValue {
            $0.append(Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

@Suite(.serialized) struct QueryLogTests {
    private func server(queryLog: Bool) async throws
        -> (DNSServer<EchoHandler>, SocketAddress, NIOLockedValueBox<[CapturingLogHandler.Record]>) {
        let records = NIOLockedValueBox<[CapturingLogHandler.Record]>([])
        let logger = Logger(label: "test") { _ in CapturingLogHandler(records: records) }
        let options = ServerOptions(listeners: [try ListenAddress(parsing: "127.0.0.1:0")],
                                    udpSocketsPerListener: 1, queryLog: queryLog)
        let server = try DNSServer(options: options, handler: EchoHandler(), logger: logger)
        let bound = try await server.start()
        return (server, bound[0].address, records)
    }

    @Test func oneLinePerQueryWithItsFacts() async throws {
        let (server, address, records) = try await server(queryLog: true)
        let sizes = try await offPool { () -> [Int] in
            let udp = try TestSocket(udpFor: address)
            try udp.sendTo(address, TestQuery.make("www.example.test.", .a, id: 1))
            let udpSize = udp.receiveDatagram()?.count ?? -1
            try udp.sendTo(address, TestQuery.make("drop.example.test.", .aaaa, id: 2))
            try udp.sendTo(address, TestQuery.make("www.example.test.", .mx, id: 3))
            let mxSize = udp.receiveDatagram()?.count ?? -1
            let tcp = try TestSocket(tcpTo: address)
            try tcp.send(framed(TestQuery.make("www.example.test.", .a, id: 4)) + [0, 0])
            let tcpSize = tcp.receiveFrame()?.count ?? -1
            _ = tcp.waitForEOF()
            return [udpSize, mxSize, tcpSize]
        }
        await server.shutdown()
        let lines = records.withLockedValue { $0 }.filter { $0.metadata["log"] == "query" }
        let facts = lines.map { [$0.metadata["qname"], $0.metadata["qtype"], $0.metadata["rcode"],
                                 $0.metadata["size"], $0.metadata["transport"]] }
        #expect(facts == [
            ["www.example.test.", "A", "NOERROR", "\(sizes[0])", "udp"],
            ["drop.example.test.", "AAAA", "dropped", "0", "udp"],
            ["www.example.test.", "MX", "NOERROR", "\(sizes[1])", "udp"],
            ["www.example.test.", "A", "NOERROR", "\(sizes[2])", "tcp"],
        ] as [[String?]])
        #expect(lines.allSatisfy { $0.metadata["client"]?.contains("127.0.0.1") == true })
    }

    @Test func offMeansNoQueryLines() async throws {
        let (server, address, records) = try await server(queryLog: false)
        _ = try await offPool { () -> [UInt8]? in
            let udp = try TestSocket(udpFor: address)
            try udp.sendTo(address, TestQuery.make("www.example.test.", id: 1))
            return udp.receiveDatagram()
        }
        await server.shutdown()
        #expect(records.withLockedValue { $0 }.filter { $0.metadata["log"] == "query" }.isEmpty)
    }
}
