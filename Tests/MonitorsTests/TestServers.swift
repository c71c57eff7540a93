import DNSWire
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The event loops the tests' servers and monitors run on.
let testGroup = MultiThreadedEventLoopGroup.singleton

/// A TCP listener that accepts and immediately closes connections.
func startTCPListener(host: String, port: Int = 0) async throws -> any Channel {
    try await ServerBootstrap(group: testGroup)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { ch in ch.close() }
        .bind(host: host, port: port)
        .get()
}

/// A tiny HTTP/1.1 server: `/ok` 200 "hello world", `/missing` 404, `/redirect` 302, `/host`
/// echoes the Host header. Optionally behind TLS.
func startHTTPServer(tls: NIOSSLContext? = nil, host: String = "127.0.0.1") async throws -> any Channel {
    try await ServerBootstrap(group: testGroup)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { ch in
            ch.eventLoop.makeCompletedFuture {
                if let tls { try ch.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                try ch.pipeline.syncOperations.configureHTTPServerPipeline()
                try ch.pipeline.syncOperations.addHandler(TestHTTPHandler())
            }
        }
        .bind(host: host, port: 0)
        .get()
}

final class TestHTTPHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let (status, body): (HTTPResponseStatus, String) = switch head.uri {
        case "/ok": (.ok, "hello world")
        case "/missing": (.notFound, "no such page")
        case "/redirect": (.found, "")
        case "/host": (.ok, "Host: \(head.headers.first(name: "host") ?? "-")")
        default: (.internalServerError, "unexpected path \(head.uri)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        headers.add(name: "Connection", value: "close")
        if status == .found { headers.add(name: "Location", value: "/ok") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        var buf = context.channel.allocator.buffer(capacity: body.utf8.count)
        buf.writeString(body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
        let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in ctx.value.close(promise: nil) }
    }
}

/// A self-signed certificate for `health.test` made by `openssl req -x509`, in a fresh directory.
func makeSelfSignedCertificate() throws -> (cert: String, key: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tack-tls-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    p.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-keyout", "\(dir)/key.pem", "-out", "\(dir)/cert.pem", "-days", "1",
                   "-subj", "/CN=health.test", "-addext", "subjectAltName=DNS:health.test"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw TestFailure("openssl req -x509 failed with status \(p.terminationStatus)") }
    return ("\(dir)/cert.pem", "\(dir)/key.pem")
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A tiny UDP DNS responder: `up.test. A` -> 192.0.2.53 NOERROR; anything else NXDOMAIN.
func startDNSResponder(host: String = "127.0.0.1") async throws -> any Channel {
    try await DatagramBootstrap(group: testGroup)
        .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(TestDNSHandler()) } }
        .bind(host: host, port: 0)
        .get()
}

final class TestDNSHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let env = unwrapInboundIn(data)
        guard let q = try? Message.decode(Array(env.data.readableBytesView)), let question = q.questions.first else { return }
        var header = q.header
        header.qr = true
        header.aa = true
        var response = Message(header: header, questions: [question])
        if question.name == (try! Name(parsing: "up.test.")) && question.type == .a {
            response.answers = [ResourceRecord(question.name, ttl: 60, try! RData.parse(type: .a, text: "192.0.2.53"))]
        } else {
            response.rcode = .nxDomain
        }
        let bytes = response.encode()
        var buf = context.channel.allocator.buffer(capacity: bytes.count)
        buf.writeBytes(bytes)
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: env.remoteAddress, data: buf)), promise: nil)
    }
}

/// A log handler that keeps messages, to see warnings.
final class CapturedLogs: Sendable {
    let lines = Mutex<[(Logger.Level, String)]>([])
    var logger: Logger {
        Logger(label: "test") { _ in CaptureHandler(sink: self) }
    }
    var warnings: [String] { lines.withLock { $0.filter { $0.0 == .warning }.map(\.1) } }
}

struct CaptureHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        sink.lines.withLock { $0.append((event.level, "\(event.message)")) }
    }
}
