import AsyncHTTPClient
import Health
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The settings of an HTTP or HTTPS check.
public struct HTTPCheckSettings: Sendable, Hashable {
    /// true for HTTPS.
    public let https: Bool
    /// The address connected to.
    public let address: MonitorAddress
    /// The Host header and TLS SNI name (nil: the address).
    public let host: String?
    /// The request path, starting with "/".
    public let path: String
    /// Accepted status codes (default 200...399; redirects are not followed).
    public let expectedStatus: [ClosedRange<Int>]
    /// A substring the body must contain (nil: the body is not read).
    public let bodyContains: String?
    /// Whether the server certificate is validated against the system trust roots and `host`.
    public let validateCertificate: Bool

    /// Validated settings.
    public init(https: Bool, address: MonitorAddress, host: String? = nil, path: String = "/",
                expectedStatus: [ClosedRange<Int>] = [200...399], bodyContains: String? = nil,
                validateCertificate: Bool = true) throws(MonitorError) {
        guard path.hasPrefix("/"), !path.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else {
            throw MonitorError(.invalidSetting, "http path '\(path)' must start with '/' and contain no spaces or line breaks")
        }
        guard !expectedStatus.isEmpty, expectedStatus.allSatisfy({ $0.lowerBound >= 100 && $0.upperBound <= 599 }) else {
            throw MonitorError(.invalidSetting, "expected http status codes must be within 100...599, e.g. [200...299]")
        }
        if let h = host, h.isEmpty || h.contains(where: { $0 == " " || $0 == "/" || $0 == ":" }) {
            throw MonitorError(.invalidSetting, "http host '\(h)' must be a bare host name (no port, path or spaces)")
        }
        self.https = https
        self.address = address
        self.host = host
        self.path = path
        self.expectedStatus = expectedStatus
        self.bodyContains = bodyContains
        self.validateCertificate = validateCertificate
    }

    /// The URL requested: the Host/SNI name (or the address) with the address's port.
    public var url: String {
        "\(https ? "https" : "http")://\(host ?? address.urlHost):\(address.port)\(path)"
    }
}

/// An HTTP(S) check through async-http-client: connects to the configured address while sending
/// the configured Host header and SNI name, and checks status and, optionally, a body substring.
/// Owns an `HTTPClient`; call `shutdown()` when done (the scheduler does on `stop()`).
public final class HTTPMonitor: Sendable {
    /// The settings.
    public let settings: HTTPCheckSettings

    /// The client, made at the first check: a monitor that never ran (a configuration that
    /// failed to load, a server that failed to start) holds nothing to shut down.
    private let client = Mutex<HTTPClient?>(nil)
    private let group: any EventLoopGroup

    /// A monitor with its own client on `group`.
    public init(_ settings: HTTPCheckSettings, group: any EventLoopGroup) {
        self.settings = settings
        self.group = group
    }

    private func makeClient() -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !settings.validateCertificate { tls.certificateVerification = .none }
        var config = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        // Connect to the checked address while the URL (Host header, SNI, certificate name) keeps
        // the configured host name.
        if let h = settings.host { config.dnsOverride = [h: settings.address.host] }
        // Each check opens a fresh connection: a pooled one could hide a listener that is gone.
        config.connectionPool = .init(idleTimeout: .milliseconds(1), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)
        config.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .shared(group), configuration: config)
    }

    /// Performs one request; success when the status is expected and the body (if asked) matches.
    public func check(timeout: Duration) async -> CheckResult {
        let s = settings
        let what = "GET \(s.url)" + (s.host != nil ? " via \(s.address)" : "")
        var request = HTTPClientRequest(url: s.url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "tack-health")
        request.headers.add(name: "Connection", value: "close")
        let client = self.client.withLock { c in
            if let c { return c }
            let made = makeClient()
            c = made
            return made
        }
        do {
            let response = try await client.execute(request, timeout: timeout.timeAmount)
            let status = Int(response.status.code)
            guard s.expectedStatus.contains(where: { $0.contains(status) }) else {
                return .failure("\(what): status \(status), expected \(Self.describe(s.expectedStatus))")
            }
            guard let needle = s.bodyContains else {
                return .success("\(what): status \(status)")
            }
            let body = try await response.body.collect(upTo: MonitorLimits.maxHTTPBody)
            let text = String(decoding: body.readableBytesView, as: UTF8.self)
            guard text.contains(needle) else {
                return .failure("\(what): status \(status) but the body does not contain \"\(needle)\"")
            }
            return .success("\(what): status \(status), body contains \"\(needle)\"")
        } catch {
            return .failure("\(what): \(Self.describe(error, timeout: timeout))")
        }
    }

    /// Shuts the client down (a later check makes a new one).
    public func shutdown() async {
        let c = client.withLock { c in
            defer { c = nil }
            return c
        }
        try? await c?.shutdown()
    }

    static func describe(_ ranges: [ClosedRange<Int>]) -> String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    static func describe(_ error: any Error, timeout: Duration) -> String {
        if let e = error as? NIOSSLError {
            let text = "\(e)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "TLS certificate verification failed (untrusted, expired or wrong name; set validate_certificate off only for self-signed test servers): \(text)"
            }
            return "TLS handshake failed: \(text)"
        }
        if let e = error as? NIOSSLExtraError {
            return "TLS certificate verification failed: \(e)"
        }
        if let e = error as? BoringSSLError {
            return "TLS failed: \(e)"
        }
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .connectTimeout || e == .readTimeout {
                return "timed out after \(timeout.shortDescription)"
            }
            return "\(e)"
        }
        return describeConnectError(error, timeout: timeout)
    }
}
