import Foundation

/// Runs blocking work (sockets, child processes) on a thread of its own and awaits it. A
/// synchronous test blocks a thread of Swift's cooperative pool, which has as many threads as
/// cores (two here): the async tests running alongside, with their own deadlines, then wait.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
