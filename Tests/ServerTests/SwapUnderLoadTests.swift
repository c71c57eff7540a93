import Atomics
import DNSWire
import NIOCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import Server

@Suite(.serialized) struct SwapUnderLoadTests {
    /// 2000 UDP queries from a loop while the snapshot is reloaded 50 times: every query is
    /// answered, and each answer carries a generation no older than the previous one.
    ///
    /// Reload k starts once 30k queries are answered, while the client keeps querying; the
    /// client only waits (bounded) at query 30k+15 for reload k to be done, so every generation
    /// is seen without the test depending on relative speeds.
    @Test func reloadsDuringContinuousQueriesLoseNothing() async throws {
        let box = SnapshotBox<UInt32>(0)
        let (server, bound) = try await startServer(EchoHandler(snapshot: box), listeners: ["127.0.0.1:0"])
        let address = bound[0].address
        let next = ManagedAtomic<UInt32>(0)
        let reloader = Reloader(box: box, logger: testLogger) {
            next.wrappingIncrementThenLoad(ordering: .relaxed)
        }
        let sent = ManagedAtomic<Int>(0)
        let swapped = ManagedAtomic<Int>(0)
        let clientDone = ManagedAtomic<Bool>(false)
        let queries = 2000
        let swaps = 50

        async let client = offPool { () -> (failures: Int, regressions: Int, seen: Set<UInt32>) in
            let socket = try TestSocket(udpFor: address, timeout: 2)
            var failures = 0
            var regressions = 0
            var last: UInt32 = 0
            var seen: Set<UInt32> = []
            defer { clientDone.store(true, ordering: .relaxed) }
            for index in 0..<queries {
                if index % 30 == 15 {
                    let due = min(index / 30, swaps)
                    for _ in 0..<100_000 where swapped.load(ordering: .relaxed) < due { usleep(100) }
                }
                let id = UInt16(truncatingIfNeeded: index)
                try socket.sendTo(address, TestQuery.make("load.example.test.", id: id))
                guard let datagram = socket.receiveDatagram(), let message = try? Message.decode(datagram),
                      message.header.id == id, let generation = TestQuery.generation(in: message) else {
                    failures += 1
                    continue
                }
                if generation < last { regressions += 1 }
                last = generation
                seen.insert(generation)
                sent.wrappingIncrement(ordering: .relaxed)
            }
            return (failures, regressions, seen)
        }
        for swap in 1...swaps {
            for _ in 0..<10_000 where sent.load(ordering: .relaxed) < swap * 30 && !clientDone.load(ordering: .relaxed) {
                try await Task.sleep(for: .milliseconds(1))
            }
            await reloader.reload()
            swapped.store(swap, ordering: .relaxed)
        }
        let result = try await client
        #expect(result.failures == 0)
        #expect(result.regressions == 0)
        #expect(reloader.successes == swaps)
        #expect(box.generation == UInt64(swaps))
        #expect(result.seen == Set(0...UInt32(swaps)), "every generation must have answered queries")
        await server.shutdown()
    }
}
