import DNSWire
import NIOCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import Server

@Suite(.serialized) struct TCPTransportTests {
    @Test func framedQueryOnIPv4AndIPv6() async throws {
        let (server, bound) = try await startServer(EchoHandler())
        for listener in bound {
            let address = listener.address
            let response = try await offPool { () -> [UInt8]? in
                let socket = try TestSocket(tcpTo: address)
                try socket.send(framed(TestQuery.make("www.example.test.", id: 77)))
                return socket.receiveFrame()
            }
            let message = try Message.decode(try #require(response))
            #expect(message.header.id == 77)
            #expect(message.header.qr)
            #expect(TestQuery.transport(in: message) == "tcp")
        }
        await server.shutdown()
    }

    @Test func pipelinedQueriesAnsweredInOrder() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let ids: [UInt16] = [11, 12, 13, 14, 15]
        let answered = try await offPool { () -> [UInt16] in
            let socket = try TestSocket(tcpTo: address)
            // All five in one write, then one more split across two writes.
            try socket.send(ids.flatMap { framed(TestQuery.make("q\($0).example.test.", id: $0)) })
            let last = framed(TestQuery.make("last.example.test.", id: 16))
            try socket.send(Array(last.prefix(5)))
            try socket.send(Array(last.dropFirst(5)))
            var answered: [UInt16] = []
            for _ in 0..<6 {
                guard let frame = socket.receiveFrame(), let message = try? Message.decode(frame) else { break }
                answered.append(message.header.id)
            }
            return answered
        }
        #expect(answered == ids + [16])
        await server.shutdown()
    }

    @Test func droppedQueryInPipelineIsSkipped() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let answered = try await offPool { () -> [UInt16] in
            let socket = try TestSocket(tcpTo: address)
            try socket.send(framed(TestQuery.make("drop.example.test.", id: 1))
                            + framed(TestQuery.make("www.example.test.", id: 2)))
            guard let frame = socket.receiveFrame() else { return [] }
            return [try Message.decode(frame).header.id]
        }
        #expect(answered == [2])
        await server.shutdown()
    }

    @Test func zeroLengthFrameClosesAfterEarlierAnswers() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let (id, next) = try await offPool { () -> (UInt16?, TestSocket.Next) in
            let socket = try TestSocket(tcpTo: address)
            try socket.send(framed(TestQuery.make("www.example.test.", id: 5)) + [0, 0]
                            + framed(TestQuery.make("after.example.test.", id: 6)))
            let id = socket.receiveFrame().flatMap { try? Message.decode($0).header.id }
            return (id, socket.waitForEOF())
        }
        #expect(id == 5)
        #expect(next == .eof)
        let alone = try await offPool { () -> TestSocket.Next in
            let socket = try TestSocket(tcpTo: address)
            try socket.send([0, 0])
            return socket.waitForEOF()
        }
        #expect(alone == .eof)
        await server.shutdown()
    }

    @Test func halfCloseGetsPendingAnswersThenClose() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let (ids, next) = try await offPool { () -> ([UInt16], TestSocket.Next) in
            let socket = try TestSocket(tcpTo: address)
            try socket.send(framed(TestQuery.make("a.example.test.", id: 51)) + framed(TestQuery.make("b.example.test.", id: 52)))
            shutdown(socket.fd, Int32(SHUT_WR))
            var ids: [UInt16] = []
            for _ in 0..<2 {
                guard let frame = socket.receiveFrame(), let message = try? Message.decode(frame) else { break }
                ids.append(message.header.id)
            }
            return (ids, socket.waitForEOF())
        }
        #expect(ids == [51, 52])
        #expect(next == .eof)
        await server.shutdown()
    }

    @Test func largestQueryIsRead() async throws {
        // A 65535-octet message, filled with EDNS padding (RFC 7830) so it is still valid DNS.
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let response = try await offPool { () -> [UInt8]? in
            var message = Message(header: Header(id: 3), questions: [Question(try Name(parsing: "big.example.test."), .a)],
                                  edns: EDNS(options: [.padding(0)]))
            let base = message.encode().count
            message.edns = EDNS(options: [.padding(65535 - base)])
            let query = message.encode()
            guard query.count == 65535 else { return nil }
            let socket = try TestSocket(tcpTo: address)
            try socket.send(framed(query))
            return socket.receiveFrame()
        }
        #expect(try Message.decode(try #require(response)).header.id == 3)
        await server.shutdown()
    }

    @Test func idleConnectionIsClosed() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"]) {
            $0.tcpIdleTimeout = .milliseconds(300)
        }
        let address = bound[0].address
        let (id, next) = try await offPool { () -> (UInt16?, TestSocket.Next) in
            let socket = try TestSocket(tcpTo: address, timeout: 2)
            try socket.send(framed(TestQuery.make("www.example.test.", id: 8)))
            let id = socket.receiveFrame().flatMap { try? Message.decode($0).header.id }
            // Then say nothing: the server must close within a bounded wait.
            return (id, socket.waitForEOF(attempts: 3))
        }
        #expect(id == 8)
        #expect(next == .eof)
        await server.shutdown()
    }

    @Test func connectionCapClosesExcessConnections() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"]) {
            $0.maxTCPConnections = 2
        }
        let address = bound[0].address
        let (admitted, excess) = try await offPool { () -> ([UInt16?], TestSocket.Next) in
            let first = try TestSocket(tcpTo: address)
            let second = try TestSocket(tcpTo: address)
            var admitted: [UInt16?] = []
            for (index, socket) in [first, second].enumerated() {
                try socket.send(framed(TestQuery.make("www.example.test.", id: UInt16(index))))
                admitted.append(socket.receiveFrame().flatMap { try? Message.decode($0).header.id })
            }
            let third = try TestSocket(tcpTo: address)
            try? third.send(framed(TestQuery.make("www.example.test.", id: 3)))
            return (admitted, third.waitForEOF())
        }
        #expect(admitted == [0, 1])
        #expect(excess == .eof || excess == .reset)
        await server.shutdown()
    }

    @Test func slotFreedByClosedConnectionIsReused() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"]) {
            $0.maxTCPConnections = 1
        }
        let address = bound[0].address
        let ok = try await offPool { () -> Bool in
            let first = try TestSocket(tcpTo: address)
            try first.send(framed(TestQuery.make("www.example.test.", id: 1)) + [0, 0])
            guard first.receiveFrame() != nil, first.waitForEOF() == .eof else { return false }
            return true
        }
        #expect(ok)
        // The server gives the slot back before it closes, so the EOF above means it is free.
        #expect(server.openTCPConnections == 0)
        let id = try await offPool { () -> UInt16? in
            let socket = try TestSocket(tcpTo: address)
            try socket.send(framed(TestQuery.make("www.example.test.", id: 2)))
            return socket.receiveFrame().flatMap { try? Message.decode($0).header.id }
        }
        #expect(id == 2)
        await server.shutdown()
    }
}
