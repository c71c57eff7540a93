import Logging
import NIOConcurrencyHelpers
import Testing
@testable import Server
#if canImport(Glibc)
import Glibc
#endif

struct BuildFailure: Error, CustomStringConvertible {
    var description: String { "zone example.test.: line 3: bad TTL" }
}

@Suite struct SnapshotBoxTests {
    @Test func replacePublishesAndCountsGenerations() {
        let box = SnapshotBox("first")
        #expect(box.load() == "first")
        #expect(box.generation == 0)
        #expect(box.replace(with: "second") == 1)
        #expect(box.loadWithGeneration() == ("second", 1))
    }

    @Test func reloadSwapsOnlyOnSuccessAndCounts() async {
        let box = SnapshotBox(0)
        let plan = SnapshotBox<[Int?]>([1, nil, 3])
        let step = SnapshotBox(0)
        let records = NIOLockedValueBox<[CapturingLogHandler.Record]>([])
        let logger = Logger(label: "test") { _ in CapturingLogHandler(records: records) }
        let reloader = Reloader(box: box, logger: logger) {
            let index = step.load()
            step.replace(with: index + 1)
            guard let value = plan.load()[index] else { throw BuildFailure() }
            return value
        }
        guard case .swapped(let g1) = await reloader.reload() else { Issue.record("first reload failed"); return }
        #expect(g1 == 1 && box.load() == 1)
        guard case .failed(let error) = await reloader.reload() else { Issue.record("second reload should fail"); return }
        #expect(error is BuildFailure)
        #expect(box.load() == 1, "a failed build must keep the previous snapshot")
        let logged = records.withLockedValue { $0 }.filter { $0.level == .error }
        #expect(logged.count == 1)
        #expect(logged.first?.message.contains("still serving the previous snapshot") == true)
        #expect(logged.first?.metadata["error"] == "zone example.test.: line 3: bad TTL", "the log must say why")
        #expect(box.generation == 1)
        guard case .swapped(let g3) = await reloader.reload() else { Issue.record("third reload failed"); return }
        #expect(g3 == 2 && box.load() == 3)
        #expect(reloader.successes == 2)
        #expect(reloader.failures == 1)
    }

    @Test func concurrentReloadsRunOneAtATime() async {
        let box = SnapshotBox(0)
        let running = SnapshotBox(0)
        let overlap = SnapshotBox(false)
        let reloader = Reloader(box: box, logger: testLogger) {
            let now = running.load() + 1
            running.replace(with: now)
            if now > 1 { overlap.replace(with: true) }
            await Task.yield()
            running.replace(with: running.load() - 1)
            return 1
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { await reloader.reload() } }
        }
        #expect(!overlap.load())
        #expect(reloader.successes == 20)
        #expect(box.generation == 20)
    }

    @Test func sighupTriggersReload() async throws {
        let box = SnapshotBox(0)
        let (builds, buildSink) = AsyncStream.makeStream(of: Int.self)
        let reloader = Reloader(box: box, logger: testLogger, signals: [.sighup]) {
            buildSink.yield(1)
            return 42
        }
        let service = Task { try await reloader.run() }
        await reloader.waitUntilTrappingSignals()
        kill(getpid(), SIGHUP)
        var iterator = builds.makeAsyncIterator()
        let built = await iterator.next()
        #expect(built == 1)
        // The build has been entered; the swap follows it on the same task. Wait for it by
        // reloading once more explicitly, which queues behind the signal's reload.
        await reloader.reload()
        #expect(reloader.successes == 2)
        #expect(box.load() == 42)
        service.cancel()
        _ = try? await service.value
    }
}
