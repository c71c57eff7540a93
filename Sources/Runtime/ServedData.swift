import Answer
import Config
import DNSWire
import Foundation
import Health
import Zone
import ZoneFile

/// Everything one configuration serves: built off the hot path from the config file and its
/// zone files, then published as one immutable snapshot (a reload builds a new one).
public struct ServedData: Sendable {
    public let configuration: Configuration
    public let zones: ZoneSet
    /// The health model of the configured targets and pools, and the pools bound to zone
    /// nodes (nil without pools: every answer is static).
    public let model: HealthModel?
    public let bindings: PoolBindings?
    public let responder: Responder<QueryEngine>
    /// Digest of the zones and the health configuration (for `tack fleet check`).
    public let fingerprint: Fingerprint
    /// Responses of this snapshot (nil when a pool rotates its answers per query).
    public let cache: ResponseCache?

    /// The same data answering pools from `health`, a snapshot of a board built from an equal
    /// model (same targets and pools in the same order, so the indices agree).
    public func with(health: HealthSnapshot) -> ServedData {
        ServedData(configuration: configuration, zones: zones, model: model, bindings: bindings,
                   responder: Responder(source: responder.source.replacing(health: health), configuration: responder.configuration),
                   fingerprint: fingerprint, cache: cache.map { ResponseCache(capacity: $0.capacity) })
    }

    /// Whether `other` monitors the same targets and pools the same way (a reload that keeps
    /// them keeps the running monitors and their states).
    public func sameHealth(as other: ServedData) -> Bool {
        configuration.targets == other.configuration.targets && configuration.pools == other.configuration.pools
            && configuration.health == other.configuration.health
    }

    /// Why a configuration could not be served: every diagnostic, compiler style.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Loads `configPath` and every zone it names. Warnings go to `report`; any error fails
    /// the whole build, so a broken zone or config never replaces a working snapshot.
    /// `fallbackCookieSecret` is used when the config sets none, so cookies stay valid
    /// across reloads of one process.
    public static func build(configPath: String, fallbackCookieSecret: CookieSecret = .random(),
                      report: (String) -> Void) throws(Failure) -> ServedData {
        let configuration: Configuration
        do {
            configuration = try Configuration.load(path: configPath)
        } catch {
            throw Failure(description: error.description)
        }
        var zones: [Zone] = []
        var failed: [String] = []
        for entry in configuration.zones {
            // Pools must not collide with the zone's static data; each is checked as the
            // records stream by, so the zone's records are never all held at once.
            var placements = configuration.pools.filter { pool in
                pool.definition.owner.isSubdomain(of: entry.name)
                    && !configuration.zones.contains(where: { $0.name != entry.name && $0.name.isSubdomain(of: entry.name)
                        && pool.definition.owner.isSubdomain(of: $0.name) })
            }.map { (keyPath: $0.keyPath, check: PoolPlacement(owner: $0.definition.owner, kind: $0.definition.kind, origin: entry.name)) }
            let result = ZoneLoader.load(file: entry.file, origin: entry.name,
                                         onRecord: placements.isEmpty ? nil : { p in
                                             for i in placements.indices { placements[i].check.see(p) }
                                         })
            if let zone = result.zone {
                zones.append(zone)
                for placement in placements {
                    if let c = placement.check.conflict {
                        failed.append("\(configPath): \(placement.keyPath).owner: \(c.message)\n\(c.location): note: the static record is here")
                    }
                }
                if result.parse.warnings.count + result.checkWarnings.count > 0 {
                    report(result.formattedDiagnostics(name: entry.file, sourceLines: false))
                }
            } else {
                failed.append(result.formattedDiagnostics(name: entry.file, sourceLines: false))
            }
        }
        guard failed.isEmpty else { throw Failure(description: failed.joined(separator: "\n")) }
        let zoneSet: ZoneSet
        do {
            zoneSet = try ZoneSet(zones)
        } catch {
            throw Failure(description: "\(configPath): \(error)")
        }
        // Pools answer from a snapshot where nothing is checked yet (the first tier) until the
        // health runtime publishes real states.
        var engine = QueryEngine(zones: zoneSet)
        var model: HealthModel?
        var bindings: PoolBindings?
        if !configuration.targets.isEmpty {
            let m: HealthModel
            do { m = try configuration.healthModel() } catch { throw Failure(description: "\(configPath): \(error.description)") }
            let b = PoolBindings(zones: zoneSet, model: m)
            let unchecked = HealthSnapshot.build(model: m, machines: m.makeStateMachines(), generation: 0, at: Date())
            engine = QueryEngine(zones: zoneSet, pools: b, health: unchecked)
            model = m
            bindings = b
        }
        let fingerprint = Fingerprint(zones: zoneSet, configuration: configuration)
        var settings = responderConfiguration(configuration, fallbackCookieSecret)
        settings.identity.fingerprint = .text(fingerprint.chaosText)
        let responder = Responder(source: engine, configuration: settings)
        // Failover pools answer the same to every query of one snapshot; rotating ones do not.
        let cacheable = configuration.pools.allSatisfy { $0.definition.policy == .failover }
        return ServedData(configuration: configuration, zones: zoneSet, model: model, bindings: bindings, responder: responder,
                          fingerprint: fingerprint, cache: cacheable ? ResponseCache(capacity: cacheCapacity(zoneSet)) : nil)
    }

    /// Room for about two distinct questions per record (the power of two at or above), from
    /// 8,192 to 262,144 responses: at most half full, the probing table keeps every question
    /// a zone is asked. About 250 octets per response held.
    public static func cacheCapacity(_ zones: ZoneSet) -> Int {
        let records = zones.zones.reduce(0) { sum, z in sum + z.nodes.reduce(0) { $0 + $1.rrsets.reduce(0) { $0 + $1.records.count } } }
        var capacity = 8_192
        while capacity < 2 * records && capacity < 262_144 { capacity *= 2 }
        return capacity
    }

    /// Maps the validated config onto the protocol layer's settings.
    public static func responderConfiguration(_ c: Configuration, _ fallbackSecret: CookieSecret) -> ResponderConfiguration {
        func answer(_ s: IdentitySetting) -> IdentityAnswer {
            switch s {
            case .text(let t): .text(t)
            case .hidden: .hidden
            }
        }
        var nsid: [UInt8]? = nil
        if case .text(let t) = c.identity.nsid { nsid = Array(t.utf8) }
        let identity = ServerIdentity(idServer: answer(c.identity.idServer), hostnameBind: answer(c.identity.hostnameBind),
                                      version: answer(c.identity.version), nsid: nsid)
        var cookies: CookiePolicy? = nil
        if c.cookies.enabled {
            cookies = CookiePolicy(secret: c.cookies.secret.flatMap(CookieSecret.init(bytes:)) ?? fallbackSecret,
                                   previousSecret: c.cookies.previousSecret.flatMap(CookieSecret.init(bytes:)),
                                   requireValid: c.cookies.require)
        }
        let idleMs = Int(c.limits.tcpIdleTimeout.inMilliseconds)
        return ResponderConfiguration(advertisedUDPSize: UInt16(clamping: c.edns.udpSize),
                                      maxUDPPayload: c.limits.maxUDPPayload,
                                      identity: identity, cookies: cookies,
                                      tcpKeepalive: ResponderConfiguration.keepaliveUnits(milliseconds: idleMs),
                                      transferACL: transferACL(c))
    }

    /// Each zone's allow_transfer prefixes by apex key; zones without any are left out.
    public static func transferACL(_ c: Configuration) -> [[UInt8]: [ClientPrefix]] {
        var acl: [[UInt8]: [ClientPrefix]] = [:]
        for z in c.zones where !z.allowTransfer.isEmpty {
            acl[z.name.key] = clientPrefixes(z.allowTransfer)
        }
        return acl
    }

    /// Configured prefixes as the answer path matches them (the decoder has checked each).
    public static func clientPrefixes(_ list: [AddressPrefix]) -> [ClientPrefix] {
        list.compactMap { ClientPrefix(address: $0.address, length: $0.length) }
    }
}
