import ArgumentParser
import DNSWire

/// The `tack` command line.
@main
struct Tack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tack",
        abstract: "An authoritative DNS server whose answers follow the health of their targets.",
        subcommands: [Serve.self, Check.self, Ctl.self, Announce.self, Fleet.self, Decode.self],
        defaultSubcommand: Serve.self
    )
}

/// `tack decode HEX`: prints a DNS message given in hex, in presentation format.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decode a DNS message given as hex and print it.")

    @Argument(help: "The message in hexadecimal (white space allowed).")
    var hex: [String]

    func run() throws {
        guard let bytes = Hex.decode(hex.joined()) else {
            throw ValidationError("not valid hexadecimal: give an even number of 0-9/a-f digits")
        }
        do {
            print(try Message.decode(bytes).presentation, terminator: "")
        } catch {
            throw ValidationError("cannot decode message: \(error)")
        }
    }
}
