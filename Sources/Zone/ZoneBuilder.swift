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
        for rr in records { b.add(rr) }
        return b.finish()
    }
}

/// Builds one zone from records given one at a time, in file order (`Zone.check` is the
/// one-call form). Records go into flat arrays, each RRset a chain through them, and owner
/// names into an open-addressing index over the names' folded keys, so adding a record costs
/// no allocation beyond what the growing arrays amortise; the nodes, sorted into canonical
/// order, are made once in `finish()`. A record's place in the input (0, 1, 2, ...) names it
/// in messages through `locate`, which is asked only for the records a message is about.
public struct ZoneBuilder {
    /// One RRset being collected: its records are `first`, then `next[first]`, ... in input order.
    struct PendingSet {
        var type: RRType
        var ttl: UInt32
        var first: Int32
        var last: Int32
        var count: Int32
        /// The node's next RRset, in order of first appearance; -1 after the last.
        var nextSet: Int32
    }
    struct PendingNode {
        var name: Name
        var firstSet: Int32 = -1
        var lastSet: Int32 = -1
    }

    let origin: Name
    let locate: (Int) -> String?
    /// The RDATA of each accepted record (owner, class and TTL are its node's and RRset's),
    /// its input position and the next record of its RRset.
    var rdatas: [RData] = []
    var inputIndex: [Int32] = []
    var next: [Int32] = []
    var sets: [PendingSet] = []
    var nodes: [PendingNode] = []
    /// FNV-1a hash of each node's folded name, and the open-addressing slots over them
    /// (node index or -1; a power of two, at most half full).
    var hashes: [UInt64] = []
    var slots = [Int32](repeating: -1, count: 1024)
    /// Input positions handed out so far.
    var seen = 0
    var errors: [ZoneError] = []
    var warnings: [ZoneWarning] = []

    /// A builder for the zone `origin`; `locate(i)` names the `i`-th record added ("file:line").
    public init(origin: Name, locate: @escaping (Int) -> String?) {
        self.origin = origin
        self.locate = locate
    }

    func location(_ i: Int32) -> String? { i < 0 ? nil : locate(Int(i)) }

    /// Input position of the `k`-th record of set `s`.
    func input(_ s: Int32, _ k: Int) -> Int32 {
        var r = sets[Int(s)].first
        for _ in 0..<k { r = next[Int(r)] }
        return inputIndex[Int(r)]
    }

    /// Input position of the node's first record, -1 for a node without records.
    func firstInput(_ n: Int) -> Int32 {
        let s = nodes[n].firstSet
        return s < 0 ? -1 : input(s, 0)
    }

    /// The node's RRset of type `t`, or -1.
    func set(_ n: Int, _ t: RRType) -> Int32 {
        var s = nodes[n].firstSet
        while s >= 0 {
            if sets[Int(s)].type == t { return s }
            s = sets[Int(s)].nextSet
        }
        return -1
    }

    mutating func error(_ code: ZoneError.Code, _ owner: Name, _ loc: String?, _ message: String, _ hint: String) {
        errors.append(ZoneError(code, zone: origin, owner: owner, location: loc, message: message, hint: hint))
    }

    mutating func warn(_ code: ZoneWarning.Code, _ owner: Name, _ loc: String?, _ message: String) {
        warnings.append(ZoneWarning(code, zone: origin, owner: owner, location: loc, message: message))
    }

    // MARK: - The name index

    /// The node whose folded name is `probe`, or -1.
    func find(_ probe: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = NameTable.hash(probe)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e < 0 { return -1 }
            if hashes[Int(e)] == h && nodes[Int(e)].name.key.withUnsafeBufferPointer({
                $0.count == probe.count && memcmpEqual($0.baseAddress!, probe.baseAddress!, probe.count)
            }) { return e }
            s = (s + 1) & mask
        }
    }

    func find(_ name: Name) -> Int32 { name.key.withUnsafeBufferPointer { find($0) } }

    /// Adds a node for `name`, which must not have one yet, and returns its index.
    mutating func addNode(_ name: Name) -> Int32 {
        let n = Int32(nodes.count)
        nodes.append(PendingNode(name: name))
        hashes.append(name.key.withUnsafeBufferPointer { NameTable.hash($0) })
        if nodes.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for i in 0..<nodes.count { place(Int32(i)) }
        } else {
            place(n)
        }
        return n
    }

    private mutating func place(_ n: Int32) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: hashes[Int(n)]) & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = n
    }

    // MARK: - Adding records

    /// Adds the next record of the input; problems with it become errors or warnings.
    public mutating func add(_ rr: ResourceRecord) {
        let i = Int32(truncatingIfNeeded: seen)
        seen += 1
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
        var n = find(rr.name)
        if n < 0 { n = addNode(rr.name) }
        let r = Int32(rdatas.count)
        let s = set(Int(n), rr.type)
        if s >= 0 {
            var k = sets[Int(s)].first
            while k >= 0 {
                if rdatas[Int(k)] == rr.rdata {
                    warn(.duplicateRecord, rr.name, loc, "duplicate \(rr.type) record \(rr.rdata.presentation) dropped")
                    return
                }
                k = next[Int(k)]
            }
            let ttl = sets[Int(s)].ttl
            if rr.ttl != ttl {
                warn(.ttlMismatch, rr.name, loc,
                     "\(rr.type) TTL \(rr.ttl) differs from the RRset's first TTL \(ttl); \(ttl) is used for the whole RRset (RFC 2181 5.2)")
            }
            next[Int(sets[Int(s)].last)] = r
            sets[Int(s)].last = r
            sets[Int(s)].count += 1
        } else {
            let new = Int32(sets.count)
            sets.append(PendingSet(type: rr.type, ttl: rr.ttl, first: r, last: r, count: 1, nextSet: -1))
            if nodes[Int(n)].lastSet >= 0 {
                sets[Int(nodes[Int(n)].lastSet)].nextSet = new
            } else {
                nodes[Int(n)].firstSet = new
            }
            nodes[Int(n)].lastSet = new
        }
        rdatas.append(rr.rdata)
        inputIndex.append(i)
        next.append(-1)
    }

    // MARK: - Checks and the finished zone

    mutating func checkApexAndSingletons() {
        let apexIndex = find(origin)
        let apexSOA = apexIndex < 0 ? -1 : set(Int(apexIndex), .soa)
        if apexSOA >= 0 {
            let count = sets[Int(apexSOA)].count
            if count > 1 {
                error(.multipleSOA, origin, location(input(apexSOA, 1)), "\(count) SOA records at the apex",
                      "keep exactly one SOA record at \(origin) (RFC 1035 5.2)")
            }
        } else {
            error(.missingSOA, origin, nil, "no SOA record at the apex",
                  "add one SOA record owned by \(origin) (RFC 1035 5.2)")
        }
        if apexIndex < 0 || set(Int(apexIndex), .ns) < 0 {
            error(.missingApexNS, origin, location(apexIndex < 0 ? -1 : firstInput(Int(apexIndex))), "no NS records at the apex",
                  "add the zone's NS records at \(origin) (RFC 1034 4.2.1)")
        }
        for i in nodes.indices {
            let name = nodes[i].name
            if i != Int(apexIndex) {
                let soa = set(i, .soa)
                if soa >= 0 {
                    error(.soaNotAtApex, name, location(input(soa, 0)), "SOA record below the apex \(origin)",
                          "remove it, or load \(name) as a zone of its own with a delegation to it")
                }
            }
            let cname = set(i, .cname)
            if cname >= 0 {
                let count = sets[Int(cname)].count
                if count > 1 {
                    error(.multipleCNAME, name, location(input(cname, 1)), "\(count) CNAME records at one name",
                          "keep a single CNAME at this name (RFC 2181 10.1)")
                }
                var others: [String] = []
                var s = nodes[i].firstSet
                while s >= 0 {
                    let t = sets[Int(s)].type
                    if t != .cname && t != .rrsig && t != .nsec { others.append(t.description) }
                    s = sets[Int(s)].nextSet
                }
                if !others.isEmpty {
                    error(.cnameAndOtherData, name, location(input(cname, 0)), "CNAME beside other data (\(others.joined(separator: ", ")))",
                          "a name with a CNAME may hold no other data (RFC 1034 3.6.2, RFC 2181 10.1): remove the CNAME or the other records")
                }
            }
            let dname = set(i, .dname)
            if dname >= 0, sets[Int(dname)].count > 1 {
                error(.multipleDNAME, name, location(input(dname, 1)), "\(sets[Int(dname)].count) DNAME records at one name",
                      "keep a single DNAME at this name (RFC 6672 2.4)")
            }
        }
    }

    // MARK: - Adjust passes
    //
    // After the records are in, `finish()` runs these passes in order, as Knot's
    // src/knot/zone/adjust.c runs its callbacks over a loaded zone: each pass establishes one
    // fact about every node that later passes and the query path rely on. The passes after
    // `canonicalOrder` visit the nodes top-down (parents before children) and index them by
    // their place in canonical order, the numbering of the built zone.

    /// The nodes in canonical order and what the adjust passes establish about each, indexed
    /// by that order (the built zone's node numbers).
    struct Adjusted {
        /// `order[i]` is the builder node (insertion index) that becomes zone node `i`.
        let order: [Int]
        /// `indexOf[old]`: the zone node number of builder node `old`.
        let indexOf: [Int32]
        var parent: [Int32]
        var flags: [NodeFlags]
        var cut: [Int32]
        var wildcardChild: [Int32]
        /// Folded keys of every name an NS record of a delegation points to: address records
        /// there are glue, not occluded data.
        var nsTargets = Set<[UInt8]>()

        init(order: [Int]) {
            self.order = order
            let count = order.count
            var indexOf = [Int32](repeating: 0, count: count)
            for (new, old) in order.enumerated() { indexOf[old] = Int32(new) }
            self.indexOf = indexOf
            parent = [Int32](repeating: -1, count: count)
            flags = [NodeFlags](repeating: [], count: count)
            cut = [Int32](repeating: -1, count: count)
            wildcardChild = [Int32](repeating: -1, count: count)
        }
    }

    /// Pass 1, empty non-terminals: every name between an owner and the apex gets a node
    /// (RFC 4592 2.2.2), and the apex has one even without records. Returns each builder
    /// node's parent (-1 for the apex). A node's parent is found by probing its key's suffix
    /// in place; a missing parent becomes a node, whose own parent the loop reaches in turn.
    mutating func addEmptyNonTerminals() -> [Int32] {
        if find(origin) < 0 { _ = addNode(origin) }
        let apexLength = origin.key.count
        var parentOf: [Int32] = []
        parentOf.reserveCapacity(nodes.count)
        var n = 0
        while n < nodes.count {
            let key = nodes[n].name.key
            var p: Int32 = -1
            if key.count > apexLength {
                p = key.withUnsafeBufferPointer { find(UnsafeBufferPointer(rebasing: $0[(Int($0[0]) + 1)...])) }
                if p < 0 { p = addNode(nodes[n].name.parent) }
            }
            parentOf.append(p)
            n += 1
        }
        return parentOf
    }

    /// Pass 2, order: the nodes sorted into canonical order (RFC 4034 6.1), which puts the
    /// apex first and every parent before its children.
    func canonicalOrder() -> Adjusted {
        let keys = nodes.map(\.name.canonicalOrderKey)
        return Adjusted(order: nodes.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) })
    }

    /// Pass 3, parents and wildcards: each node's parent in zone numbering, and for each node
    /// its `*` child, the source of synthesis below it (RFC 4592 2.2.1).
    func linkParents(_ a: inout Adjusted, parentOf: [Int32]) {
        for i in 1..<a.order.count {
            let old = a.order[i]
            let p = a.indexOf[Int(parentOf[old])]
            a.parent[i] = p
            if nodes[old].name.isWildcard { a.wildcardChild[Int(p)] = Int32(i) }
        }
    }

    /// Pass 4, flags and cuts, top-down like Knot's `adjust_cb_flags`: the apex; empty
    /// non-terminals; CNAME and DNAME owners; a node with NS below the apex is a delegation
    /// and its own cut; everything below a delegation is non-authoritative (RFC 1034 4.2.1)
    /// and shares its cut. The NS targets of every delegation are collected for glue.
    func setFlagsAndCuts(_ a: inout Adjusted) {
        for i in 0..<a.order.count {
            let old = a.order[i]
            var f: NodeFlags = []
            if nodes[old].firstSet < 0 { f.insert(.emptyNonTerminal) }
            if set(old, .cname) >= 0 { f.insert(.hasCNAME) }
            if set(old, .dname) >= 0 { f.insert(.hasDNAME) }
            if i == 0 {
                f.insert(.apex)
            } else {
                let p = Int(a.parent[i])
                let pf = a.flags[p]
                let ns = set(old, .ns)
                if pf.contains(.delegation) || pf.contains(.nonAuthoritative) {
                    f.insert(.nonAuthoritative)
                    a.cut[i] = a.cut[p]
                } else if ns >= 0 {
                    f.insert(.delegation)
                    a.cut[i] = Int32(i)
                    var r = sets[Int(ns)].first
                    while r >= 0 {
                        if case .ns(let t) = rdatas[Int(r)] { a.nsTargets.insert(t.key) }
                        r = next[Int(r)]
                    }
                }
            }
            a.flags[i] = f
        }
    }

    /// Pass 5, DNAME ancestry: no name with data may sit below a DNAME owner (RFC 6672 2.4);
    /// each one is an error.
    mutating func checkBelowDNAME(_ a: Adjusted) {
        var belowDNAME = [Bool](repeating: false, count: a.order.count)
        for i in 1..<a.order.count {
            let p = Int(a.parent[i])
            belowDNAME[i] = belowDNAME[p] || a.flags[p].contains(.hasDNAME)
            let old = a.order[i]
            if belowDNAME[i] && nodes[old].firstSet >= 0 {
                error(.dataBelowDNAME, nodes[old].name, location(firstInput(old)), "data below a DNAME",
                      "no names may exist below a DNAME owner (RFC 6672 2.4): remove these records or the DNAME above them")
            }
        }
    }

    /// Pass 6, glue: a name server inside its own delegation needs an address in this zone,
    /// or nobody can reach it (RFC 1034 4.2.1); each one without A or AAAA is an error.
    mutating func checkGlue(_ a: Adjusted) {
        for i in 0..<a.order.count where a.flags[i].contains(.delegation) {
            let old = a.order[i]
            let name = nodes[old].name
            let ns = set(old, .ns)
            guard ns >= 0 else { continue }
            var r = sets[Int(ns)].first
            while r >= 0 {
                defer { r = next[Int(r)] }
                guard case .ns(let target) = rdatas[Int(r)], target.isSubdomain(of: name) else { continue }
                let t = find(target)
                let hasAddress = t >= 0 && (set(Int(t), .a) >= 0 || set(Int(t), .aaaa) >= 0)
                if !hasAddress {
                    error(.missingGlue, name, location(inputIndex[Int(r)]),
                          "name server \(target) is inside the delegation \(name) but has no A or AAAA glue",
                          "add A and/or AAAA records for \(target) to this zone (RFC 1034 4.2.1)")
                }
            }
        }
    }

    /// Pass 7, occlusion: data at a delegation other than NS and DS, and data below one, is
    /// never served as an answer; each such RRset that is not glue (an address of an NS
    /// target) is a warning.
    mutating func reportOccludedData(_ a: Adjusted) {
        for i in 0..<a.order.count {
            let old = a.order[i]
            let name = nodes[old].name
            let atCut = a.flags[i].contains(.delegation)
            guard atCut || a.flags[i].contains(.nonAuthoritative) else { continue }
            let cutName = atCut ? name : nodes[a.order[Int(a.cut[i])]].name
            var s = nodes[old].firstSet
            while s >= 0 {
                let set = sets[Int(s)]
                s = set.nextSet
                if atCut && (set.type == .ns || set.type == .ds) { continue }
                if (set.type == .a || set.type == .aaaa) && a.nsTargets.contains(name.key) { continue }
                warn(.occluded, name, location(inputIndex[Int(set.first)]), atCut
                     ? "\(set.type) at the delegation \(name) is occluded by the cut and never served as an answer"
                     : "\(set.type) below the delegation \(cutName) is not glue for any name server and is never served as an answer")
            }
        }
    }

    /// Pass 8, additionals and the built nodes: each node's RRsets sorted by type, with the
    /// nodes that NS, MX and SRV targets name resolved for the additional section (as Knot's
    /// `adjust_cb_additionals`).
    func buildNodes(_ a: Adjusted) -> [ZoneNode] {
        // No closure here captures `self`: in a non-mutating method that copies the whole
        // builder (a retain of each of its arrays) at every call, a tenth of a zone load.
        let sets = self.sets
        var built: [ZoneNode] = []
        built.reserveCapacity(a.order.count)
        var setOrder: [Int32] = []
        for i in 0..<a.order.count {
            let old = a.order[i]
            let name = nodes[old].name  // every record shares its node's name: one copy of the bytes
            setOrder.removeAll(keepingCapacity: true)
            var s = nodes[old].firstSet
            while s >= 0 { setOrder.append(s); s = sets[Int(s)].nextSet }
            setOrder.sort { sets[Int($0)].type < sets[Int($1)].type }
            var rrsets: [RRSet] = []
            rrsets.reserveCapacity(setOrder.count)
            for s in setOrder {
                let set = sets[Int(s)]
                var recs: [ResourceRecord] = []
                recs.reserveCapacity(Int(set.count))
                var r = set.first
                while r >= 0 { recs.append(ResourceRecord(name, ttl: set.ttl, rdatas[Int(r)])); r = next[Int(r)] }
                var names: [Name?] = []
                var additionalNodes: [Int32] = []
                if set.type == .ns || set.type == .mx || set.type == .srv {
                    names.reserveCapacity(recs.count)
                    additionalNodes.reserveCapacity(recs.count)
                    for rec in recs {
                        let target = RRSet.additionalTarget(of: rec.rdata)
                        names.append(target)
                        var node: Int32 = -1
                        if let target {
                            let found = find(target)
                            if found >= 0 { node = a.indexOf[Int(found)] }
                        }
                        additionalNodes.append(node)
                    }
                }
                rrsets.append(RRSet(type: set.type, ttl: set.ttl, records: recs,
                                    additionalNodes: additionalNodes, additionalNames: names))
            }
            built.append(ZoneNode(name: name, parent: a.parent[i], rrsets: rrsets, flags: a.flags[i],
                                  wildcardChild: a.wildcardChild[i], cut: a.cut[i]))
        }
        return built
    }

    /// Checks the whole zone and builds it: the apex and singleton checks, then the adjust
    /// passes in order.
    public mutating func finish() -> ZoneCheckResult {
        checkApexAndSingletons()
        let parentOf = addEmptyNonTerminals()
        var adjusted = canonicalOrder()
        linkParents(&adjusted, parentOf: parentOf)
        setFlagsAndCuts(&adjusted)
        checkBelowDNAME(adjusted)
        checkGlue(adjusted)
        reportOccludedData(adjusted)
        guard errors.isEmpty else { return ZoneCheckResult(zone: nil, errors: errors, warnings: warnings) }
        let built = buildNodes(adjusted)
        let soa = built[0].rrset(.soa)!.records[0]
        return ZoneCheckResult(zone: Zone(origin: origin, nodes: built, soa: soa), errors: [], warnings: warnings)
    }
}
