/// Where something was found in a zone file: file name as given, 1-based line and column.
/// Columns count bytes, as compilers do, so a tab is one column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file name as the user gave it (the including directive's path for included files).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based byte column.
    public var column: Int

    /// A location; `line` and `column` are 1-based.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the prefix compilers and editors understand.
    public var description: String { "\(file):\(line):\(column)" }
}
