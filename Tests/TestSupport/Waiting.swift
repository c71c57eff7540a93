#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Bounded polls on a condition, instead of fixed sleeps: they return as soon as the event
/// happens and fail with a message naming it when the deadline passes first.

/// Polls `condition` every `interval` seconds until it holds or `limit` seconds pass; the
/// seconds it took, nil when the limit passed first.
@discardableResult
public func waitUntil(limit: Double, interval: Double = 0.02, _ condition: () throws -> Bool) rethrows -> Double? {
    let start = Date()
    while true {
        if try condition() { return Date().timeIntervalSince(start) }
        if Date().timeIntervalSince(start) >= limit { return nil }
        usleep(UInt32(interval * 1_000_000))
    }
}

/// A condition that did not come true before its deadline.
public struct WaitTimeout: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds; throws `WaitTimeout` ("timed out after 2.0 s waiting for
/// WHAT") when `limit` seconds pass first.
public func waitFor(_ what: @autoclosure () -> String, limit: Double, interval: Double = 0.02,
                    _ condition: () throws -> Bool) throws {
    guard try waitUntil(limit: limit, interval: interval, condition) != nil else {
        throw WaitTimeout("timed out after \(limit) s waiting for \(what())")
    }
}

/// The async form: sleeps between polls without holding a thread. The default limit is long
/// on purpose: it only bounds a failing test, and a passing one returns as soon as the condition
/// holds. Under the full suite on two cores, blocking tests can hold the cooperative pool for
/// seconds, delaying monitor tasks well past their interval.
public func waitFor(_ what: @autoclosure () -> String, limit: Duration = .seconds(60), interval: Duration = .milliseconds(20),
                    _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while true {
        if try await condition() { return }
        if ContinuousClock.now >= deadline { throw WaitTimeout("timed out after \(limit) waiting for \(what())") }
        try await Task.sleep(for: interval)
    }
}
