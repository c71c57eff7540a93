import Answer
import Config
import DNSWire
import Foundation
import Health
import Hummingbird
import Logging
import NIOCore
import Runtime
import Server
import ServiceLifecycle
import Zone

/// The admin HTTP API (Hummingbird): liveness and readiness, status, explain, forced states,
/// reload and Prometheus metrics. Reads are open to whoever reaches the port (127.0.0.1 by
/// default); every write needs `Authorization: Bearer <admin.token>`, and with no token
/// configured writes are refused. Routes and payloads: docs/API.md.
public struct AdminAPI: Sendable {
    public let runtime: HealthRuntime
    public let reloader: Reloader<ServedData>
    public let metrics: Metrics
    public let drainer: Drainer
    public let logger: Logger

    public init(runtime: HealthRuntime, reloader: Reloader<ServedData>, metrics: Metrics, drainer: Drainer, logger: Logger) {
        self.runtime = runtime
        self.reloader = reloader
        self.metrics = metrics
        self.drainer = drainer
        self.logger = logger
    }

    /// The API as a service beside the DNS server; `onBound` hears the address. A failure to
    /// listen stops the server with a message naming admin.listen.
    public func service(listen: Config.ListenAddress, onBound: @escaping @Sendable (String) -> Void) -> some Service {
        AdminService(application: application(listen: listen, onBound: onBound), listen: listen)
    }

    public struct AdminService<App: ApplicationProtocol>: Service {
        public let application: App
        public let listen: Config.ListenAddress

        public func run() async throws {
            do {
                try await application.run()
            } catch {
                throw ServedData.Failure(description: "admin API on \(listen) (admin.listen): \(error) — choose a free address:port")
            }
        }
    }

    public func application(listen: Config.ListenAddress, onBound: @escaping @Sendable (String) -> Void) -> some ApplicationProtocol {
        let router = Router()
        // First, so that it wraps every route and the not-found responder.
        router.add(middleware: JSONErrors())
        router.get("/healthz") { _, _ in Response.text("ok\n") }
        router.get("/readyz") { _, _ in readiness() }
        router.get("/metrics") { _, _ in scrape() }
        router.get("/v1/status") { _, _ in Response.json(status()) }
        router.get("/v1/explain") { request, _ in explain(request) }
        router.put("/v1/targets/:target/force") { request, context in
            if let refused = authorize(request) { return refused }
            var request = request
            let body = try? await request.collectBody(upTo: 64 * 1024)
            return force(target: context.parameters.get("target") ?? "", body: body.map { String(buffer: $0) } ?? "")
        }
        router.delete("/v1/targets/:target/force") { request, context in
            if let refused = authorize(request) { return refused }
            return release(target: context.parameters.get("target") ?? "")
        }
        router.post("/v1/reload") { request, _ in
            if let refused = authorize(request) { return refused }
            return await reload()
        }
        router.post("/v1/drain") { request, _ in
            if let refused = authorize(request) { return refused }
            let started = drainer.begin(reason: "admin API")
            return Response.json(["result": started ? "draining" : "already draining", "stop_in": "\(drainer.period)"])
        }
        let host = listen.host
        return Application(router: router,
                           configuration: ApplicationConfiguration(address: .hostname(host, port: Int(listen.port)), serverName: "tack"),
                           onServerRunning: { channel in
                               if let a = channel.localAddress, let ip = a.ipAddress, let port = a.port {
                                   onBound(a.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)")
                               }
                           },
                           logger: Logger(label: "tack.admin", level: logger.logLevel > .info ? logger.logLevel : .notice))
    }

    // MARK: reads

    /// Ready: zones loaded, first round of checks done, not draining.
    public var ready: Bool { runtime.firstRoundDone && !drainer.isDraining }

    public func readiness() -> Response {
        if drainer.isDraining { return .text("not ready: draining\n", status: .serviceUnavailable) }
        if runtime.firstRoundDone { return .text("ready\n") }
        let pending = runtime.board?.snapshot.uncheckedTargets ?? 0
        return .text("not ready: \(pending) target(s) not checked yet\n", status: .serviceUnavailable)
    }

    public func scrape() -> Response {
        metrics.update(health: runtime.board?.snapshot, reloads: (reloader.successes, reloader.failures), ready: ready)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.emit())))
    }

    public func status() -> StatusReport {
        let (served, generation) = runtime.box.loadWithGeneration()
        let board = runtime.board
        let statuses = board?.statuses() ?? []
        let snapshot = board?.snapshot
        let c = served.configuration
        let identity = StatusReport.Identity(nsid: c.identity.nsid.text, idServer: c.identity.idServer.text,
                                             version: c.identity.version.text)
        let zones = served.zones.zones.map { z -> StatusReport.ZoneStatus in
            var serial: UInt32 = 0
            if case .soa(let s) = z.soa.rdata { serial = s.serial }
            return StatusReport.ZoneStatus(name: "\(z.origin)", serial: serial)
        }
        var pools: [StatusReport.PoolStatusReport] = []
        if let snapshot {
            for (i, p) in snapshot.pools.enumerated() {
                let def = snapshot.model.pools[i]
                pools.append(StatusReport.PoolStatusReport(
                    name: def.name, owner: "\(def.owner)", kind: "\(def.kind)", status: p.status.label,
                    tier: p.tier.map { $0 + 1 }, ttl: p.ttl, answer: p.sets.first.map { $0.map(\.presentation) } ?? [],
                    outcome: "\(p.outcome)", targets: p.servedTargets.map { snapshot.targets[$0].name }, reason: p.reason))
            }
        }
        let monitorTypes = Dictionary(c.targets.map { ($0.name, $0.monitors.map(\.type.rawValue)) }, uniquingKeysWith: { a, _ in a })
        let targets = statuses.map { t -> StatusReport.TargetStatusReport in
            let types = monitorTypes[t.summary.name] ?? []
            let monitors = t.monitors.enumerated().map { k, m in
                StatusReport.MonitorReport(name: m.name, type: k < types.count ? types[k] : "", state: m.machine.state.rawValue,
                                           reason: m.machine.reason, lastCheck: m.machine.lastCheck, lastChange: m.machine.lastChange,
                                           checks: m.machine.checks, failures: m.machine.failures)
            }
            let forced = t.summary.forced.map {
                StatusReport.ForcedReport(state: $0.state.rawValue, until: $0.until, reason: $0.reason, since: $0.since)
            }
            return StatusReport.TargetStatusReport(name: t.summary.name, state: t.summary.state.rawValue,
                                                   monitoredState: t.summary.monitoredState.rawValue, forced: forced,
                                                   reason: t.summary.reason, lastChange: t.summary.lastChange, checks: t.checks,
                                                   failures: t.failures, transitions: t.transitions, monitors: monitors)
        }
        return StatusReport(identity: identity, ready: ready, draining: drainer.isDraining, fingerprint: served.fingerprint,
                            generation: generation,
                            healthGeneration: snapshot?.generation, zones: zones, pools: pools, targets: targets)
    }

    public func explain(_ request: Request) -> Response {
        let q = request.uri.queryParameters
        guard let nameText = q.get("name"), !nameText.isEmpty else {
            return .problem("missing name: ask for example /v1/explain?name=app.example.test&type=A", status: .badRequest)
        }
        let typeText = q.get("type") ?? "A"
        guard let name = try? Name(parsing: nameText.hasSuffix(".") ? nameText : nameText + ".") else {
            return .problem("\"\(nameText)\" is not a domain name", status: .badRequest)
        }
        guard let type = RRType(mnemonic: typeText) else {
            return .problem("\"\(typeText)\" is not a record type: write for example A, AAAA or CNAME", status: .badRequest)
        }
        let served = runtime.box.load()
        let engine = served.responder.source
        var report = ExplainReport(name: "\(name)", type: "\(type)", zone: nil, source: "none", pool: nil, rcode: "REFUSED",
                                   answer: [], reason: "\(name) is not in a served zone")
        guard let zi = served.zones.zoneIndex(for: name) else { return .json(report) }
        report.zone = "\(served.zones.zones[zi].origin)"
        let result = engine.answer(Question(name, type), selector: 0)
        report.rcode = "\(result.rcode)"
        report.answer = (result.answer + (result.answer.isEmpty ? result.authority : [])).map { "\($0)" }
        report.source = "zone"
        report.reason = "answered from the zone data of \(served.zones.zones[zi].origin)"
        if let health = engine.health, let model = served.model,
           let p = engine.poolIndex(for: name, type: type), p < health.pools.count, p < model.pools.count {
            let answer = health.pools[p]
            let def = model.pools[p]
            report.source = "pool"
            report.pool = ExplainReport.PoolPart(name: def.name, kind: "\(def.kind)", policy: def.policy.label,
                                                 status: answer.status.label, tier: answer.tier.map { $0 + 1 }, ttl: answer.ttl,
                                                 targets: answer.servedTargets.map { health.targets[$0].name })
            report.reason = answer.reason
            if def.policy != .failover {
                report.reason += " (\(def.policy.label): each query gets one of the pool's rotations; this shows one)"
            }
        }
        return .json(report)
    }

    // MARK: writes

    /// nil when the request carries the configured token; otherwise the refusal.
    public func authorize(_ request: Request) -> Response? {
        guard let token = runtime.box.load().configuration.admin.token else {
            return .problem("writes are disabled: set admin.token in the configuration and send it as Authorization: Bearer TOKEN",
                            status: .forbidden)
        }
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), constantTimeEqual(Array(header.dropFirst(prefix.count).utf8), Array(token.utf8)) else {
            var r = Response.problem("missing or wrong bearer token: send Authorization: Bearer TOKEN with admin.token's value",
                                     status: .unauthorized)
            r.headers[.wwwAuthenticate] = "Bearer realm=\"tack\""
            return r
        }
        return nil
    }

    public struct ForceRequest: Decodable {
        public var state: String
        public var expires_in: String?
        public var reason: String?
    }

    public func force(target: String, body: String) -> Response {
        guard let board = runtime.board, let t = board.model.targetIndex(named: target) else {
            return .problem("no target named \"\(target)\": see GET /v1/status for the targets", status: .notFound)
        }
        let request: ForceRequest
        do {
            request = try JSONDecoder().decode(ForceRequest.self, from: Data(body.utf8))
        } catch {
            return .problem("the body must be JSON like {\"state\": \"down\", \"expires_in\": \"10m\", \"reason\": \"maintenance\"}",
                            status: .badRequest)
        }
        let now = Date()
        var until: Date?
        if let e = request.expires_in {
            guard let d = parseDuration(e), d > 0 else {
                return .problem("expires_in \"\(e)\" is not a duration: write for example 90s, 10m or 2h", status: .badRequest)
            }
            until = now.addingTimeInterval(d)
        }
        let reason = request.reason.map { "forced by operator: \($0)" } ?? "forced by operator"
        switch request.state.lowercased() {
        case "up":
            board.force(target: t, .up, until: until, reason: reason, at: now)
        case "down":
            board.force(target: t, .down, until: until, reason: reason, at: now)
        case "none", "release":
            board.release(target: t, at: now)
        default:
            return .problem("state \"\(request.state)\" is not up, down or none", status: .badRequest)
        }
        runtime.scheduler?.saveState()
        logger.notice("target \(target) forced \(request.state)\(until.map { " until \(ISO8601DateFormatter().string(from: $0))" } ?? ""): \(reason)")
        return .json(status().targets[t])
    }

    public func release(target: String) -> Response {
        guard let board = runtime.board, let t = board.model.targetIndex(named: target) else {
            return .problem("no target named \"\(target)\": see GET /v1/status for the targets", status: .notFound)
        }
        board.release(target: t, at: Date())
        runtime.scheduler?.saveState()
        logger.notice("target \(target) released by operator")
        return .json(status().targets[t])
    }

    public func reload() async -> Response {
        switch await reloader.reload() {
        case .swapped(let generation):
            return .json(["result": "reloaded", "generation": "\(generation)"])
        case .failed(let error):
            return .problem("reload failed; still serving the previous configuration:\n\(error)", status: .unprocessableContent)
        }
    }
}

/// Every error the router itself raises (no such route, a method a path does not take, a
/// body too large) as the API's JSON `{"error": ...}`, like the errors the handlers return.
struct JSONErrors<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.status == .notFound
                ? "no such route: \(request.method) \(request.uri.path) — see docs/API.md for the routes"
                : error.body ?? "\(error.status.code) \(error.status.reasonPhrase)"
            var response = Response.problem(message, status: error.status)
            for field in error.headers where field.name != .contentType && field.name != .contentLength {
                response.headers.append(field)
            }
            return response
        }
    }
}

/// Compares secrets in time independent of where they differ.
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var diff = UInt8(a.count == b.count ? 0 : 1)
    for i in 0..<max(a.count, b.count) {
        diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
    }
    return diff == 0
}

/// `90s`, `10m`, `2h`, `1d` or plain seconds.
public func parseDuration(_ s: String) -> TimeInterval? {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
    if let u = s.last, let f = units[u], let v = Double(s.dropLast()) { return v * f }
    return Double(s)
}

extension Response {
    static func text(_ s: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        data.append(0x0A)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An error as JSON: {"error": "..."}.
    static func problem(_ message: String, status: HTTPResponse.Status) -> Response {
        json(["error": message], status: status)
    }
}
