#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// Runs `dig` or `kdig` as a child process (bounded in time) and parses what it prints.
struct DigTool {
    static let dig = "/usr/bin/dig"
    static let kdig = "/usr/bin/kdig"
    /// Longest a tool may run before it is killed (its own +time/+tries bound it well below this).
    static let runTimeout: TimeInterval = 20

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs `tool` with `arguments`; returns its standard output and exit status.
    static func run(_ tool: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
        let (status, output) = try runProgram(tool, arguments, timeout: runTimeout)
        return (output, status)
    }

    /// `dig` against a tack instance: `@host -p port` plus bounded retries, then `arguments`.
    static func dig(_ host: String, _ port: UInt16, _ arguments: [String]) throws -> DigOutput {
        let (out, status) = try run(dig, ["@\(host)", "-p", "\(port)", "+time=2", "+tries=2"] + arguments)
        return DigOutput(text: out, status: status)
    }

    static func kdig(_ host: String, _ port: UInt16, _ arguments: [String]) throws -> DigOutput {
        let (out, status) = try run(kdig, ["@\(host)", "-p", "\(port)", "+time=2", "+retry=1"] + arguments)
        return DigOutput(text: out, status: status)
    }
}

/// The parts of dig's and kdig's output the tests look at.
struct DigOutput: CustomStringConvertible {
    let text: String
    let status: Int32
    /// The RCODE name from the header line ("NOERROR", "NXDOMAIN", ...), nil when none.
    let rcode: String?
    /// Header flags ("qr", "aa", "tc", ...).
    let flags: Set<String>
    /// Records per section name ("ANSWER", "AUTHORITY", "ADDITIONAL"), whitespace-split fields.
    let sections: [String: [[String]]]

    var description: String { text }

    init(text: String, status: Int32) {
        self.text = text
        self.status = status
        var rcode: String?
        var flags = Set<String>()
        var sections: [String: [[String]]] = [:]
        var current: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.contains("->>HEADER<<-"), rcode == nil, let r = line.range(of: "status: ") {
                rcode = String(line[r.upperBound...].prefix { $0.isLetter })
            } else if flags.isEmpty, let r = line.range(of: "lags: "), line.hasPrefix(";; flags") || line.hasPrefix(";; Flags") {
                let rest = line[r.upperBound...].prefix { $0 != ";" }
                flags = Set(rest.split(separator: " ").map(String.init))
            } else if line.hasPrefix(";; ") && line.hasSuffix(" SECTION:") {
                let name = line.dropFirst(3).dropLast(" SECTION:".count)
                current = String(name)
                if sections[current!] == nil { sections[current!] = [] }
            } else if line.isEmpty {
                current = nil
            } else if let c = current, c != "QUESTION", !line.hasPrefix(";") {
                sections[c, default: []].append(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
            }
        }
        self.rcode = rcode
        self.flags = flags
        self.sections = sections
    }

    func records(_ section: String) -> [[String]] { sections[section] ?? [] }

    /// The rdata fields (after name, TTL, class, type) of `section` records of `type`.
    func rdata(_ section: String, type: String) -> [String] {
        records(section).filter { $0.count >= 5 && $0[3] == type }.map { $0[4...].joined(separator: " ") }
    }

    /// The value after a pseudo-section line starting with `; KEY:` or `;; KEY:`.
    func option(_ key: String) -> String? {
        for raw in text.split(separator: "\n") {
            let line = raw.drop { $0 == ";" }.drop { $0 == " " }
            if line.hasPrefix(key + ":") { return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
}
