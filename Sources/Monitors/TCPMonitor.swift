#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Health
import NIOCore
import NIOPosix

/// Checks that a TCP connection to an address opens within the timeout, then closes it.
public struct TCPMonitor: Sendable, Hashable {
    /// What is checked.
    public let address: MonitorAddress

    /// A TCP connect check of `address`.
    public init(address: MonitorAddress) {
        self.address = address
    }

    /// Connects once; success when the handshake completes within `timeout`.
    public func check(timeout: Duration, group: any EventLoopGroup) async -> CheckResult {
        let what = "tcp connect \(address)"
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout.timeAmount)
                .connect(to: address.socketAddress)
                .get()
            try? await channel.close()
            return .success("\(what) ok")
        } catch {
            return .failure("\(what) \(describeConnectError(error, timeout: timeout))")
        }
    }
}

/// A short description of why a connection failed ("refused", "timed out after 200 ms").
func describeConnectError(_ error: any Error, timeout: Duration) -> String {
    if let e = error as? IOError {
        switch e.errnoCode {
        case ECONNREFUSED: return "refused"
        case ENETUNREACH: return "network unreachable"
        case EHOSTUNREACH: return "host unreachable"
        case ETIMEDOUT: return "timed out"
        default: return "failed: \(e)"
        }
    }
    if let e = error as? ChannelError, case .connectTimeout = e {
        return "timed out after \(timeout.shortDescription)"
    }
    if let e = error as? NIOConnectionError {
        if let first = e.connectionErrors.first { return describeConnectError(first.error, timeout: timeout) }
        return "failed: \(e)"
    }
    return "failed: \(error)"
}
