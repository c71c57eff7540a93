/// The one error type of the Server module: what failed, and where.
public struct ServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable {
        /// The code as text.
        public var rawValue: String
        /// A code from its text.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A listener is not `address:port` with an IP literal.
        public static let invalidListenAddress = Code(rawValue: "invalid listen address")
        /// A socket could not be bound (in use, not permitted, address not local).
        public static let bindFailed = Code(rawValue: "bind failed")
        /// An option is out of range.
        public static let invalidOption = Code(rawValue: "invalid option")
        /// `start()` was called on a server that is running or has been shut down.
        public static let invalidState = Code(rawValue: "invalid state")
    }

    /// The kind of failure.
    public var code: Code
    /// The thing that failed (a listener, an option name).
    public var subject: String
    /// What went wrong and what to do about it.
    public var detail: String

    /// An error of `code` about `subject`.
    public init(_ code: Code, _ subject: String, _ detail: String) {
        self.code = code
        self.subject = subject
        self.detail = detail
    }

    /// The presentation form, for logs and errors.
    public var description: String { "\(code.rawValue): \(subject): \(detail)" }
}
