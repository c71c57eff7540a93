import ArgumentParser
import DNSWire
import ZoneFile

/// `tack check`: validates a zone file (or, with the server's config, every zone) and prints
/// errors and warnings in compiler style; exits non-zero when anything fails to load.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a zone file: syntax, then the zone rules (SOA, NS, CNAME, DNAME, glue, TTLs).")

    @Option(name: .long, help: "The zone file to check.")
    var zone: String

    @Option(name: .long, help: "The zone's origin (its apex name), e.g. example.test.")
    var origin: String

    func run() throws {
        let originName: Name
        do {
            originName = try Name(parsing: origin.hasSuffix(".") ? origin : origin + ".")
        } catch {
            throw ValidationError("--origin '\(origin)' is not a domain name: \(error)")
        }
        let result = ZoneLoader.load(file: zone, origin: originName)
        print(result.formattedDiagnostics(name: zone))
        if result.zone == nil { throw ExitCode(1) }
    }
}
