import AsyncHTTPClient
import Config
import Foundation
import NIOCore
import NIOHTTP1

/// The admin API's client (what `tack ctl` uses): one request, the body back, a non-2xx answer
/// turned into an error carrying the API's own message.
public struct AdminClient: Sendable {
    /// `http://ADDRESS:PORT`.
    public let base: String
    /// The bearer token sent with writes.
    public let token: String?

    public init(base: String, token: String?) {
        self.base = base
        self.token = token
    }

    /// Why a request failed, in words for the operator.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The API's address and token: explicit values first, then the environment (TACK_ADMIN,
    /// TACK_TOKEN), then the admin section of `configPath` when that file exists.
    public static func resolve(admin: String?, token: String?, configPath: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> AdminClient {
        var address = admin ?? environment["TACK_ADMIN"]
        var token = token ?? environment["TACK_TOKEN"]
        if address == nil || token == nil, FileManager.default.fileExists(atPath: configPath) {
            do {
                let c = try Configuration.load(path: configPath)
                address = address ?? c.admin.listen.description
                token = token ?? c.admin.token
            } catch {
                throw Failure(description: "\(error.description)\n(give --admin ADDRESS:PORT to skip the configuration)")
            }
        }
        guard let address else {
            throw Failure(description: "no admin API address: give --admin 127.0.0.1:8053, set TACK_ADMIN, or --config FILE")
        }
        return AdminClient(base: "http://\(address)", token: token)
    }

    /// Sends one request and returns the body; a non-2xx answer becomes an error with the
    /// API's message. `write` sends the bearer token.
    public func send(_ method: HTTPMethod, _ path: String, body: String? = nil, write: Bool = false) async throws(Failure) -> String {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if write, let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let response: HTTPClientResponse
        let text: String
        do {
            response = try await client.execute(request, timeout: .seconds(30))
            text = String(buffer: try await response.body.collect(upTo: 16 << 20))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw Failure(description: "cannot reach the admin API at \(base): \(error) — is tack serve running with this admin.listen?")
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let message = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)))?["error"] ?? text
            throw Failure(description: "\(method) \(path): \(response.status.code) \(response.status.reasonPhrase): \(message)")
        }
        return text
    }

    /// Decodes one of the API's JSON reports.
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// Percent-encodes a query or path component.
    public static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? s
    }
}
