/// An error in a zone file: what was wrong, where (file:line:column), the offending token,
/// what was expected there, and what to do about it. The one error type of the ZoneFile module.
public struct ZoneFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of mistake, for programs and tests; the message carries the details.
    public enum Code: String, Sendable, Equatable {
        /// `)` without `(`, or `(` never closed.
        case unbalancedParentheses
        /// A `"` never closed on its line.
        case unterminatedQuote
        /// A `\` at the very end of the file.
        case badEscape
        /// A TTL that is neither seconds nor BIND units (RFC 2308 4, BIND `1h30m`).
        case badTTL
        /// No TTL on the record and no `$TTL` or earlier TTL to inherit.
        case missingTTL
        /// A class that is not IN or CH, or a `CLASSnnn` Tack does not serve.
        case unsupportedClass
        /// A record whose class differs from the zone's (RFC 1035 5.2: one class per file).
        case classMismatch
        /// A token where a record type was expected that is no type mnemonic or `TYPEnnn`.
        case unknownType
        /// A meta or query type (ANY, OPT, AXFR...) used as a record type (RFC 6895 3.1).
        case metaType
        /// The type is missing altogether.
        case missingType
        /// A blank owner with no previous owner to repeat.
        case missingOwner
        /// A name that cannot be parsed, or a relative name without an origin.
        case badName
        /// The record has no RDATA.
        case missingRData
        /// The RDATA does not parse for its type.
        case badRData
        /// A `$` directive Tack does not know.
        case unknownDirective
        /// A known directive with missing, extra or bad arguments.
        case badDirective
        /// An `$INCLUDE` file that cannot be read.
        case includeFailed
        /// An `$INCLUDE` that includes a file already being read.
        case includeLoop
        /// `$INCLUDE` nested deeper than `ZoneFileLimits.maxIncludeDepth`.
        case includeTooDeep
        /// A `$GENERATE` range or template that does not parse, or too many records.
        case badGenerate
        /// The file as a whole cannot be read.
        case unreadableFile
        /// The parser stopped after `ZoneFileLimits.maxErrors` errors.
        case tooManyErrors
    }

    /// The kind of mistake.
    public var code: Code
    /// Where the offending token starts.
    public var location: SourceLocation
    /// The offending token as written (escapes kept), when there is one.
    public var token: String?
    /// What was wrong, in one sentence.
    public var message: String
    /// What the parser expected at this place, when that helps.
    public var expected: String?
    /// What to do about it.
    public var hint: String?
    /// The source line, for printing with a caret under the column.
    public var sourceLine: String?

    /// An error at `location`; `message` says what was wrong, `hint` what to do.
    public init(_ code: Code, at location: SourceLocation, token: String? = nil, message: String,
                expected: String? = nil, hint: String? = nil, sourceLine: String? = nil) {
        self.code = code
        self.location = location
        self.token = token
        self.message = message
        self.expected = expected
        self.hint = hint
        self.sourceLine = sourceLine
    }

    /// The file the error is in.
    public var file: String { location.file }
    /// The 1-based line.
    public var line: Int { location.line }
    /// The 1-based byte column.
    public var column: Int { location.column }

    /// `file:line:col: error: message (expected ...)`, one line, as compilers print it.
    public var description: String {
        var s = "\(location): error: \(message)"
        if let expected { s += " (expected \(expected))" }
        return s
    }

    /// The description, then the source line with a caret under the column, then the hint.
    public var formatted: String {
        Diagnostic.format(headline: description, sourceLine: sourceLine, column: location.column, hint: hint)
    }
}

/// Something legal but probably not what the author meant (a TTL taken from the SOA MINIMUM,
/// a TTL over 2^31-1): reported, never fatal.
public struct ZoneFileWarning: Sendable, Equatable, CustomStringConvertible {
    /// Where the questionable token starts.
    public var location: SourceLocation
    /// What looks wrong.
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// The source line, for printing with a caret.
    public var sourceLine: String?

    /// A warning at `location`.
    public init(at location: SourceLocation, message: String, hint: String? = nil, sourceLine: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
        self.sourceLine = sourceLine
    }

    /// `file:line:col: warning: message`.
    public var description: String { "\(location): warning: \(message)" }

    /// The description, the source line with a caret, and the hint.
    public var formatted: String {
        Diagnostic.format(headline: description, sourceLine: sourceLine, column: location.column, hint: hint)
    }
}

/// Shared layout of errors and warnings for terminals.
enum Diagnostic {
    static func format(headline: String, sourceLine: String?, column: Int, hint: String?) -> String {
        var s = headline
        if let sourceLine {
            s += "\n    " + sourceLine + "\n    "
            // Keep tabs so the caret lines up under the same byte whatever the tab width.
            var caret = ""
            for (i, b) in sourceLine.utf8.enumerated() where i < column - 1 {
                caret += b == 0x09 ? "\t" : " "
            }
            s += caret + "^"
        }
        if let hint { s += "\n    hint: " + hint }
        return s
    }
}
