import DNSWire
import Health
import Yams

/// Limits of the health sections.
extension ConfigLimits {
    /// Defaults of a monitor's timing: check every 10 s, 3 s timeout, up to 1 s jitter.
    static let defaultInterval = Duration.seconds(10)
    static let defaultTimeout = Duration.seconds(3)
    static let defaultJitter = Duration.seconds(1)
}

extension ConfigDecoder {
    static let monitorKeys = ["name", "type", "address", "path", "host", "expect_status", "body_contains", "validate_certificate",
                              "query", "query_type", "expect_rcode", "expect_answer", "command",
                              "interval", "timeout", "jitter", "rise", "fall"]
    /// Keys that only some monitor types take.
    static let typeSpecificKeys = ["address", "path", "host", "expect_status", "body_contains", "validate_certificate",
                                   "query", "query_type", "expect_rcode", "expect_answer", "command"]

    func domainName(_ node: Node, at path: String) throws(ConfigError) -> Name {
        let text = try string(node, at: path, expected: "a domain name")
        do {
            return try Name(parsing: text, origin: .root)
        } catch {
            throw self.error(path, "\"\(text)\" is not a domain name: \(error.message)", node)
        }
    }

    /// One monitor of a target, in stages: its type, the settings every monitor has (name,
    /// timing, thresholds), then the settings of its type, decoded into its `MonitorKind`.
    func monitor(_ node: Node, at path: String, answers: [RData]) throws(ConfigError) -> MonitorConfiguration {
        let m = try mapping(node, at: path, known: ConfigDecoder.monitorKeys)
        let type = try monitorType(m, node, at: path)
        let name = try m["name"].map { n throws(ConfigError) in try string(n, at: "\(path).name", expected: "a monitor name") } ?? type.rawValue
        let timing = try monitorTiming(m, node, at: path)
        let thresholds = try monitorThresholds(m, at: path)
        try rejectSettingsOfOtherTypes(m, type: type, at: path)
        let kind: MonitorKind
        switch type {
        case .tcp: kind = .tcp(address: try monitorAddress(m, node, type: type, at: path, answers: answers))
        case .http, .https: kind = .http(try httpMonitor(m, node, type: type, at: path, answers: answers))
        case .dns: kind = .dns(try dnsMonitor(m, node, at: path, answers: answers))
        case .exec: kind = .exec(try execCommand(m, node, at: path))
        case .file: kind = .file(path: try fileMonitorPath(m, node, at: path))
        }
        return MonitorConfiguration(name: name, kind: kind, interval: timing.interval, timeout: timing.timeout, jitter: timing.jitter,
                                    thresholds: thresholds)
    }

    /// The required `type`.
    func monitorType(_ m: [String: Node], _ node: Node, at path: String) throws(ConfigError) -> MonitorType {
        guard let typeNode = m["type"] else {
            throw error(ConfigDecoder.join(path, "type"), "missing — write one of \(MonitorType.allCases.map(\.rawValue).joined(separator: ", "))", node)
        }
        let ts = try string(typeNode, at: "\(path).type", expected: "a monitor type")
        guard let type = MonitorType(rawValue: ts) else {
            throw error("\(path).type", "\"\(ts)\" is not a monitor type — write one of \(MonitorType.allCases.map(\.rawValue).joined(separator: ", "))", typeNode)
        }
        return type
    }

    /// `interval`, `timeout` and `jitter`, with their defaults; the timeout fits in the
    /// interval and the jitter is shorter than it.
    func monitorTiming(_ m: [String: Node], _ node: Node, at path: String) throws(ConfigError) -> (interval: Duration, timeout: Duration, jitter: Duration) {
        let timing = Duration.milliseconds(100)...Duration.seconds(3600)
        let interval = try m["interval"].map { n throws(ConfigError) in try duration(n, at: "\(path).interval", range: timing) } ?? ConfigLimits.defaultInterval
        let timeout = try m["timeout"].map { n throws(ConfigError) in try duration(n, at: "\(path).timeout", range: timing) } ?? ConfigLimits.defaultTimeout
        let jitter = try m["jitter"].map { n throws(ConfigError) in try duration(n, at: "\(path).jitter", range: .zero...Duration.seconds(3600)) } ?? min(ConfigLimits.defaultJitter, interval / 2)
        if timeout > interval {
            throw error("\(path).timeout", "\(ConfigDecoder.format(timeout)) is longer than the interval \(ConfigDecoder.format(interval)) — make it shorter", m["timeout"] ?? node)
        }
        if jitter >= interval {
            throw error("\(path).jitter", "\(ConfigDecoder.format(jitter)) is not shorter than the interval \(ConfigDecoder.format(interval)) — make it shorter", m["jitter"] ?? node)
        }
        return (interval, timeout, jitter)
    }

    /// `rise` and `fall`, with Health's defaults.
    func monitorThresholds(_ m: [String: Node], at path: String) throws(ConfigError) -> Thresholds {
        let limit = 1...HealthLimits.maxThreshold
        let rise = try m["rise"].map { n throws(ConfigError) in try integer(n, at: "\(path).rise", range: limit, example: "2") } ?? Thresholds.default.rise
        let fall = try m["fall"].map { n throws(ConfigError) in try integer(n, at: "\(path).fall", range: limit, example: "3") } ?? Thresholds.default.fall
        return try! Thresholds(rise: rise, fall: fall)  // In range, checked above.
    }

    /// The type-specific keys each monitor type takes.
    static func settingKeys(of type: MonitorType) -> Set<String> {
        switch type {
        case .tcp: ["address"]
        case .http: ["address", "path", "host", "expect_status", "body_contains"]
        case .https: ["address", "path", "host", "expect_status", "body_contains", "validate_certificate"]
        case .dns: ["address", "query", "query_type", "expect_rcode", "expect_answer"]
        case .exec: ["command"]
        case .file: ["path"]
        }
    }

    /// A key of another type (a `path` on a tcp monitor, say) is an error, not ignored.
    func rejectSettingsOfOtherTypes(_ m: [String: Node], type: MonitorType, at path: String) throws(ConfigError) {
        let allowed = ConfigDecoder.settingKeys(of: type)
        for key in ConfigDecoder.typeSpecificKeys where m[key] != nil && !allowed.contains(key) {
            throw error("\(path).\(key)", "is not a setting of a \(type.rawValue) monitor — remove it (a \(type.rawValue) monitor takes \(allowed.sorted().joined(separator: ", ")))", m[key])
        }
    }

    /// `address`, or by default the target's first address on the type's port (http 80,
    /// https 443, dns 53; tcp has none).
    func monitorAddress(_ m: [String: Node], _ node: Node, type: MonitorType, at path: String, answers: [RData]) throws(ConfigError) -> ListenAddress {
        if let n = m["address"] {
            let s = try string(n, at: "\(path).address", expected: "address:port")
            guard let a = ListenAddress(s) else {
                throw error("\(path).address", "\"\(s)\" is not address:port — write \"192.0.2.10:8080\" or \"[2001:db8::10]:443\"", n)
            }
            return a
        }
        let defaultPort: UInt16? = switch type {
        case .http: 80
        case .https: 443
        case .dns: 53
        default: nil
        }
        if let port = defaultPort, let first = answers.first(where: { $0.type == .a || $0.type == .aaaa }) {
            switch first {
            case .a(let v): return ListenAddress(family: .ipv4, address: Array(v.address), port: port)
            case .aaaa(let v): return ListenAddress(family: .ipv6, address: Array(v.address), port: port)
            default: break
            }
        }
        throw error("\(path).address", "missing — write the address:port to check (a \(type.rawValue) monitor has no default port, or the target has no address to check)", node)
    }

    /// An http or https monitor: address, `path`, `host`, `expect_status`, `body_contains`,
    /// and for https `validate_certificate`.
    func httpMonitor(_ m: [String: Node], _ node: Node, type: MonitorType, at path: String, answers: [RData]) throws(ConfigError) -> HTTPMonitorSettings {
        let address = try monitorAddress(m, node, type: type, at: path, answers: answers)
        let requestPath = try m["path"].map { n throws(ConfigError) in
            let s = try string(n, at: "\(path).path", expected: "an HTTP path")
            if !s.hasPrefix("/") { throw error("\(path).path", "\"\(s)\" must start with / — write for example /health", n) }
            return s
        }
        let host = try m["host"].map { n throws(ConfigError) in try string(n, at: "\(path).host", expected: "a host name") }
        let expectStatus = try m["expect_status"].map { n throws(ConfigError) in try statusCodes(n, at: "\(path).expect_status") }
            ?? HTTPMonitorSettings.defaultExpectStatus
        let bodyContains = try m["body_contains"].map { n throws(ConfigError) in try string(n, at: "\(path).body_contains", expected: "a text") }
        if let b = bodyContains, b.isEmpty { throw error("\(path).body_contains", "is empty — write the text the body must contain, or remove the key", m["body_contains"]) }
        let scheme: HTTPMonitorSettings.Scheme = type == .http ? .http
            : .https(validateCertificate: try m["validate_certificate"].map { n throws(ConfigError) in try bool(n, at: "\(path).validate_certificate") } ?? true)
        return HTTPMonitorSettings(scheme: scheme, address: address, path: requestPath, host: host, expectStatus: expectStatus,
                                   bodyContains: bodyContains)
    }

    /// A dns monitor: address, the required `query`, `query_type`, `expect_rcode` and
    /// `expect_answer`.
    func dnsMonitor(_ m: [String: Node], _ node: Node, at path: String, answers: [RData]) throws(ConfigError) -> DNSMonitorSettings {
        let address = try monitorAddress(m, node, type: .dns, at: path, answers: answers)
        guard let n = m["query"] else { throw error("\(path).query", "missing — write the name to ask, e.g. query: example.com", node) }
        var settings = DNSMonitorSettings(address: address, query: try domainName(n, at: "\(path).query"))
        if let n = m["query_type"] {
            let s = try string(n, at: "\(path).query_type", expected: "a record type")
            guard let t = RRType(mnemonic: s) else { throw error("\(path).query_type", "\"\(s)\" is not a record type — write for example SOA or A", n) }
            settings.queryType = t
        }
        if let n = m["expect_rcode"] {
            let s = try string(n, at: "\(path).expect_rcode", expected: "a response code")
            guard let r = ConfigDecoder.rcodes.first(where: { $0.description == s.uppercased() }) else {
                throw error("\(path).expect_rcode", "\"\(s)\" is not a response code — write one of \(ConfigDecoder.rcodes.map(\.description).joined(separator: ", "))", n)
            }
            settings.expectRcode = r
        }
        if let n = m["expect_answer"] {
            let s = try string(n, at: "\(path).expect_answer", expected: "an address or record data")
            guard !s.isEmpty else { throw error("\(path).expect_answer", "is empty — write the address (or record data) an answer must have", n) }
            settings.expectAnswer = s
        }
        return settings
    }

    /// An exec monitor's required `command`: the program's absolute path, then its arguments.
    func execCommand(_ m: [String: Node], _ node: Node, at path: String) throws(ConfigError) -> ExecCommand {
        guard let n = m["command"] else { throw error("\(path).command", "missing — write the program and its arguments, e.g. [/usr/local/bin/check-db, --quick]", node) }
        var words: [String] = []
        for (i, item) in try list(n, at: "\(path).command", expected: "program and arguments").enumerated() {
            words.append(try string(item, at: "\(path).command[\(i)]", expected: "a word"))
        }
        guard let first = words.first, first.hasPrefix("/") else {
            throw error("\(path).command", "must start with the program's absolute path — write for example [/usr/local/bin/check-db]", n)
        }
        return ExecCommand(program: first, arguments: Array(words.dropFirst()))
    }

    /// A file monitor's required `path`, resolved against the configuration's directory.
    func fileMonitorPath(_ m: [String: Node], _ node: Node, at path: String) throws(ConfigError) -> String {
        guard let n = m["path"] else {
            throw error("\(path).path", "missing — write the status file (one \"target-name up|down\" line per target) an external monitor keeps", node)
        }
        return resolve(try string(n, at: "\(path).path", expected: "a file path"))
    }

    /// The response codes a DNS monitor may expect.
    static let rcodes: [RCode] = [.noError, .formErr, .servFail, .nxDomain, .notImp, .refused]

    /// `200`, `"200-299"`, or a list of either.
    func statusCodes(_ node: Node, at path: String) throws(ConfigError) -> [ClosedRange<Int>] {
        let example = "write 200, \"200-299\" or [200, 204, \"300-399\"]"
        func one(_ n: Node, at p: String) throws(ConfigError) -> ClosedRange<Int> {
            let s = try string(n, at: p, expected: "a status code or range")
            let parts = s.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(parts.count), let lo = parts[0], let hi = parts.last ?? nil, lo <= hi,
                  (100...599).contains(lo), (100...599).contains(hi) else {
                throw error(p, "\"\(s)\" is not a status code (100-599) or range — \(example)", n)
            }
            return lo...hi
        }
        if case .sequence = node {
            let items = try list(node, at: path, expected: "status codes")
            guard !items.isEmpty else { throw error(path, "is empty — \(example)", node) }
            var out: [ClosedRange<Int>] = []
            for (i, item) in items.enumerated() { out.append(try one(item, at: "\(path)[\(i)]")) }
            return out
        }
        return [try one(node, at: path)]
    }

    /// The `health` section: where states survive restarts.
    func health(_ node: Node) throws(ConfigError) -> HealthSettings {
        let m = try mapping(node, at: "health", known: ["state_file", "restore_max_age"])
        var h = HealthSettings(stateFile: defaultStateFile)
        if let n = m["state_file"] {
            let s = try string(n, at: "health.state_file", expected: "a file path, or off")
            h.stateFile = ["off", "none", "false", "no"].contains(s.lowercased()) ? nil : resolve(s)
        }
        if let n = m["restore_max_age"] {
            h.restoreMaxAge = try duration(n, at: "health.restore_max_age", range: .zero...Duration.seconds(7 * 86400))
        }
        return h
    }

    func targets(_ node: Node) throws(ConfigError) -> [TargetConfiguration] {
        let items = try list(node, at: "targets", expected: "targets (each with a name, answers and monitors)")
        var out: [TargetConfiguration] = []
        for (i, item) in items.enumerated() {
            let path = "targets[\(i)]"
            let m = try mapping(item, at: path, known: ["name", "answers", "cname", "monitors", "quorum"])
            guard let nameNode = m["name"] else { throw error("\(path).name", "missing — give the target a name, e.g. name: web1", item) }
            let name = try string(nameNode, at: "\(path).name", expected: "a target name")
            if let j = out.firstIndex(where: { $0.name == name }) {
                throw error("\(path).name", "target \(name) is already defined at targets[\(j)] — names must be unique", nameNode)
            }
            var answers: [RData] = []
            if let n = m["answers"] {
                if m["cname"] != nil { throw error("\(path).cname", "a target answers either addresses or one cname — remove one of answers and cname", m["cname"]) }
                for (k, a) in try list(n, at: "\(path).answers", expected: "IPv4 or IPv6 addresses").enumerated() {
                    let s = try string(a, at: "\(path).answers[\(k)]", expected: "an IP address")
                    if let v4 = try? RData.parse(type: .a, text: s) { answers.append(v4) }
                    else if let v6 = try? RData.parse(type: .aaaa, text: s) { answers.append(v6) }
                    else { throw error("\(path).answers[\(k)]", "\"\(s)\" is not an IPv4 or IPv6 address — write for example 192.0.2.10 or 2001:db8::10", a) }
                }
                guard !answers.isEmpty else { throw error("\(path).answers", "is empty — list at least one address", n) }
            } else if let n = m["cname"] {
                answers = [.cname(try domainName(n, at: "\(path).cname"))]
            } else {
                throw error("\(path).answers", "missing — list the addresses the target answers with, or give a cname", item)
            }
            guard let monNode = m["monitors"] else {
                throw error("\(path).monitors", "missing — attach at least one monitor (e.g. - type: tcp, address: \"192.0.2.10:443\")", item)
            }
            var monitors: [MonitorConfiguration] = []
            let monItems = try list(monNode, at: "\(path).monitors", expected: "monitors")
            guard !monItems.isEmpty else { throw error("\(path).monitors", "is empty — attach at least one monitor", monNode) }
            for (k, mi) in monItems.enumerated() {
                let mp = "\(path).monitors[\(k)]"
                let mon = try monitor(mi, at: mp, answers: answers)
                if monitors.contains(where: { $0.name == mon.name }) {
                    throw error("\(mp).name", "monitor \(mon.name) is already attached to \(name) — give each monitor a distinct name", mi)
                }
                monitors.append(mon)
            }
            let quorum = try m["quorum"].map { n throws(ConfigError) in try integer(n, at: "\(path).quorum", range: 1...monitors.count, example: "1") }
            out.append(TargetConfiguration(name: name, answers: answers, monitors: monitors, quorum: quorum, keyPath: path))
        }
        return out
    }

    /// The `pools` section, each pool in stages: name, owner and kind, tiers of members,
    /// policy, the all-down mode, TTLs; then the whole set is checked by the health model.
    func pools(_ node: Node, targets: [TargetConfiguration]) throws(ConfigError) -> [PoolConfiguration] {
        let items = try list(node, at: "pools", expected: "pools")
        var out: [PoolConfiguration] = []
        for (i, item) in items.enumerated() {
            out.append(try pool(item, at: "pools[\(i)]", earlier: out, targets: targets))
        }
        // Anything the model still rejects is reported at the pools.
        do {
            _ = try HealthModel(targets: targets.map(\.definition), pools: out.map(\.definition))
        } catch {
            throw self.error("pools", error.description, node)
        }
        return out
    }

    /// One pool; `earlier` are the pools before it, which it must not collide with.
    func pool(_ item: Node, at path: String, earlier out: [PoolConfiguration], targets: [TargetConfiguration]) throws(ConfigError) -> PoolConfiguration {
        let m = try mapping(item, at: path, known: ["name", "owner", "kind", "tiers", "policy", "min_healthy", "max_answers",
                                                    "all_down", "ttl", "degraded_ttl"])
        let name = try poolName(m, item, at: path, earlier: out)
        let (owner, kind) = try poolOwnerAndKind(m, item, at: path, earlier: out)
        let tiers = try poolTiers(m, item, at: path, kind: kind, targets: targets)
        let policy = try poolPolicy(m, at: path, kind: kind)
        let minHealthy = try m["min_healthy"].map { n throws(ConfigError) in try integer(n, at: "\(path).min_healthy", range: 1...1024, example: "1") } ?? 1
        let allDown = try poolAllDown(m, at: path)
        let (ttl, degraded) = try poolTTLs(m, item, at: path)
        let def = PoolDefinition(name: name, owner: owner, kind: kind, tiers: tiers, policy: policy, minHealthy: minHealthy,
                                 allDown: allDown, ttl: ttl, degradedTTL: degraded)
        return PoolConfiguration(definition: def, keyPath: path)
    }

    /// The required, unique `name`.
    func poolName(_ m: [String: Node], _ item: Node, at path: String, earlier out: [PoolConfiguration]) throws(ConfigError) -> String {
        guard let nameNode = m["name"] else { throw error("\(path).name", "missing — give the pool a name, e.g. name: app", item) }
        let name = try string(nameNode, at: "\(path).name", expected: "a pool name")
        if let j = out.firstIndex(where: { $0.definition.name == name }) {
            throw error("\(path).name", "pool \(name) is already defined at pools[\(j)] — names must be unique", nameNode)
        }
        return name
    }

    /// The required `owner` and the `kind` (A, AAAA or CNAME; default A): one pool per owner
    /// and kind, and a CNAME pool alone at its owner.
    func poolOwnerAndKind(_ m: [String: Node], _ item: Node, at path: String, earlier out: [PoolConfiguration]) throws(ConfigError) -> (Name, RRType) {
        guard let ownerNode = m["owner"] else { throw error("\(path).owner", "missing — write the name the pool answers, e.g. owner: app.example.com", item) }
        let owner = try domainName(ownerNode, at: "\(path).owner")
        let kindText = try m["kind"].map { n throws(ConfigError) in try string(n, at: "\(path).kind", expected: "A, AAAA or CNAME") } ?? "A"
        let kind: RRType
        switch kindText.uppercased() {
        case "A": kind = .a
        case "AAAA": kind = .aaaa
        case "CNAME": kind = .cname
        default: throw error("\(path).kind", "\"\(kindText)\" is not a pool kind — write A, AAAA or CNAME", m["kind"])
        }
        if let j = out.firstIndex(where: { $0.definition.owner == owner && $0.definition.kind == kind }) {
            throw error("\(path).owner", "pools[\(j)] already answers \(owner) \(kind) — use one pool per owner and kind", ownerNode)
        }
        if let j = out.firstIndex(where: { $0.definition.owner == owner && ($0.definition.kind == .cname) != (kind == .cname) }) {
            throw error("\(path).owner", "pools[\(j)] also answers \(owner); a CNAME cannot share its owner with other data (RFC 1034 3.6.2)", ownerNode)
        }
        return (owner, kind)
    }

    /// The required `tiers`: a non-empty list of non-empty tiers of members.
    func poolTiers(_ m: [String: Node], _ item: Node, at path: String, kind: RRType, targets: [TargetConfiguration]) throws(ConfigError) -> [[PoolMemberDefinition]] {
        guard let tiersNode = m["tiers"] else { throw error("\(path).tiers", "missing — list tiers of target names, e.g. tiers: [[web1, web2], [backup]]", item) }
        let tierItems = try list(tiersNode, at: "\(path).tiers", expected: "tiers (each a list of targets)")
        guard !tierItems.isEmpty else { throw error("\(path).tiers", "is empty — list at least one tier of targets", tiersNode) }
        var tiers: [[PoolMemberDefinition]] = []
        var seen: [String: String] = [:]
        for (t, tierNode) in tierItems.enumerated() {
            let tp = "\(path).tiers[\(t)]"
            let members = try list(tierNode, at: tp, expected: "target names or {target, weight} mappings")
            guard !members.isEmpty else { throw error(tp, "is empty — remove it or add targets", tierNode) }
            var tier: [PoolMemberDefinition] = []
            for (k, mn) in members.enumerated() {
                tier.append(try poolMember(mn, at: "\(tp)[\(k)]", kind: kind, targets: targets, seen: &seen))
            }
            tiers.append(tier)
        }
        return tiers
    }

    /// One member: a target name, or `{target, weight}`. The target exists, is listed once in
    /// the pool (`seen`: where each was listed), and has an answer of the pool's kind.
    func poolMember(_ mn: Node, at mp: String, kind: RRType, targets: [TargetConfiguration], seen: inout [String: String]) throws(ConfigError) -> PoolMemberDefinition {
        var targetName: String, weight: UInt32 = 1
        if case .mapping = mn {
            let mm = try mapping(mn, at: mp, known: ["target", "weight"])
            guard let tn = mm["target"] else { throw error("\(mp).target", "missing — write the target name", mn) }
            targetName = try string(tn, at: "\(mp).target", expected: "a target name")
            if let w = mm["weight"] {
                weight = UInt32(try integer(w, at: "\(mp).weight", range: 1...Int(HealthLimits.maxWeight), example: "10"))
            }
        } else {
            targetName = try string(mn, at: mp, expected: "a target name")
        }
        guard let target = targets.first(where: { $0.name == targetName }) else {
            let hint = ConfigDecoder.closest(targetName, in: targets.map(\.name)).map { " — did you mean \($0)?" } ?? " — define it under targets or fix the name"
            throw error(mp, "unknown target \"\(targetName)\"\(hint)", mn)
        }
        if let other = seen[targetName] {
            throw error(mp, "target \(targetName) is already listed at \(other) — list each target once per pool", mn)
        }
        seen[targetName] = mp
        guard target.answers.contains(where: { $0.type == kind }) else {
            let has = Set(target.answers.map { "\($0.type)" }).sorted().joined(separator: "/")
            throw error(mp, "target \(targetName) answers \(has) only, but this pool's kind is \(kind) — give the target a \(kind) answer or use another pool", mn)
        }
        return PoolMemberDefinition(target: targetName, weight: weight)
    }

    /// `policy` (default failover) and `max_answers`, which only multivalue takes; a CNAME
    /// pool cannot be multivalue.
    func poolPolicy(_ m: [String: Node], at path: String, kind: RRType) throws(ConfigError) -> PoolPolicy {
        let policyText = try m["policy"].map { n throws(ConfigError) in try string(n, at: "\(path).policy", expected: "failover, multivalue or weighted") } ?? "failover"
        let maxAnswers = try m["max_answers"].map { n throws(ConfigError) in try integer(n, at: "\(path).max_answers", range: 1...64, example: "4") }
        let policy: PoolPolicy
        switch policyText {
        case "failover": policy = .failover
        case "multivalue": policy = .multivalue(maxAnswers: maxAnswers ?? 8)
        case "weighted": policy = .weighted
        default: throw error("\(path).policy", "\"\(policyText)\" is not a policy — write failover, multivalue or weighted", m["policy"])
        }
        if maxAnswers != nil, policyText != "multivalue" {
            throw error("\(path).max_answers", "only applies to the multivalue policy — remove it or set policy: multivalue", m["max_answers"])
        }
        if kind == .cname, policyText == "multivalue" {
            throw error("\(path).policy", "a CNAME pool answers one CNAME — use failover or weighted", m["policy"])
        }
        return policy
    }

    /// `all_down`, nil when left out (the policy's default).
    func poolAllDown(_ m: [String: Node], at path: String) throws(ConfigError) -> AllDownMode? {
        guard let n = m["all_down"] else { return nil }
        let s = try string(n, at: "\(path).all_down", expected: "first-tier, all, nodata or servfail")
        guard let mode = AllDownMode(rawValue: s) else {
            throw error("\(path).all_down", "\"\(s)\" is not an all-down mode — write first-tier, all, nodata or servfail", n)
        }
        return mode
    }

    /// The required `ttl`, and `degraded_ttl`, which may not be longer.
    func poolTTLs(_ m: [String: Node], _ item: Node, at path: String) throws(ConfigError) -> (ttl: UInt32, degraded: UInt32?) {
        guard let ttlNode = m["ttl"] else { throw error("\(path).ttl", "missing — write the answers' TTL in seconds, e.g. ttl: 60", item) }
        let ttl = UInt32(try integer(ttlNode, at: "\(path).ttl", range: 0...0x7FFF_FFFF, example: "60"))
        guard let n = m["degraded_ttl"] else { return (ttl, nil) }
        let d = UInt32(try integer(n, at: "\(path).degraded_ttl", range: 0...0x7FFF_FFFF, example: "10"))
        guard d <= ttl else { throw error("\(path).degraded_ttl", "\(d) is longer than ttl \(ttl) — make it shorter so clients come back sooner", n) }
        return (ttl, d)
    }
}

extension ConfigDecoder {
    func anycast(_ node: Node, listen: [ListenAddress], zones: [ZoneEntry]) throws(ConfigError) -> AnycastConfiguration {
        let m = try mapping(node, at: "anycast", known: ["check", "query", "interval", "timeout", "rise", "fall", "bird_socket",
                                                         "birdc", "protocols", "drain_file", "drain_period"])
        var a = AnycastConfiguration(check: listen, query: zones[0].name)
        if let n = m["check"] {
            let items = try list(n, at: "anycast.check", expected: "address:port strings")
            guard !items.isEmpty else { throw error("anycast.check", "is empty — list the address:port the announcer queries, or remove the key", n) }
            a.check = []
            for (i, item) in items.enumerated() { a.check.append(try address(item, at: "anycast.check[\(i)]")) }
        }
        for (i, c) in a.check.enumerated() where c.port == 0 {
            throw error("anycast.check[\(i)]", "port 0 cannot be queried — give the port tack serves on", m["check"] ?? node)
        }
        if let n = m["query"] { a.query = try domainName(n, at: "anycast.query") }
        let timing = Duration.milliseconds(10)...Duration.seconds(60)
        if let n = m["interval"] { a.interval = try duration(n, at: "anycast.interval", range: timing) }
        if let n = m["timeout"] { a.timeout = try duration(n, at: "anycast.timeout", range: timing) }
        if a.timeout > a.interval {
            throw error("anycast.timeout", "\(ConfigDecoder.format(a.timeout)) is longer than the interval \(ConfigDecoder.format(a.interval)) — make it shorter", m["timeout"] ?? node)
        }
        if let n = m["rise"] { a.rise = try integer(n, at: "anycast.rise", range: 1...100, example: "3") }
        if let n = m["fall"] { a.fall = try integer(n, at: "anycast.fall", range: 1...100, example: "2") }
        if let n = m["bird_socket"] { a.birdSocket = resolve(try string(n, at: "anycast.bird_socket", expected: "a socket path")) }
        if let n = m["birdc"] {
            let s = try string(n, at: "anycast.birdc", expected: "the birdc program")
            guard s.hasPrefix("/") else { throw error("anycast.birdc", "\"\(s)\" must be an absolute path — write for example /usr/sbin/birdc", n) }
            a.birdc = s
        }
        if let n = m["protocols"] {
            let items = try list(n, at: "anycast.protocols", expected: "BIRD protocol names")
            guard !items.isEmpty else { throw error("anycast.protocols", "is empty — name the BIRD protocols that carry the anycast routes", n) }
            a.protocols = []
            for (i, item) in items.enumerated() {
                let p = try string(item, at: "anycast.protocols[\(i)]", expected: "a protocol name")
                guard !p.isEmpty, p.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw error("anycast.protocols[\(i)]", "\"\(p)\" is not a BIRD protocol name (letters, digits, _)", item)
                }
                a.protocols.append(p)
            }
        }
        if let n = m["drain_file"] { a.drainFile = resolve(try string(n, at: "anycast.drain_file", expected: "a file path")) }
        if let n = m["drain_period"] { a.drainPeriod = try duration(n, at: "anycast.drain_period", range: .zero...Duration.seconds(600)) }
        return a
    }
}

extension ConfigDecoder {
    /// A list of address prefixes (`192.0.2.0/24`, `2001:db8::/32`, or a bare address).
    func prefixes(_ node: Node, at path: String) throws(ConfigError) -> [AddressPrefix] {
        var out: [AddressPrefix] = []
        for (i, item) in try list(node, at: path, expected: "address prefixes such as 192.0.2.0/24").enumerated() {
            let p = "\(path)[\(i)]"
            let s = try string(item, at: p, expected: "an address prefix")
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            let addr = String(parts[0])
            guard parts.count <= 2, let bytes = parseIPv4(addr) ?? parseIPv6(addr) else {
                throw error(p, "\"\(s)\" is not an address prefix — write for example 192.0.2.0/24 or 2001:db8::/32", item)
            }
            let maxLen = bytes.count * 8
            let len = parts.count == 2 ? Int(parts[1]) : maxLen
            guard let len, (0...maxLen).contains(len) else {
                throw error(p, "\"\(s)\": the prefix length must be 0 to \(maxLen)", item)
            }
            out.append(AddressPrefix(address: bytes, length: len))
        }
        return out
    }

    func rateLimit(_ node: Node) throws(ConfigError) -> RateLimitConfiguration {
        let m = try mapping(node, at: "rate_limit", known: ["responses_per_second", "errors_per_second", "nxdomains_per_second",
                                                            "slip", "ipv4_prefix", "ipv6_prefix", "exempt"])
        let rate = 0...1_000_000
        let rps = try m["responses_per_second"].map { n throws(ConfigError) in try integer(n, at: "rate_limit.responses_per_second", range: rate, example: "200") } ?? 0
        var r = RateLimitConfiguration(responsesPerSecond: rps)
        if let n = m["errors_per_second"] { r.errorsPerSecond = try integer(n, at: "rate_limit.errors_per_second", range: rate, example: "100") }
        if let n = m["nxdomains_per_second"] { r.nxdomainsPerSecond = try integer(n, at: "rate_limit.nxdomains_per_second", range: rate, example: "100") }
        if let n = m["slip"] { r.slip = try integer(n, at: "rate_limit.slip", range: 0...100, example: "2") }
        if let n = m["ipv4_prefix"] { r.ipv4Prefix = try integer(n, at: "rate_limit.ipv4_prefix", range: 8...32, example: "24") }
        if let n = m["ipv6_prefix"] { r.ipv6Prefix = try integer(n, at: "rate_limit.ipv6_prefix", range: 16...128, example: "56") }
        if let n = m["exempt"] { r.exempt = try prefixes(n, at: "rate_limit.exempt") }
        return r
    }
}
