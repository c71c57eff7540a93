import Logging
import Runtime
import ServiceLifecycle
import Testing

/// A service that runs until graceful shutdown.
private struct Idle: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}

@Suite struct DrainerTests {
    /// A drain that begins before the service group exists (a SIGTERM racing start-up) still
    /// stops the group once it is attached, and a second begin says a drain is under way.
    @Test(.timeLimit(.minutes(1))) func aDrainBeforeTheGroupIsAttachedStopsItOnceAttached() async throws {
        let logger = Logger(label: "test")
        let drainer = Drainer(period: .zero, logger: logger)
        #expect(drainer.begin(reason: "test"))
        #expect(drainer.isDraining)
        #expect(!drainer.begin(reason: "again"))
        let group = ServiceGroup(services: [Idle()], logger: logger)
        drainer.attach(group)
        try await group.run()  // returns only once the drain stops it
    }

    @Test(.timeLimit(.minutes(1))) func aDrainWaitsForItsPeriodThenStops() async throws {
        let logger = Logger(label: "test")
        let drainer = Drainer(period: .milliseconds(200), logger: logger)
        let group = ServiceGroup(services: [Idle()], logger: logger)
        drainer.attach(group)
        let start = ContinuousClock.now
        #expect(drainer.begin(reason: "test"))
        try await group.run()
        #expect(ContinuousClock.now - start >= .milliseconds(200))
    }
}
