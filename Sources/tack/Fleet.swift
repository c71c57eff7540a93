import ArgumentParser
import Anycast
import Config
import Runtime

/// `tack fleet check ADDR...`: asks every instance for its fingerprint (CHAOS TXT
/// `fingerprint.server.`) and identity (`id.server.`) over DNS, and exits non-zero with a
/// readable diff when they do not all serve the same zones and pools.
struct Fleet: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare what several Tack instances serve.",
        subcommands: [FleetCheckCommand.self])
}

struct FleetCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Query each instance's fingerprint; exit 1 with a diff when they differ or one does not answer.",
        discussion: """
            tack fleet check 198.18.1.2 198.18.2.2 198.18.3.2      (port 53)
            tack fleet check 127.0.0.1:5353 [::1]:5353
            Each instance answers CH TXT fingerprint.server. with its zones' serials and the
            SHA-256 of their records and of its targets, monitors and pools (short forms); the
            full hashes are in the admin API's /v1/status.
            """)

    @Argument(help: "Instances: address or address:port (IPv6 in brackets with a port).")
    var instances: [String]

    @Option(name: .long, help: "Milliseconds to wait for each answer (3 tries).")
    var timeout: Int = 1000

    func run() async throws {
        var seen: [FleetCheck.Seen] = []
        var unreachable: [String] = []
        for text in instances {
            guard let address = Config.ListenAddress(text) ?? Config.ListenAddress(text.contains(":") ? "[\(text)]:53" : "\(text):53") else {
                throw ValidationError("\"\(text)\" is not an address or address:port")
            }
            do {
                let fp = try await FleetCheck.txt(Fingerprint.chaosName, at: address, timeoutMs: timeout)
                guard let print = Fingerprint(chaosText: fp) else {
                    unreachable.append("\(address): the fingerprint answer \"\(fp)\" is not one Tack writes (another server?)")
                    continue
                }
                let id = (try? await FleetCheck.txt("id.server.", at: address, timeoutMs: timeout)) ?? "?"
                seen.append(FleetCheck.Seen(label: "\(address) (\(id))", print: print))
                Swift.print("\(address) (\(id)): \(fp)")
            } catch {
                unreachable.append("\(address): \(error)")
            }
        }
        let diff = FleetCheck.diff(seen)
        for u in unreachable { Swift.print("unreachable: \(u)") }
        if diff.isEmpty && unreachable.isEmpty {
            Swift.print("\(seen.count) instance(s) serve the same data (all=\(seen.first?.print.all ?? "-"))")
            return
        }
        if !diff.isEmpty { Swift.print("DRIFT:\n" + diff.joined(separator: "\n")) }
        throw ExitCode(1)
    }

}
