import ArgumentParser
import DNSWire
import Runtime
import ZoneFile

/// `tack check`: validates a zone file, or a whole configuration and every zone it names, and
/// prints errors and warnings in compiler style; exits non-zero when anything fails to load.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a zone file (syntax, then SOA/NS/CNAME/DNAME/glue/TTL rules) or a whole config.",
        discussion: """
            tack check --zone zones/example.test.zone --origin example.test
            tack check --config tack.yaml
            """)

    @Option(name: .long, help: "A zone file to check (needs --origin).")
    var zone: String?

    @Option(name: .long, help: "The zone's origin (its apex name), e.g. example.test.")
    var origin: String?

    @Option(name: .long, help: "A configuration file: checks it and every zone it names.")
    var config: String?

    func validate() throws {
        switch (zone, config) {
        case (nil, nil): throw ValidationError("give --zone FILE --origin NAME, or --config FILE")
        case (.some, .some): throw ValidationError("give either --zone or --config, not both")
        case (.some, nil) where origin == nil: throw ValidationError("--zone needs --origin NAME (the zone's apex)")
        default: break
        }
    }

    func run() throws {
        if let config {
            do {
                let served = try ServedData.build(configPath: config) { print($0) }
                let names = served.zones.zones.map { "\($0.origin)" }.joined(separator: ", ")
                print("\(config): ok, \(served.zones.zones.count) zone(s): \(names)")
            } catch {
                print(error.description)
                throw ExitCode(1)
            }
            return
        }
        guard let zone, let origin else { return }
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
