import DNSWire
import Foundation
import Yams

extension Configuration {
    /// Reads and validates the configuration file at `path`; zone files are resolved relative
    /// to its directory.
    public static func load(path: String, hostName: String = Configuration.systemHostName()) throws(ConfigError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("", "cannot read the configuration file: \(error.localizedDescription) — check the path and its permissions",
                              file: path)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try decode(yaml: text, relativeTo: directory, hostName: hostName, file: path)
    }

    /// Decodes and validates configuration text. `relativeTo` is the directory relative paths
    /// are resolved against; `file` only labels errors.
    public static func decode(yaml: String, relativeTo directory: String, hostName: String = Configuration.systemHostName(),
                              file: String? = nil) throws(ConfigError) -> Configuration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigDecoder.yamlError(error, file: file)
        }
        return try ConfigDecoder(directory: directory, hostName: hostName, file: file).document(root)
    }

    /// This machine's host name, the default NSID and id.server answer.
    public static func systemHostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return "localhost" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Walks the YAML node tree, checking every key and value and building the structs.
struct ConfigDecoder {
    let directory: String
    let hostName: String
    let file: String?

    /// A path as written, made absolute against the configuration file's directory.
    func resolve(_ f: String) -> String {
        f.hasPrefix("/") ? f : URL(fileURLWithPath: f, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
    }

    /// The default health state file: beside the configuration, named after it
    /// (`failover.yaml` keeps `failover.health.json`).
    var defaultStateFile: String {
        let base = file.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "tack"
        return resolve("\(base).health.json")
    }

    // MARK: error helpers

    func error(_ path: String, _ message: String, _ node: Node?) -> ConfigError {
        let mark = node?.mark
        return ConfigError(path, message, file: file, line: mark?.line, column: mark?.column)
    }

    static func yamlError(_ error: any Error, file: String?) -> ConfigError {
        if let y = error as? YamlError {
            switch y {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                return ConfigError("", "not valid YAML: \(what) — fix the syntax at this line", file: file,
                                   line: mark.line, column: mark.column)
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
                return ConfigError("", "key \(keys) appears more than once in one mapping — keep one", file: file,
                                   line: context.mark.line, column: context.mark.column)
            default:
                return ConfigError("", "not valid YAML: \(y)", file: file)
            }
        }
        return ConfigError("", "not valid YAML: \(error)", file: file)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: structure

    /// The keys of a mapping, checked against `known` (unknown keys are errors, with a
    /// suggestion when one is close).
    func mapping(_ node: Node, at path: String, known: [String]) throws(ConfigError) -> [String: Node] {
        guard case .mapping(let m) = node else {
            throw error(path, "must be a mapping of keys (\(known.joined(separator: ", "))), found \(kind(node))", node)
        }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard case .scalar(let ks) = k else { throw error(path, "keys must be plain words", k) }
            let key = ks.string
            let keyPath = ConfigDecoder.join(path, key)
            guard known.contains(key) else {
                var hint = "known keys here: \(known.joined(separator: ", "))"
                if let close = ConfigDecoder.closest(key, in: known) { hint = "did you mean \"\(close)\"?" }
                throw error(keyPath, "unknown key — \(hint)", k)
            }
            if out[key] != nil { throw error(keyPath, "appears twice — keep one", k) }
            if isNull(v) { continue }  // `key:` with no value counts as left out
            out[key] = v
        }
        return out
    }

    func kind(_ node: Node) -> String {
        switch node {
        case .scalar(let s): isNull(node) ? "nothing" : "\"\(s.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// A scalar's text; mappings, lists and empty values are errors.
    func string(_ node: Node, at path: String, expected: String) throws(ConfigError) -> String {
        guard case .scalar(let s) = node, !isNull(node) else {
            throw error(path, "must be \(expected), found \(kind(node))", node)
        }
        return s.string
    }

    func list(_ node: Node, at path: String, expected: String) throws(ConfigError) -> [Node] {
        guard case .sequence(let s) = node else {
            throw error(path, "must be a list of \(expected), found \(kind(node))", node)
        }
        return Array(s)
    }

    func integer(_ node: Node, at path: String, range: ClosedRange<Int>, example: String) throws(ConfigError) -> Int {
        let s = try string(node, at: path, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        guard let v = Int(s), range.contains(v) else {
            throw error(path, "\"\(s)\" is not a whole number from \(range.lowerBound) to \(range.upperBound) — write for example \(example)", node)
        }
        return v
    }

    func bool(_ node: Node, at path: String) throws(ConfigError) -> Bool {
        let s = try string(node, at: path, expected: "on or off")
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(path, "\"\(s)\" is not on/off — write on or off (true/false also work)", node)
        }
    }

    /// `10s`, `500ms`, `2m`, `1h`: a whole number and a unit.
    func duration(_ node: Node, at path: String, range: ClosedRange<Duration>) throws(ConfigError) -> Duration {
        let s = try string(node, at: path, expected: "a duration such as 10s")
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        let unit = s.dropFirst(digits.count)
        let d: Duration?
        if let n = Int64(digits) {
            switch unit {
            case "ms": d = .milliseconds(n)
            case "s": d = .seconds(n)
            case "m": d = .seconds(n * 60)
            case "h": d = .seconds(n * 3600)
            default: d = nil
            }
        } else {
            d = nil
        }
        guard let d else {
            throw error(path, "\"\(s)\" is not a duration — write a whole number and a unit: \"500ms\", \"10s\", \"2m\" or \"1h\"", node)
        }
        guard range.contains(d) else {
            throw error(path, "\(s) is out of range — use \(ConfigDecoder.format(range.lowerBound)) to \(ConfigDecoder.format(range.upperBound))", node)
        }
        return d
    }

    static func format(_ d: Duration) -> String {
        let ms = d.inMilliseconds
        if ms % 1000 != 0 { return "\(ms)ms" }
        return "\(ms / 1000)s"
    }

    // MARK: document

    static let topLevelKeys = ["listen", "zones", "identity", "edns", "cookies", "limits", "logging", "admin", "health", "targets", "pools", "anycast",
                                "rate_limit"]

    func document(_ root: Node?) throws(ConfigError) -> Configuration {
        guard let root, !isNull(root) else {
            throw ConfigError("", "the configuration is empty — it needs at least \"listen\" and \"zones\"", file: file)
        }
        let top = try mapping(root, at: "", known: ConfigDecoder.topLevelKeys)
        guard let listenNode = top["listen"] else {
            throw error("listen", "missing — write for example listen: [\"127.0.0.1:5353\", \"[::1]:5353\"]", root)
        }
        guard let zonesNode = top["zones"] else {
            throw error("zones", "missing — list the zones to serve, each with a name and a file", root)
        }
        var config = Configuration(listen: try listen(listenNode), zones: try zones(zonesNode),
                                   identity: IdentityConfiguration(hostName: hostName))
        if let n = top["identity"], !isNull(n) { config.identity = try identity(n) }
        if let n = top["edns"], !isNull(n) { config.edns = try edns(n) }
        if let n = top["cookies"], !isNull(n) { config.cookies = try cookies(n) }
        if let n = top["limits"], !isNull(n) { config.limits = try limits(n) }
        if let n = top["logging"], !isNull(n) { config.logging = try logging(n) }
        if let n = top["admin"], !isNull(n) { config.admin = try admin(n) }
        config.health = HealthSettings(stateFile: defaultStateFile)
        if let n = top["health"], !isNull(n) { config.health = try health(n) }
        if let n = top["targets"], !isNull(n) { config.targets = try targets(n) }
        if let n = top["rate_limit"], !isNull(n) { config.rateLimit = try rateLimit(n) }
        if let n = top["anycast"], !isNull(n) { config.anycast = try anycast(n, listen: config.listen, zones: config.zones) }
        if let n = top["pools"], !isNull(n) {
            config.pools = try pools(n, targets: config.targets)
            for p in config.pools where !config.zones.contains(where: { p.definition.owner.isSubdomain(of: $0.name) }) {
                throw error("\(p.keyPath).owner", "\(p.definition.owner) is not in a served zone — add its zone under zones or fix the name", n)
            }
        }
        return config
    }

    static let addressExample = "write \"127.0.0.1:5353\" or \"[::1]:5353\""

    func address(_ node: Node, at path: String) throws(ConfigError) -> ListenAddress {
        let s = try string(node, at: path, expected: "address:port (\(ConfigDecoder.addressExample))")
        guard let a = ListenAddress(s) else {
            throw error(path, "\"\(s)\" is not address:port — \(ConfigDecoder.addressExample)", node)
        }
        return a
    }

    func listen(_ node: Node) throws(ConfigError) -> [ListenAddress] {
        let items = try list(node, at: "listen", expected: "address:port strings")
        guard !items.isEmpty else { throw error("listen", "is empty — give at least one address:port", node) }
        var out: [ListenAddress] = []
        for (i, item) in items.enumerated() {
            let a = try address(item, at: "listen[\(i)]")
            if let j = out.firstIndex(of: a) {
                throw error("listen[\(i)]", "\(a) is already listed at listen[\(j)] — remove one", item)
            }
            out.append(a)
        }
        return out
    }

    func zones(_ node: Node) throws(ConfigError) -> [ZoneEntry] {
        let items = try list(node, at: "zones", expected: "zones (each with a name and a file)")
        guard !items.isEmpty else { throw error("zones", "is empty — list at least one zone with a name and a file", node) }
        var out: [ZoneEntry] = []
        for (i, item) in items.enumerated() {
            let path = "zones[\(i)]"
            let m = try mapping(item, at: path, known: ["name", "file", "allow_transfer"])
            guard let nameNode = m["name"] else { throw error(ConfigDecoder.join(path, "name"), "missing — write the zone apex, e.g. name: example.com", item) }
            guard let fileNode = m["file"] else { throw error(ConfigDecoder.join(path, "file"), "missing — write the zone file path, relative to this configuration file", item) }
            let text = try string(nameNode, at: "\(path).name", expected: "a domain name")
            let name: Name
            do {
                name = try Name(parsing: text, origin: .root)
            } catch {
                throw self.error("\(path).name", "\"\(text)\" is not a domain name: \(error.message)", nameNode)
            }
            if let j = out.firstIndex(where: { $0.name == name }) {
                throw error("\(path).name", "zone \(name) is already listed at zones[\(j)] — remove one", nameNode)
            }
            let f = try string(fileNode, at: "\(path).file", expected: "a file path")
            let allow = try m["allow_transfer"].map { n throws(ConfigError) in try prefixes(n, at: "\(path).allow_transfer") } ?? []
            out.append(ZoneEntry(name: name, file: resolve(f), allowTransfer: allow))
        }
        return out
    }

    func identitySetting(_ node: Node, at path: String) throws(ConfigError) -> IdentitySetting {
        let s = try string(node, at: path, expected: "a text or hidden")
        if s == "hidden" { return .hidden }
        guard !s.isEmpty else { throw error(path, "is empty — write a text, or hidden to not reveal it", node) }
        guard s.utf8.count <= ConfigLimits.maxIdentity else {
            throw error(path, "is \(s.utf8.count) octets long — keep it to \(ConfigLimits.maxIdentity)", node)
        }
        return .text(s)
    }

    func identity(_ node: Node) throws(ConfigError) -> IdentityConfiguration {
        let m = try mapping(node, at: "identity", known: ["nsid", "id_server", "hostname_bind", "version"])
        var id = IdentityConfiguration(hostName: hostName)
        if let n = m["nsid"] { id.nsid = try identitySetting(n, at: "identity.nsid") }
        if let n = m["id_server"] { id.idServer = try identitySetting(n, at: "identity.id_server") }
        if let n = m["hostname_bind"] { id.hostnameBind = try identitySetting(n, at: "identity.hostname_bind") }
        if let n = m["version"] { id.version = try identitySetting(n, at: "identity.version") }
        return id
    }

    var udpRange: ClosedRange<Int> { ConfigLimits.minUDPPayload...ConfigLimits.maxUDPPayload }

    func edns(_ node: Node) throws(ConfigError) -> EDNSConfiguration {
        let m = try mapping(node, at: "edns", known: ["udp_size"])
        var e = EDNSConfiguration()
        if let n = m["udp_size"] { e.udpSize = try integer(n, at: "edns.udp_size", range: udpRange, example: "1232") }
        return e
    }

    func secret(_ node: Node, at path: String) throws(ConfigError) -> [UInt8] {
        let s = try string(node, at: path, expected: "32 hex digits")
        guard s.utf8.count == 32, let bytes = Hex.decode(s), bytes.count == 16 else {
            throw error(path, "must be 32 hex digits (16 octets) — generate one with: openssl rand -hex 16", node)
        }
        return bytes
    }

    func cookies(_ node: Node) throws(ConfigError) -> CookieConfiguration {
        let m = try mapping(node, at: "cookies", known: ["enabled", "secret", "previous_secret", "require"])
        var c = CookieConfiguration()
        if let n = m["enabled"] { c.enabled = try bool(n, at: "cookies.enabled") }
        if let n = m["secret"], !isNull(n) { c.secret = try secret(n, at: "cookies.secret") }
        if let n = m["previous_secret"], !isNull(n) {
            c.previousSecret = try secret(n, at: "cookies.previous_secret")
            guard c.secret != nil else {
                throw error("cookies.previous_secret", "needs cookies.secret too — the previous secret is only accepted, new cookies use the current one", n)
            }
            if c.previousSecret == c.secret {
                throw error("cookies.previous_secret", "is the same as cookies.secret — give the old secret, or remove it", n)
            }
        }
        if let n = m["require"] {
            c.require = try bool(n, at: "cookies.require")
            if c.require && !c.enabled {
                throw error("cookies.require", "is on while cookies.enabled is off — turn one of them around", n)
            }
        }
        return c
    }

    func limits(_ node: Node) throws(ConfigError) -> LimitsConfiguration {
        let m = try mapping(node, at: "limits", known: ["tcp_idle_timeout", "tcp_max_connections", "tcp_max_connections_per_source",
                                                        "max_udp_payload", "udp_workers"])
        var l = LimitsConfiguration()
        if let n = m["tcp_idle_timeout"] {
            l.tcpIdleTimeout = try duration(n, at: "limits.tcp_idle_timeout",
                                            range: .milliseconds(100)...ConfigLimits.maxTCPIdleTimeout)
        }
        if let n = m["tcp_max_connections"] {
            l.tcpMaxConnections = try integer(n, at: "limits.tcp_max_connections",
                                              range: 1...ConfigLimits.maxTCPConnections, example: "1024")
        }
        if let n = m["tcp_max_connections_per_source"] {
            l.tcpMaxConnectionsPerSource = try integer(n, at: "limits.tcp_max_connections_per_source",
                                                       range: 1...ConfigLimits.maxTCPConnections, example: "64")
        }
        if let n = m["max_udp_payload"] {
            l.maxUDPPayload = try integer(n, at: "limits.max_udp_payload", range: udpRange, example: "1232")
        }
        if let n = m["udp_workers"] {
            l.udpWorkers = try integer(n, at: "limits.udp_workers", range: 1...256, example: "2")
        }
        return l
    }

    func logging(_ node: Node) throws(ConfigError) -> LoggingConfiguration {
        let m = try mapping(node, at: "logging", known: ["level", "query_log"])
        var l = LoggingConfiguration()
        if let n = m["level"] {
            let levels = LogLevel.allCases.map(\.rawValue)
            let s = try string(n, at: "logging.level", expected: "a log level")
            guard let level = LogLevel(rawValue: s.lowercased()) else {
                throw error("logging.level", "\"\(s)\" is not a log level — write one of \(levels.joined(separator: ", "))", n)
            }
            l.level = level
        }
        if let n = m["query_log"] { l.queryLog = try bool(n, at: "logging.query_log") }
        return l
    }

    func admin(_ node: Node) throws(ConfigError) -> AdminConfiguration {
        let m = try mapping(node, at: "admin", known: ["listen", "token"])
        var a = AdminConfiguration()
        if let n = m["listen"] { a.listen = try address(n, at: "admin.listen") }
        if let n = m["token"], !isNull(n) {
            let t = try string(n, at: "admin.token", expected: "a token")
            guard t.count >= 16 else {
                throw error("admin.token", "is \(t.count) characters — use at least 16 (e.g. openssl rand -hex 16)", n)
            }
            a.token = t
        }
        if !a.listen.isLoopback && a.token == nil {
            throw error("admin.token", "missing while admin.listen (\(a.listen)) is not a loopback address — set a token, or listen on 127.0.0.1", node)
        }
        return a
    }

    // MARK: did you mean

    /// The known key closest to `key` by edit distance, if it is close enough to be a typo.
    static func closest(_ key: String, in known: [String]) -> String? {
        var best: (String, Int)?
        for k in known {
            let d = distance(Array(key.lowercased().utf8), Array(k.utf8))
            if d <= max(2, k.count / 3), best == nil || d < best!.1 { best = (k, d) }
        }
        return best?.0
    }

    /// Levenshtein distance.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
