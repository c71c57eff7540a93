import DNSWire

/// The outcome of checking a zone: the zone when there is no error, and every error and
/// warning found, in record order.
public struct ZoneCheckResult: Sendable {
    /// The loaded zone; nil when `errors` is not empty.
    public let zone: Zone?
    /// Problems that stop the zone from loading.
    public let errors: [ZoneError]
    /// Problems reported while the zone still loads.
    public let warnings: [ZoneWarning]
}

extension Zone {
    /// Loads a zone, throwing its first error. Warnings are returned for printing.
    public static func load(origin: Name, records: [ResourceRecord], locations: [String]? = nil) throws(ZoneError) -> (zone: Zone, warnings: [ZoneWarning]) {
        let r = check(origin: origin, records: records, locations: locations)
        if let first = r.errors.first { throw first }
        return (r.zone!, r.warnings)
    }

    /// Checks and builds a zone like `named-checkzone`/`kzonecheck`: validates the records,
    /// merges RRsets, then computes nodes, empty non-terminals, zone cuts, wildcard children
    /// and additional-section targets. `locations[i]` ("file:line") names `records[i]` in
    /// messages.
    public static func check(origin: Name, records: [ResourceRecord], locations: [String]? = nil) -> ZoneCheckResult {
        check(origin: origin, records: records, locate: { i in locations.flatMap { i < $0.count ? $0[i] : nil } })
    }

    /// `check(origin:records:locations:)` with the location of `records[i]` computed by
    /// `locate(i)`, only for the records a message names (a zone file's loader would otherwise
    /// format a "file:line" string for each of a million records).
    public static func check(origin: Name, records: [ResourceRecord], locate: @escaping (Int) -> String?) -> ZoneCheckResult {
        var b = ZoneBuilder(origin: origin, locate: locate)
        for (i, rr) in records.enumerated() { b.add(rr, at: i) }
        return b.finish()
    }
}

/// The mutable state of one zone build. Not public: callers use `Zone.check` / `Zone.load`.
struct ZoneBuilder {
    struct PendingSet {
        var type: RRType
        var ttl: UInt32
        var records: [ResourceRecord]
        /// Index of each record in the input, for its location in messages.
        var indices: [Int32]
    }
    struct PendingNode {
        var name: Name
        var sets: [PendingSet] = []
        var firstIndex: Int? { sets.first?.indices.first.map(Int.init) }
        func set(_ t: RRType) -> PendingSet? { sets.first { $0.type == t } }
    }

    let origin: Name
    let locate: (Int) -> String?
    var byKey: [[UInt8]: Int] = [:]
    var pending: [PendingNode] = []
    var errors: [ZoneError] = []
    var warnings: [ZoneWarning] = []

    init(origin: Name, locate: @escaping (Int) -> String?) {
        self.origin = origin
        self.locate = locate
    }

    func location(_ i: Int?) -> String? { i.flatMap(locate) }
    func location(_ i: Int32) -> String? { locate(Int(i)) }

    mutating func error(_ code: ZoneError.Code, _ owner: Name, _ loc: String?, _ message: String, _ hint: String) {
        errors.append(ZoneError(code, zone: origin, owner: owner, location: loc, message: message, hint: hint))
    }

    mutating func warn(_ code: ZoneWarning.Code, _ owner: Name, _ loc: String?, _ message: String) {
        warnings.append(ZoneWarning(code, zone: origin, owner: owner, location: loc, message: message))
    }

    mutating func add(_ rr: ResourceRecord, at i: Int) {
        var loc: String? { location(i) }
        if rr.rclass != .in {
            error(.unsupportedClass, rr.name, loc, "record of class \(rr.rclass)",
                  "Tack serves class IN only; write the record with class IN or remove it")
            return
        }
        if rr.type.isMetaOrQType {
            error(.metaType, rr.name, loc, "\(rr.type) is a meta or query type, not a record type (RFC 6895 3.1)",
                  "remove the record")
            return
        }
        guard rr.name.isSubdomain(of: origin) else {
            error(.outOfZone, rr.name, loc, "owner is outside the zone \(origin)",
                  "write the owner as a name at or below \(origin), or move the record to the zone it belongs to")
            return
        }
        let n: Int
        if let found = byKey[rr.name.key] {
            n = found
        } else {
            n = pending.count
            byKey[rr.name.key] = n
            pending.append(PendingNode(name: rr.name))
        }
        if let s = pending[n].sets.firstIndex(where: { $0.type == rr.type }) {
            let set = pending[n].sets[s]
            if set.records.contains(where: { $0.rdata == rr.rdata }) {
                warn(.duplicateRecord, rr.name, loc, "duplicate \(rr.type) record \(rr.rdata.presentation) dropped")
                return
            }
            var copy = rr
            if rr.ttl != set.ttl {
                warn(.ttlMismatch, rr.name, loc,
                     "\(rr.type) TTL \(rr.ttl) differs from the RRset's first TTL \(set.ttl); \(set.ttl) is used for the whole RRset (RFC 2181 5.2)")
                copy.ttl = set.ttl
            }
            pending[n].sets[s].records.append(copy)
            pending[n].sets[s].indices.append(Int32(truncatingIfNeeded: i))
        } else {
            pending[n].sets.append(PendingSet(type: rr.type, ttl: rr.ttl, records: [rr], indices: [Int32(truncatingIfNeeded: i)]))
        }
    }

    mutating func checkApexAndSingletons() {
        let apexIndex = byKey[origin.key]
        let apexSOA = apexIndex.flatMap { pending[$0].set(.soa) }
        if let soa = apexSOA {
            if soa.records.count > 1 {
                error(.multipleSOA, origin, location(soa.indices[1]), "\(soa.records.count) SOA records at the apex",
                      "keep exactly one SOA record at \(origin) (RFC 1035 5.2)")
            }
        } else {
            error(.missingSOA, origin, nil, "no SOA record at the apex",
                  "add one SOA record owned by \(origin) (RFC 1035 5.2)")
        }
        if apexIndex.flatMap({ pending[$0].set(.ns) }) == nil {
            error(.missingApexNS, origin, location(apexIndex.flatMap { pending[$0].firstIndex }), "no NS records at the apex",
                  "add the zone's NS records at \(origin) (RFC 1034 4.2.1)")
        }
        for (i, node) in pending.enumerated() {
            if i != apexIndex, let soa = node.set(.soa) {
                error(.soaNotAtApex, node.name, location(soa.indices[0]), "SOA record below the apex \(origin)",
                      "remove it, or load \(node.name) as a zone of its own with a delegation to it")
            }
            if let cname = node.set(.cname) {
                if cname.records.count > 1 {
                    error(.multipleCNAME, node.name, location(cname.indices[1]), "\(cname.records.count) CNAME records at one name",
                          "keep a single CNAME at this name (RFC 2181 10.1)")
                }
                let others = node.sets.filter { $0.type != .cname && $0.type != .rrsig && $0.type != .nsec }
                if !others.isEmpty {
                    let types = others.map { $0.type.description }.joined(separator: ", ")
                    error(.cnameAndOtherData, node.name, location(cname.indices[0]), "CNAME beside other data (\(types))",
                          "a name with a CNAME may hold no other data (RFC 1034 3.6.2, RFC 2181 10.1): remove the CNAME or the other records")
                }
            }
            if let dname = node.set(.dname), dname.records.count > 1 {
                error(.multipleDNAME, node.name, location(dname.indices[1]), "\(dname.records.count) DNAME records at one name",
                      "keep a single DNAME at this name (RFC 6672 2.4)")
            }
        }
    }

    mutating func finish() -> ZoneCheckResult {
        checkApexAndSingletons()

        // Empty non-terminals: every name between an owner and the apex exists (RFC 4592 2.2.2).
        if byKey[origin.key] == nil {
            byKey[origin.key] = pending.count
            pending.append(PendingNode(name: origin))
        }
        for i in pending.indices {
            var n = pending[i].name
            while n.key.count > origin.key.count {
                n = n.parent
                if byKey[n.key] != nil { break }
                byKey[n.key] = pending.count
                pending.append(PendingNode(name: n))
            }
        }

        // Canonical order puts every parent before its children and the apex first.
        let keys = pending.map(\.name.canonicalOrderKey)
        let order = pending.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
        var indexOf = [Int](repeating: 0, count: pending.count)
        for (new, old) in order.enumerated() { indexOf[old] = new }
        let sorted = order.map { pending[$0] }
        let count = sorted.count
        func index(of name: Name) -> Int32 {
            guard let old = byKey[name.key] else { return -1 }
            return Int32(indexOf[old])
        }

        // Adjust top-down: parents, cuts, authority, DNAME ancestry, wildcard children.
        var parent = [Int32](repeating: -1, count: count)
        var flags = [NodeFlags](repeating: [], count: count)
        var cut = [Int32](repeating: -1, count: count)
        var belowDNAME = [Bool](repeating: false, count: count)
        var wildcardChild = [Int32](repeating: -1, count: count)
        var nsTargets = Set<[UInt8]>()
        for i in 0..<count {
            let node = sorted[i]
            var f: NodeFlags = []
            if node.sets.isEmpty { f.insert(.emptyNonTerminal) }
            if node.set(.cname) != nil { f.insert(.hasCNAME) }
            if node.set(.dname) != nil { f.insert(.hasDNAME) }
            if i == 0 {
                f.insert(.apex)
            } else {
                let p = index(of: node.name.parent)
                parent[i] = p
                let pf = flags[Int(p)]
                if pf.contains(.delegation) || pf.contains(.nonAuthoritative) {
                    f.insert(.nonAuthoritative)
                    cut[i] = cut[Int(p)]
                } else if node.set(.ns) != nil {
                    f.insert(.delegation)
                    cut[i] = Int32(i)
                    for rr in node.set(.ns)!.records {
                        if case .ns(let t) = rr.rdata { nsTargets.insert(t.key) }
                    }
                }
                belowDNAME[i] = belowDNAME[Int(p)] || pf.contains(.hasDNAME)
                if node.name.isWildcard { wildcardChild[Int(p)] = Int32(i) }
            }
            flags[i] = f
            if belowDNAME[i] && !node.sets.isEmpty {
                error(.dataBelowDNAME, node.name, location(node.firstIndex), "data below a DNAME",
                      "no names may exist below a DNAME owner (RFC 6672 2.4): remove these records or the DNAME above them")
            }
        }

        // Glue and occlusion.
        for i in 0..<count {
            let node = sorted[i]
            if flags[i].contains(.delegation), let ns = node.set(.ns) {
                for (k, rr) in ns.records.enumerated() {
                    guard case .ns(let target) = rr.rdata, target.isSubdomain(of: node.name) else { continue }
                    let t = index(of: target)
                    let hasAddress = t >= 0 && (sorted[Int(t)].set(.a) != nil || sorted[Int(t)].set(.aaaa) != nil)
                    if !hasAddress {
                        error(.missingGlue, node.name, location(ns.indices[k]),
                              "name server \(target) is inside the delegation \(node.name) but has no A or AAAA glue",
                              "add A and/or AAAA records for \(target) to this zone (RFC 1034 4.2.1)")
                    }
                }
                for set in node.sets where set.type != .ns && set.type != .ds {
                    if (set.type == .a || set.type == .aaaa) && nsTargets.contains(node.name.key) { continue }
                    warn(.occluded, node.name, location(set.indices[0]),
                         "\(set.type) at the delegation \(node.name) is occluded by the cut and never served as an answer")
                }
            } else if flags[i].contains(.nonAuthoritative) {
                let cutName = sorted[Int(cut[i])].name
                for set in node.sets {
                    if (set.type == .a || set.type == .aaaa) && nsTargets.contains(node.name.key) { continue }
                    warn(.occluded, node.name, location(set.indices[0]),
                         "\(set.type) below the delegation \(cutName) is not glue for any name server and is never served as an answer")
                }
            }
        }

        guard errors.isEmpty else { return ZoneCheckResult(zone: nil, errors: errors, warnings: warnings) }

        var nodes: [ZoneNode] = []
        nodes.reserveCapacity(count)
        for i in 0..<count {
            let node = sorted[i]
            let sets = node.sets.sorted { $0.type < $1.type }.map { s -> RRSet in
                var names: [Name?] = []
                if s.type == .ns || s.type == .mx || s.type == .srv {
                    names = s.records.map { RRSet.additionalTarget(of: $0.rdata) }
                }
                return RRSet(type: s.type, ttl: s.ttl, records: s.records,
                             additionalNodes: names.map { $0.map(index(of:)) ?? -1 }, additionalNames: names)
            }
            nodes.append(ZoneNode(name: node.name, parent: parent[i], rrsets: sets, flags: flags[i],
                                  wildcardChild: wildcardChild[i], cut: cut[i]))
        }
        let soa = nodes[0].rrset(.soa)!.records[0]
        return ZoneCheckResult(zone: Zone(origin: origin, nodes: nodes, soa: soa), errors: [], warnings: warnings)
    }
}
