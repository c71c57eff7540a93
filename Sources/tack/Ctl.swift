import Admin
import ArgumentParser
import Foundation
import NIOHTTP1

/// `tack ctl`: the command line of the admin API.
struct Ctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Talk to a running server's admin API: status, explain, force, reload.",
        discussion: """
            The API address and token come from --admin/--token, else from the TACK_ADMIN and
            TACK_TOKEN environment variables, else from the admin section of --config.
              tack ctl status
              tack ctl explain app.example.test A
              tack ctl force primary down --for 10m --reason "maintenance"
              tack ctl force primary none
              tack ctl reload
              tack ctl drain     (withdraw from anycast, wait anycast.drain_period, stop)
            """,
        subcommands: [Status.self, Explain.self, Force.self, Reload.self, Drain.self])

    struct Connection: ParsableArguments {
        @Option(name: .long, help: "The configuration file whose admin section names the API (default: tack.yaml).")
        var config: String = "tack.yaml"

        @Option(name: .long, help: "The admin API address, e.g. 127.0.0.1:8053.")
        var admin: String?

        @Option(name: .long, help: "The bearer token for writes.")
        var token: String?

        @Flag(name: .long, help: "Print the API's JSON as is.")
        var json = false

        /// Sends one request; prints the JSON as is with --json, else what `text` makes of it.
        func run(_ method: HTTPMethod, _ path: String, body: String? = nil, write: Bool = false,
                 text: (String) throws -> String) async throws {
            let client: AdminClient
            do {
                client = try AdminClient.resolve(admin: admin, token: token, configPath: config)
            } catch {
                throw ValidationError(error.description)
            }
            let response = try await client.send(method, path, body: body, write: write)
            print(json ? response : try text(response), terminator: "")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Zones, pools with their current answer, targets with their monitors.")
        @OptionGroup var connection: Connection

        func run() async throws {
            try await connection.run(.GET, "/v1/status") { ReportText.status(try AdminClient.decode(StatusReport.self, $0)) }
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which pool and tier answer a name, and why.")
        @Argument(help: "The name asked.") var name: String
        @Argument(help: "The type asked (default A).") var type: String = "A"
        @OptionGroup var connection: Connection

        func run() async throws {
            let query = "name=\(AdminClient.escape(name))&type=\(AdminClient.escape(type))"
            try await connection.run(.GET, "/v1/explain?\(query)") { ReportText.explain(try AdminClient.decode(ExplainReport.self, $0)) }
        }
    }

    struct Force: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Force a target up or down (optionally for a while), or release it with none.")
        @Argument(help: "The target name.") var target: String
        @Argument(help: "up, down, or none to release.") var state: String
        @Option(name: .customLong("for"), help: "How long the forced state lasts, e.g. 90s, 10m, 2h (default: until released).")
        var duration: String?
        @Option(name: .long, help: "Why, for the log and the status.") var reason: String?
        @OptionGroup var connection: Connection

        func validate() throws {
            guard ["up", "down", "none"].contains(state) else { throw ValidationError("state must be up, down or none, not \"\(state)\"") }
            if let d = duration, parseDuration(d) == nil { throw ValidationError("--for \"\(d)\" is not a duration: write 90s, 10m or 2h") }
        }

        func run() async throws {
            let path = "/v1/targets/\(AdminClient.escape(target))/force"
            let render = { (text: String) in ReportText.forced(try AdminClient.decode(StatusReport.TargetStatusReport.self, text)) }
            if state == "none" {
                try await connection.run(.DELETE, path, write: true, text: render)
            } else {
                var body: [String: String] = ["state": state]
                body["expires_in"] = duration
                body["reason"] = reason
                let json = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
                try await connection.run(.PUT, path, body: json, write: true, text: render)
            }
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reload the configuration and zones (a failure keeps the running ones).")
        @OptionGroup var connection: Connection

        func run() async throws {
            try await connection.run(.POST, "/v1/reload", write: true) { text in
                let r = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
                return "reloaded: generation \(r["generation"] ?? "?")\n"
            }
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop without losing a query: not ready at once (tack announce withdraws), stop after anycast.drain_period.")
        @OptionGroup var connection: Connection

        func run() async throws {
            try await connection.run(.POST, "/v1/drain", write: true) { text in
                let r = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
                return "\(r["result"] ?? "draining"): stopping in \(r["stop_in"] ?? "?")\n"
            }
        }
    }
}
