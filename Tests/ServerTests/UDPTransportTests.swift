import DNSWire
import NIOCore
import Testing
import TestSupport
@testable import Server

@Suite(.serialized) struct UDPTransportTests {
    @Test func answersOnIPv4AndIPv6() async throws {
        let (server, bound) = try await startServer(EchoHandler())
        defer { Task { await server.shutdown() } }
        #expect(bound.count == 2)
        for (index, listener) in bound.enumerated() {
            #expect(listener.port != 0, "port 0 must be reported back as the bound port")
            let address = listener.address
            let id = UInt16(0x1200 + index)
            let response = try await offPool { () -> [UInt8]? in
                let socket = try TestSocket(udpFor: address)
                try socket.sendTo(address, TestQuery.make("www.example.test.", id: id))
                return socket.receiveDatagram()
            }
            let message = try Message.decode(try #require(response))
            #expect(message.header.id == id)
            #expect(message.header.qr)
            #expect(message.questions == [Question(try Name(parsing: "www.example.test."), .a)])
            #expect(TestQuery.transport(in: message) == "udp")
        }
        await server.shutdown()
    }

    @Test func droppedQueryGetsNoReply() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let ids = try await offPool { () -> [UInt16] in
            let socket = try TestSocket(udpFor: address, timeout: 1)
            try socket.sendTo(address, TestQuery.make("drop.example.test.", id: 1))
            try socket.sendTo(address, TestQuery.make("www.example.test.", id: 2))
            var ids: [UInt16] = []
            // Read until a timeout: only the second query may be answered.
            for _ in 0..<3 {
                guard let datagram = socket.receiveDatagram() else { break }
                ids.append(try Message.decode(datagram).header.id)
            }
            return ids
        }
        #expect(ids == [2])
        await server.shutdown()
    }

    @Test func garbageIsDroppedAndServingContinues() async throws {
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let ids = try await offPool { () -> [UInt16] in
            let socket = try TestSocket(udpFor: address, timeout: 1)
            try socket.sendTo(address, [0xFF])
            try socket.sendTo(address, [])
            try socket.sendTo(address, TestQuery.make("www.example.test.", id: 9))
            var ids: [UInt16] = []
            for _ in 0..<3 {
                guard let datagram = socket.receiveDatagram() else { break }
                ids.append(try Message.decode(datagram).header.id)
            }
            return ids
        }
        #expect(ids == [9])
        await server.shutdown()
    }

    @Test func manyClientsOverAllSockets() async throws {
        // Several client sockets: SO_REUSEPORT spreads them over the server's sockets; every
        // query is answered with its own ID.
        let (server, bound) = try await startServer(EchoHandler(), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let failures = try await offPool { () -> Int in
            var failures = 0
            for client in 0..<16 {
                let socket = try TestSocket(udpFor: address)
                for q in 0..<8 {
                    let id = UInt16(client * 100 + q)
                    try socket.sendTo(address, TestQuery.make("c\(client).example.test.", id: id))
                    guard let datagram = socket.receiveDatagram(),
                          let message = try? Message.decode(datagram), message.header.id == id else {
                        failures += 1
                        continue
                    }
                }
            }
            return failures
        }
        #expect(failures == 0)
        await server.shutdown()
    }
}
