/// What one check reports: pass or fail, with a human-readable detail. Monitors own nothing
/// else; thresholds and forced states live in the state machines.
public enum CheckResult: Sendable, Hashable {
    /// The check passed; the string says what was seen ("tcp connect 192.0.2.1:80 ok").
    case success(String)
    /// The check failed; the string says why ("tcp connect 192.0.2.1:80 refused").
    case failure(String)

    /// True for `.success`.
    public var passed: Bool {
        if case .success = self { return true }
        return false
    }

    /// The detail string of either case.
    public var detail: String {
        switch self {
        case .success(let s), .failure(let s): s
        }
    }
}
