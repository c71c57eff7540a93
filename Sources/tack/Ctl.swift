import ArgumentParser
import AsyncHTTPClient
import Config
import Foundation
import NIOCore
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

        /// The base URL and token, from the options, the environment or the config file.
        func endpoint() throws -> (base: String, token: String?) {
            let env = ProcessInfo.processInfo.environment
            var address = admin ?? env["TACK_ADMIN"]
            var token = self.token ?? env["TACK_TOKEN"]
            if address == nil || token == nil, FileManager.default.fileExists(atPath: config) {
                do {
                    let c = try Configuration.load(path: config)
                    address = address ?? c.admin.listen.description
                    token = token ?? c.admin.token
                } catch {
                    throw ValidationError("\(error.description)\n(give --admin ADDRESS:PORT to skip the configuration)")
                }
            }
            guard let address else {
                throw ValidationError("no admin API address: give --admin 127.0.0.1:8053, set TACK_ADMIN, or --config FILE")
            }
            return ("http://\(address)", token)
        }

        /// Sends one request and returns the body; a non-2xx answer becomes an error with the
        /// API's message.
        func send(_ method: HTTPMethod, _ path: String, body: String? = nil, write: Bool = false) async throws -> String {
            let (base, token) = try endpoint()
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            if write, let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
                try await client.shutdown()
                guard (200..<300).contains(Int(response.status.code)) else {
                    let message = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)))?["error"] ?? text
                    throw CtlError(description: "\(method) \(path): \(response.status.code) \(response.status.reasonPhrase): \(message)")
                }
                return text
            } catch let e as CtlError {
                throw e
            } catch {
                try? await client.shutdown()
                throw CtlError(description: "cannot reach the admin API at \(base): \(error) — is tack serve running with this admin.listen?")
            }
        }
    }

    struct CtlError: Error, CustomStringConvertible {
        let description: String
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Zones, pools with their current answer, targets with their monitors.")
        @OptionGroup var connection: Connection

        func run() async throws {
            let text = try await connection.send(.GET, "/v1/status")
            if connection.json { print(text, terminator: ""); return }
            print(Status.render(try Ctl.decode(StatusReport.self, text)), terminator: "")
        }

        static func render(_ s: StatusReport) -> String {
            var out = "instance \(s.identity.nsid ?? "-")  ready: \(s.ready ? "yes" : "no")  generation \(s.generation)\n"
            out += "zones:\n"
            for z in s.zones { out += "  \(z.name)  serial \(z.serial)\n" }
            if !s.pools.isEmpty { out += "pools:\n" }
            for p in s.pools {
                let answer = p.outcome == "records" ? p.answer.joined(separator: " ") : p.outcome.uppercased()
                out += "  \(p.name)  \(p.owner) \(p.kind)  \(p.status)\(p.tier.map { ", tier \($0)" } ?? "")  ttl \(p.ttl)  -> \(answer)\n"
                out += "      \(p.reason)\n"
            }
            if !s.targets.isEmpty { out += "targets:\n" }
            for t in s.targets {
                var line = "  \(t.name)  \(t.state)"
                if let f = t.forced {
                    line += " (forced \(f.state)\(f.until.map { " until \(ISO8601DateFormatter().string(from: $0))" } ?? ""); monitors say \(t.monitoredState))"
                }
                out += line + "  checks \(t.checks), failures \(t.failures), transitions \(t.transitions)\n"
                for m in t.monitors { out += "      \(m.name) (\(m.type)) \(m.state): \(m.reason)\n" }
            }
            return out
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which pool and tier answer a name, and why.")
        @Argument(help: "The name asked.") var name: String
        @Argument(help: "The type asked (default A).") var type: String = "A"
        @OptionGroup var connection: Connection

        func run() async throws {
            let query = "name=\(Explain.escape(name))&type=\(Explain.escape(type))"
            let text = try await connection.send(.GET, "/v1/explain?\(query)")
            if connection.json { print(text, terminator: ""); return }
            let e = try Ctl.decode(ExplainReport.self, text)
            var out = "\(e.name) \(e.type): \(e.rcode)"
            if let p = e.pool {
                out += " from pool \(p.name) (\(p.policy), \(p.status)\(p.tier.map { ", tier \($0)" } ?? ""), ttl \(p.ttl))"
            } else if let z = e.zone {
                out += " from zone \(z)"
            }
            out += "\n  why: \(e.reason)\n"
            for a in e.answer { out += "  \(a)\n" }
            print(out, terminator: "")
        }

        static func escape(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? s
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
            let path = "/v1/targets/\(Explain.escape(target))/force"
            let text: String
            if state == "none" {
                text = try await connection.send(.DELETE, path, write: true)
            } else {
                var body: [String: String] = ["state": state]
                body["expires_in"] = duration
                body["reason"] = reason
                let json = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
                text = try await connection.send(.PUT, path, body: json, write: true)
            }
            if connection.json { print(text, terminator: ""); return }
            let t = try Ctl.decode(StatusReport.TargetStatusReport.self, text)
            if let f = t.forced {
                print("\(t.name) forced \(f.state)\(f.until.map { " until \(ISO8601DateFormatter().string(from: $0))" } ?? "") (monitors say \(t.monitoredState))")
            } else {
                print("\(t.name) released: \(t.state) as the monitors say")
            }
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reload the configuration and zones (a failure keeps the running ones).")
        @OptionGroup var connection: Connection

        func run() async throws {
            let text = try await connection.send(.POST, "/v1/reload", write: true)
            if connection.json { print(text, terminator: ""); return }
            let r = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
            print("reloaded: generation \(r["generation"] ?? "?")")
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop without losing a query: not ready at once (tack announce withdraws), stop after anycast.drain_period.")
        @OptionGroup var connection: Connection

        func run() async throws {
            let text = try await connection.send(.POST, "/v1/drain", write: true)
            if connection.json { print(text, terminator: ""); return }
            let r = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
            print("\(r["result"] ?? "draining"): stopping in \(r["stop_in"] ?? "?")")
        }
    }
}
