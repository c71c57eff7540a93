import DNSWire
import Foundation
import Logging
import NIOCore
@testable import Server
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real responder for transport tests: echoes the question with QR and AA set, answers A
/// queries with 10.0.x.y where x.y is the snapshot generation, adds a TXT naming the transport,
/// and drops queries for names under `drop.`.
struct EchoHandler: DatagramHandler {
    let snapshot: SnapshotBox<UInt32>

    init(snapshot: SnapshotBox<UInt32> = SnapshotBox(0)) { self.snapshot = snapshot }

    func handle(_ query: [UInt8], context: QueryContext, into writer: inout WireWriter) -> QueryOutcome {
        writer.reset()
        guard let message = try? Message.decode(query), !message.header.qr,
              let question = message.questions.first else { return .drop(.response) }
        if question.name.description.hasPrefix("drop.") { return .drop(.response) }
        let generation = snapshot.load()
        var header = message.header
        header.qr = true
        header.aa = true
        header.rcodeLow = 0
        var response = Message(header: header, questions: [question])
        if question.type == .a {
            response.answers.append(ResourceRecord(question.name, ttl: 60,
                .a(A([10, 0, UInt8(truncatingIfNeeded: generation >> 8), UInt8(truncatingIfNeeded: generation)]))))
            response.answers.append(ResourceRecord(question.name, ttl: 60,
                .txt(TXT([Array(context.transport.description.utf8)]))))
        }
        response.encode(into: &writer, maxSize: EncodeLimits.maxMessage)
        return .reply(rcode: .noError, truncated: false)
    }
}

enum TestQuery {
    /// A query for `name`/`type` with the given ID.
    static func make(_ name: String, _ type: RRType = .a, id: UInt16) -> [UInt8] {
        var header = Header(id: id)
        header.rd = false
        return Message(header: header, questions: [Question(try! Name(parsing: name), type)]).encode()
    }

    /// The generation carried in the A answer, or nil if the answer is not what EchoHandler sends.
    static func generation(in response: Message) -> UInt32? {
        for record in response.answers {
            if case .a(let a) = record.rdata { return UInt32(a.address[2]) << 8 | UInt32(a.address[3]) }
        }
        return nil
    }

    /// The transport named in the TXT answer.
    static func transport(in response: Message) -> String? {
        for record in response.answers {
            if case .txt(let txt) = record.rdata, let first = txt.strings.first { return String(decoding: first, as: UTF8.self) }
        }
        return nil
    }
}

/// Length-prefixes a DNS message for TCP.
func framed(_ message: [UInt8]) -> [UInt8] {
    [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
}

/// Logs warnings and above to stderr, so a failing test shows why.
let testLogger: Logger = {
    var logger = Logger(label: "tack.server.tests")
    logger.logLevel = .warning
    return logger
}()

/// Starts a server on loopback with port 0 and the given handler and options.
func startServer<H: DatagramHandler>(_ handler: H, listeners: [String] = ["127.0.0.1:0", "[::1]:0"],
                                     logger: Logger = testLogger,
                                     configure: (inout ServerOptions) -> Void = { _ in }) async throws
    -> (server: DNSServer<H>, bound: [BoundListener]) {
    var options = ServerOptions(listeners: try listeners.map { try ListenAddress(parsing: $0) },
                                udpSocketsPerListener: 2)
    configure(&options)
    let server = try DNSServer(options: options, handler: handler, logger: logger)
    let bound = try await server.start()
    return (server, bound)
}
