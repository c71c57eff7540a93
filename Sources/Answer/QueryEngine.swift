import DNSWire
import Health
import Zone

/// The authoritative query engine: RFC 1034 4.3.2 over a `ZoneSet`, with RFC 4592 wildcards,
/// CNAME chains followed across served zones, DNAME (RFC 6672), referrals, negative answers
/// (RFC 2308) and additional-section processing. Pure and synchronous: one question in, one
/// `AnswerResult` out.
public struct QueryEngine: AnswerSource {
    /// The longest CNAME/DNAME chain followed for one question. A chain that is longer (or
    /// loops) ends where it is, NOERROR, and the resolver restarts from its last target
    /// (RFC 1034 4.3.2 step 3a, RFC 1034 5.3.3: resolvers bound chains themselves).
    public static let maxChainLinks = 16

    /// The served zones.
    public let zones: ZoneSet

    /// The pools bound to zone nodes (nil: no pools, every answer is static).
    public let pools: PoolBindings?
    /// The health snapshot pool answers are selected from, fixed for the engine's lifetime so
    /// that one query reads one snapshot.
    public let health: HealthSnapshot?

    /// An engine answering from static zone data only.
    public init(zones: ZoneSet) {
        self.zones = zones
        self.pools = nil
        self.health = nil
    }

    /// An engine answering pool owners from `health`; `pools` must have been built from
    /// `zones` and `health.model`.
    public init(zones: ZoneSet, pools: PoolBindings, health: HealthSnapshot) {
        self.zones = zones
        self.pools = pools
        self.health = health
    }

    /// The same engine reading a newer snapshot of the same model.
    public func replacing(health: HealthSnapshot) -> QueryEngine {
        guard let pools else { return self }
        return QueryEngine(zones: zones, pools: pools, health: health)
    }

    /// What answering one name in one zone found, like Knot's in-zone states.
    enum Outcome: Equatable {
        /// Answer records were added (positive answer).
        case hit
        /// The name exists but has no data of the type (RFC 2308 2.2).
        case nodata
        /// The name does not exist (RFC 2308 2.1).
        case nxdomain
        /// The name is at or below a zone cut: refer to the cut's node (RFC 1034 4.3.2 step 3b).
        case delegation(cut: Int32)
        /// A CNAME or DNAME was added; continue with its target (RFC 1034 4.3.2 step 3a).
        case follow(Name)
        /// DNAME substitution would exceed 255 octets (RFC 6672 2.2).
        case yxdomain
        /// A pool serves SERVFAIL (its all-down mode says so).
        case servfail
    }

    /// An RRset added to the answer or authority section whose targets need additional data.
    struct AdditionalSource {
        var zone: Int
        var node: Int32
        var rrset: Int
    }

    /// The served zone with this apex, for AXFR and IXFR.
    public func transferZone(apex: Name) -> Zone? { zones.zone(origin: apex) }

    /// Answers one question (class IN, opcode QUERY, already validated by the responder).
    public func answer(_ question: Question) -> AnswerResult {
        answer(question, selector: 0)
    }

    /// Answers one question; `selector` (the query ID) rotates multivalue and weighted pools.
    public func answer(_ question: Question, selector: UInt32) -> AnswerResult {
        let qtype = question.type
        guard var zoneIndex = zones.zoneIndex(for: question.name, type: qtype) else {
            return AnswerResult(rcode: .refused, authoritative: false)
        }
        var result = AnswerResult(rcode: .noError, authoritative: true)
        var sources: [AdditionalSource] = []
        var name = question.name
        var visited: [Name] = []
        var links = 0
        var outcome: Outcome
        while true {
            outcome = solve(name, qtype, zone: zoneIndex, selector: selector, answer: &result.answer, sources: &sources)
            // AA describes the first name only: a referral for QNAME is not authoritative, a
            // chain that ends at a cut still is (RFC 1034 4.3.2, RFC 1035 4.1.1).
            if links == 0, case .delegation = outcome { result.authoritative = false }
            guard case .follow(let target) = outcome else { break }
            visited.append(name)
            links += 1
            if links > QueryEngine.maxChainLinks || visited.contains(target) {
                outcome = .hit
                break
            }
            guard let next = zones.zoneIndex(for: target, type: qtype) else {
                outcome = .hit  // The chain leaves the served zones: the resolver goes on.
                break
            }
            zoneIndex = next
            name = target
        }

        let zone = zones.zones[zoneIndex]
        switch outcome {
        case .hit, .follow:
            break
        case .nodata, .nxdomain:
            if outcome == .nxdomain { result.rcode = .nxDomain }
            var soa = zone.soa
            soa.ttl = zone.negativeTTL  // RFC 2308 3
            result.authority.append(soa)
        case .delegation(let cut):
            let node = zone.nodes[Int(cut)]
            if let i = node.rrsetIndex(.ns) {
                result.authority.append(contentsOf: node.rrsets[i].records)
                sources.append(AdditionalSource(zone: zoneIndex, node: cut, rrset: i))
            }
        case .yxdomain:
            result.rcode = .yxDomain
        case .servfail:
            result.rcode = .servFail
            result.answer.removeAll()
            sources.removeAll()
        }
        addAdditional(sources, to: &result)
        return result
    }

    /// RFC 1034 4.3.2 steps 3 and 4 for one name in one zone.
    func solve(_ name: Name, _ qtype: RRType, zone zi: Int, selector: UInt32 = 0, answer: inout [ResourceRecord], sources: inout [AdditionalSource]) -> Outcome {
        let zone = zones.zones[zi]
        let (index, exact) = zone.closestEncloser(name)
        if exact {
            return nameFound(index, owner: name, qtype, zone: zi, selector: selector, answer: &answer, sources: &sources)
        }
        let encloser = zone.nodes[Int(index)]
        // Below a zone cut: referral (step 3b), before anything the occluded data could say.
        if encloser.cut >= 0 { return .delegation(cut: encloser.cut) }
        // Below a DNAME: substitute (RFC 6672 2.2, 3.2).
        if encloser.flags.contains(.hasDNAME), let dname = encloser.rrset(.dname) {
            let rr = dname.records[0]
            append(rr, to: &answer)
            guard case .dname(let target) = rr.rdata,
                  let synthesized = try? name.replacingSuffix(encloser.name, with: target)
            else { return .yxdomain }
            append(ResourceRecord(name, ttl: dname.ttl, .cname(synthesized)), to: &answer)
            // The synthesized CNAME is itself the answer to a CNAME question (RFC 1034 4.3.2
            // step 3a follows a CNAME only when "QTYPE doesn't match CNAME"; Knot agrees).
            if qtype == .cname { return .hit }
            return .follow(synthesized)
        }
        // Wildcard synthesis from the closest encloser's `*` child (RFC 4592 3.3.1). The
        // encloser is the longest existing ancestor, empty non-terminals included, so a name
        // below an existing name only ever uses that name's own `*` child (RFC 4592 2.2.2).
        // A pool owner without static data exists through its pool (it shadows a wildcard).
        if let pools, let slots = pools.extraSlots(zone: zi, name: name) {
            return poolAnswer(slots, owner: name, qtype, selector: selector, answer: &answer) ?? .nodata
        }
        if encloser.wildcardChild >= 0 {
            return nameFound(encloser.wildcardChild, owner: name, qtype, zone: zi, selector: selector, answer: &answer, sources: &sources)
        }
        return .nxdomain
    }

    /// Step 3a for a node that matches (exactly or as the source of synthesis); records
    /// owned by the node are written with `owner` (the query name's case, or the wildcard's
    /// expansion, RFC 4592 4.1).
    func nameFound(_ index: Int32, owner: Name, _ qtype: RRType, zone zi: Int, selector: UInt32, answer: inout [ResourceRecord], sources: inout [AdditionalSource]) -> Outcome {
        let zone = zones.zones[zi]
        let node = zone.nodes[Int(index)]
        if node.flags.contains(.nonAuthoritative) { return .delegation(cut: node.cut) }
        // DS lives on the parent side of a cut (RFC 4035 3.1.4.1); everything else at a cut is
        // a referral, NS included.
        if node.flags.contains(.delegation) && qtype != .ds { return .delegation(cut: node.cut) }
        if let pools, let outcome = poolAnswer(pools.slots(zone: zi, node: index), owner: owner, qtype,
                                               selector: selector, answer: &answer) {
            return outcome
        }
        if node.flags.contains(.hasCNAME) && qtype != .cname && qtype != .any && qtype != .rrsig && qtype != .nsec,
           let cname = node.rrset(.cname) {
            var rr = cname.records[0]
            rr.name = owner
            append(rr, to: &answer)
            guard case .cname(let target) = rr.rdata else { return .hit }
            return .follow(target)
        }
        let chosen: Int?
        if qtype == .any {
            // RFC 8482 4.1: answer with one RRset, not all. Knot 3.2 returns the node's first
            // RRset and keeps them sorted by type, so the lowest type code; so does Tack,
            // over UDP and TCP alike. A CNAME is returned, not followed (RFC 1034 4.3.2 3a).
            chosen = node.rrsets.isEmpty ? nil : 0
        } else {
            chosen = node.rrsetIndex(qtype)
        }
        guard let i = chosen else { return .nodata }
        for var rr in node.rrsets[i].records {
            rr.name = owner
            append(rr, to: &answer)
        }
        if !node.rrsets[i].additionalNodes.isEmpty {
            sources.append(AdditionalSource(zone: zi, node: index, rrset: i))
        }
        return .hit
    }

    /// The answer of the pool bound to the owner for `qtype`, or nil when none is (the static
    /// data answers). A CNAME pool answers every type but CNAME-chain-neutral ones, as a static
    /// CNAME does (RFC 1034 4.3.2 step 3a).
    func poolAnswer(_ slots: PoolBindings.Slots, owner: Name, _ qtype: RRType, selector: UInt32,
                    answer: inout [ResourceRecord]) -> Outcome? {
        guard let health, let pool = Self.pool(in: slots, for: qtype) else { return nil }
        switch health.select(pool: Int(pool), selector: selector) {
        case .records(let rdata, let ttl):
            for rd in rdata { append(ResourceRecord(owner, ttl: ttl, rd), to: &answer) }
            if slots.cname == pool, qtype != .cname, qtype != .any, case .cname(let target)? = rdata.first {
                return .follow(target)
            }
            return .hit
        case .nodata:
            return .nodata
        case .servfail:
            return .servfail
        }
    }

    /// The one place that chooses a pool by query type: an owner's CNAME pool answers every
    /// type but RRSIG and NSEC (a CNAME owns its name, RFC 1034 3.6.2), else the pool of the
    /// type itself answers A or AAAA; nil when the zone data answers.
    static func pool(in slots: PoolBindings.Slots, for qtype: RRType) -> Int32? {
        let pool: Int32
        if slots.cname >= 0 && qtype != .rrsig && qtype != .nsec {
            pool = slots.cname
        } else if qtype == .a {
            pool = slots.a
        } else if qtype == .aaaa {
            pool = slots.aaaa
        } else {
            return nil
        }
        return pool >= 0 ? pool : nil
    }

    /// The pool (an index into `HealthModel.pools`) that answers `type` at `name` itself, as
    /// `answer` finds it (exact node, pool owner without a node, wildcard), nil when the zone
    /// data answers or the name is below a cut. The first name only: no chain is followed.
    public func poolIndex(for name: Name, type: RRType) -> Int? {
        guard let pools, let zi = zones.zoneIndex(for: name, type: type) else { return nil }
        let zone = zones.zones[zi]
        var (index, exact) = zone.closestEncloser(name)
        if !exact {
            let encloser = zone.nodes[Int(index)]
            if encloser.cut >= 0 || encloser.flags.contains(.hasDNAME) { return nil }
            if let slots = pools.extraSlots(zone: zi, name: name) { return Self.pool(in: slots, for: type).map(Int.init) }
            guard encloser.wildcardChild >= 0 else { return nil }
            index = encloser.wildcardChild
        }
        let node = zone.nodes[Int(index)]
        if node.flags.contains(.nonAuthoritative) || (node.flags.contains(.delegation) && type != .ds) { return nil }
        return Self.pool(in: pools.slots(zone: zi, node: index), for: type).map(Int.init)
    }

    /// Appends a record unless an equal one is already there.
    func append(_ rr: ResourceRecord, to section: inout [ResourceRecord]) {
        if !section.contains(rr) { section.append(rr) }
    }

    /// Step 6: A and AAAA of the NS, MX and SRV targets in the sections, from the same zone
    /// (glue included, as Knot does) or from another served zone's authoritative data.
    func addAdditional(_ sources: [AdditionalSource], to result: inout AnswerResult) {
        for s in sources {
            let zone = zones.zones[s.zone]
            let rrset = zone.nodes[Int(s.node)].rrsets[s.rrset]
            for (k, target) in rrset.additionalNodes.enumerated() {
                if target >= 0 {
                    addAddresses(of: zone.nodes[Int(target)], to: &result)
                } else if let name = rrset.additionalNames[k],
                          let zi = zones.zoneIndex(for: name), zi != s.zone {
                    let other = zones.zones[zi]
                    let t = other.find(name)
                    if t >= 0 && !other.nodes[Int(t)].flags.contains(.nonAuthoritative) {
                        addAddresses(of: other.nodes[Int(t)], to: &result)
                    }
                }
            }
        }
    }

    func addAddresses(of node: ZoneNode, to result: inout AnswerResult) {
        addAddresses(of: node, type: .a, to: &result)
        addAddresses(of: node, type: .aaaa, to: &result)
    }

    func addAddresses(of node: ZoneNode, type: RRType, to result: inout AnswerResult) {
        guard let set = node.rrset(type) else { return }
        // Not again what the answer section already carries.
        if result.answer.contains(where: { $0.type == type && $0.name == node.name }) { return }
        for rr in set.records { append(rr, to: &result.additional) }
    }
}
