/// An error in the configuration file: what is wrong, where (key path, and line and column when
/// known), and what to write instead.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where in the document: `listen[1]`, `zones[0].file`, `cookies.secret`; empty for the
    /// document itself.
    public var keyPath: String
    /// What is wrong and what to do about it.
    public var message: String
    /// The configuration file, when it was read from one.
    public var file: String?
    /// 1-based line and column of the offending node, when known.
    public var line: Int?
    public var column: Int?

    public init(_ keyPath: String, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.keyPath = keyPath
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `keyPath: message` (or just the message at the document level), without the location.
    public var summary: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }

    /// `file:line:column: keyPath: message`, with the parts that are known.
    public var description: String {
        var location = file ?? ""
        if let line {
            location += location.isEmpty ? "line \(line)" : ":\(line)"
            if let column { location += ":\(column)" }
        }
        return location.isEmpty ? summary : "\(location): \(summary)"
    }
}
