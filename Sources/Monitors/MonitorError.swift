/// The one error type of the Monitors module: a monitor that cannot be built or a state file
/// that cannot be written, with what, where and what to do.
public struct MonitorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of mistake this is.
    public enum Code: String, Sendable, Equatable {
        /// An address is not an IPv4 or IPv6 literal, or a port is out of range.
        case invalidAddress
        /// A monitor setting is out of range (timeout, interval, status range, command, path).
        case invalidSetting
        /// The state file could not be written.
        case stateFile
    }

    /// The kind of mistake.
    public let code: Code
    /// The full message.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Named limits of the Monitors module.
public enum MonitorLimits {
    /// Largest HTTP response body read when a body substring is expected; the rest is ignored.
    public static let maxHTTPBody = 1 << 20
    /// Largest DNS response accepted over UDP (RFC 6891 6.2.5 allows up to 65535 with EDNS).
    public static let maxDNSResponse = 65535
    /// Time a timed-out exec check's process gets between SIGTERM and SIGKILL.
    public static let execKillGrace: Duration = .milliseconds(500)
    /// Largest file-monitor state file read.
    public static let maxStateFile = 1 << 20
}
