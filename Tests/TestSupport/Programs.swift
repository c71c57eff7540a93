#if canImport(Glibc)
import Glibc
#endif
import Foundation

public struct ProgramFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Runs `program` with `arguments`, bounded in time (killed after `timeout` seconds); its
/// standard output and error together, and its exit status. The one process runner of the tests
/// (dig, kdig, the client tools); `tack` itself runs through `TackProcess`.
public func runProgram(_ program: String, _ arguments: [String], timeout: TimeInterval = 20) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    // A file, not a pipe: a chatty child cannot block on a full pipe while we wait for it.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tack-run-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: file) }
    let handle = try FileHandle(forWritingTo: file)
    process.standardOutput = handle
    process.standardError = handle
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    if done.wait(timeout: .now() + timeout) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw ProgramFailure(description: "\(program) \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
    }
    process.waitUntilExit()
    try handle.close()
    let output = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    return (process.terminationStatus, output)
}

/// Runs blocking work (sockets, child processes) on its own thread, not the cooperative pool.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
