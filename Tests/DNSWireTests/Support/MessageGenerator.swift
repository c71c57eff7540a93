@testable import DNSWire

/// Random but reproducible DNS data for the oracle, property and fuzz tests.
///
/// Names mix plain LDH labels with mixed case, octets that need escapes in presentation
/// format (`.`, `\`, `"`, `@`, `$`, `;`, `(`, `)`, space, tab, NUL, 0x7F, 0xFF), 63-octet
/// labels and names of exactly 255, 254 and 253 octets. Owners and RDATA names are drawn
/// mostly from one zone per message so that compression is exercised.
enum MessageGenerator {
    /// Octets that every presentation printer must escape or that differ between printers.
    static let awkwardOctets: [UInt8] = [0x2E, 0x5C, 0x22, 0x40, 0x24, 0x3B, 0x28, 0x29, 0x20, 0x09, 0x00, 0x7F, 0xFF, 0x2A]
    static let ldh: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz0123456789-".utf8)
    static let ldhSpace: [UInt8] = ldh + [0x20]

    /// One label of 1...`maxLength` octets.
    static func label(_ rng: inout SeededRNG, maxLength: Int = NameLimits.maxLabel) -> [UInt8] {
        let cap = min(maxLength, NameLimits.maxLabel)
        precondition(cap >= 1)
        let len: Int
        switch rng.int(0...19) {
        case 0: len = cap
        case 1, 2: len = rng.int(min(40, cap)...cap)
        default: len = rng.int(1...min(12, cap))
        }
        switch rng.int(0...9) {
        case 0...4:
            return (0..<len).map { _ in rng.pick(ldh) }
        case 5, 6:  // mixed case: compression and comparison must ignore it, printing must keep it
            return (0..<len).map { _ in
                let c = rng.pick(ldh)
                return rng.chance(0.5) && c >= 0x61 ? c - 0x20 : c
            }
        case 7, 8:
            return (0..<len).map { _ in rng.chance(0.5) ? rng.pick(awkwardOctets) : rng.pick(ldh) }
        default:
            return rng.bytes(len)
        }
    }

    /// A name of 1...`maxLabels` random labels below `suffix` (the root when nil), never over
    /// 255 octets.
    static func name(_ rng: inout SeededRNG, labels maxLabels: Int = 4, under suffix: Name = .root) -> Name {
        var wire = suffix.wire
        for _ in 0..<rng.int(1...maxLabels) {
            let room = NameLimits.maxWire - wire.count - 1
            if room < 1 { break }
            let l = label(&rng, maxLength: room)
            wire.insert(contentsOf: [UInt8(l.count)] + l, at: 0)
        }
        return try! Name(wire: wire)
    }

    /// A name of exactly `length` wire octets (at most 255), made of long labels.
    static func longName(_ rng: inout SeededRNG, length: Int) -> Name {
        var labels: [[UInt8]] = []
        var used = 1  // the root label
        while used < length {
            let left = length - used
            // A label costs its length plus one; never leave exactly one octet unfillable.
            var n = min(NameLimits.maxLabel, left - 1)
            if left - (n + 1) == 1 { n -= 1 }
            var l = label(&rng, maxLength: n)
            while l.count < n { l.append(rng.pick(ldh)) }
            labels.append(l)
            used += n + 1
        }
        return try! Name(labels: labels)
    }

    /// Names for one message: mostly below one zone, sometimes unrelated or maximal.
    struct NamePool {
        let zone: Name

        func name(_ rng: inout SeededRNG) -> Name {
            switch rng.int(0...19) {
            case 0: return longName(&rng, length: rng.pick([255, 254, 253]))
            case 1, 2: return MessageGenerator.name(&rng)
            case 3: return zone
            default: return MessageGenerator.name(&rng, labels: 2, under: zone)
            }
        }
    }

    static func characterString(_ rng: inout SeededRNG) -> [UInt8] {
        let len = rng.chance(0.05) ? 255 : rng.int(0...20)
        switch rng.int(0...2) {
        case 0: return (0..<len).map { _ in rng.pick(ldhSpace) }
        case 1: return (0..<len).map { _ in rng.chance(0.3) ? rng.pick(awkwardOctets) : rng.pick(ldh) }
        default: return rng.bytes(len)
        }
    }

    /// Types with no typed form in DNSWire, nor in libldns 1.8.3, so both print RFC 3597
    /// generic form: private use (RFC 6895 3.1) and unassigned ranges.
    static func unknownType(_ rng: inout SeededRNG) -> RRType {
        RRType(UInt16(rng.chance(0.5) ? rng.int(0xFF00...0xFFFE) : rng.int(1000...30000)))
    }

    /// The per-type RDATA generators. To cover a new typed RDATA, add one entry: its type, a
    /// maker, and which presentation fields are domain names (the oracle normalises the
    /// escape spelling of those). Everything else (wire round trip, ldns comparison, property
    /// tests, truncation) picks the entry up from this table.
    static let rdataGenerators: [RDataGenerator] = [
        RDataGenerator(.a, nameFields: []) { rng, _ in .a(A(rng.bytes(4))) },
        RDataGenerator(.aaaa, nameFields: []) { rng, _ in
            // Runs of zeros exercise the "::" compression of RFC 5952 4.2.
            var b = rng.bytes(16)
            if rng.chance(0.5) { let s = rng.int(0...14); for i in s..<min(16, s + rng.int(2...8)) { b[i] = 0 } }
            return .aaaa(AAAA(b))
        },
        RDataGenerator(.ns, nameFields: [0]) { rng, p in .ns(p.name(&rng)) },
        RDataGenerator(.cname, nameFields: [0]) { rng, p in .cname(p.name(&rng)) },
        RDataGenerator(.ptr, nameFields: [0]) { rng, p in .ptr(p.name(&rng)) },
        RDataGenerator(.dname, nameFields: [0]) { rng, p in .dname(p.name(&rng)) },
        RDataGenerator(.soa, nameFields: [0, 1]) { rng, p in
            .soa(SOA(mname: p.name(&rng), rname: p.name(&rng), serial: rng.u32(),
                     refresh: rng.u32(), retry: rng.u32(),
                     expire: rng.u32(), minimum: rng.u32()))
        },
        RDataGenerator(.mx, nameFields: [1]) { rng, p in
            .mx(MX(preference: rng.u16(), exchange: p.name(&rng)))
        },
        RDataGenerator(.txt, nameFields: []) { rng, _ in .txt(TXT((0..<rng.int(1...4)).map { _ in characterString(&rng) })) },
        RDataGenerator(.spf, nameFields: []) { rng, _ in .spf(TXT((0..<rng.int(1...3)).map { _ in characterString(&rng) })) },
        RDataGenerator(nil, nameFields: [], hexRData: true) { rng, _ in
            .unknown(unknownType(&rng), rng.bytes(rng.chance(0.1) ? 0 : rng.int(1...40)))
        },
    ]

    /// An RRset: 1...3 records sharing owner, type, class and TTL (RFC 2181 5.2).
    static func rrset(_ rng: inout SeededRNG, pool: NamePool) -> [ResourceRecord] {
        let g = rng.pick(rdataGenerators)
        let owner = pool.name(&rng)
        let cls = rng.chance(0.9) ? RRClass.in : rng.pick([RRClass.ch, .hs, RRClass(UInt16(rng.int(5...250)))])
        let ttl = rng.chance(0.8) ? UInt32(rng.int(0...86400)) : rng.u32()
        var rdatas: [RData] = []
        let first = g.make(&rng, pool)
        rdatas.append(first)
        // Same type for the whole set; unknown types reuse the first record's number.
        for _ in 0..<rng.int(0...2) {
            var next = g.make(&rng, pool)
            if case .unknown(let t, _) = first, case .unknown(_, let b) = next { next = .unknown(t, b) }
            if !rdatas.contains(next) { rdatas.append(next) }
        }
        return rdatas.map { ResourceRecord(owner, ttl: ttl, $0, rclass: cls) }
    }

    static func section(_ rng: inout SeededRNG, pool: NamePool, maxSets: Int) -> [ResourceRecord] {
        (0..<rng.int(0...maxSets)).flatMap { _ in rrset(&rng, pool: pool) }
    }

    /// A random EDNS option that DNSWire decodes back to the same value.
    static func ednsOption(_ rng: inout SeededRNG) -> EDNSOption {
        switch rng.int(0...5) {
        case 0: return .nsid(rng.bytes(rng.int(0...16)))
        case 1: return .cookie(client: rng.bytes(8), server: rng.chance(0.5) ? [] : rng.bytes(rng.int(8...32)))
        case 2:
            let v6 = rng.chance(0.5)
            let source = UInt8(rng.int(0...(v6 ? 128 : 32)))
            return .clientSubnet(family: v6 ? 2 : 1, sourcePrefix: source, scopePrefix: UInt8(rng.int(0...Int(source))),
                                 address: rng.bytes((Int(source) + 7) / 8))
        case 3: return .tcpKeepalive(rng.chance(0.5) ? nil : rng.u16())
        case 4: return .padding(rng.int(0...64))
        default: return .unknown(code: UInt16(rng.int(65001...65534)), data: rng.bytes(rng.int(0...12)))
        }
    }

    static func edns(_ rng: inout SeededRNG) -> EDNS {
        EDNS(udpSize: UInt16(rng.int(512...4096)), extendedRCode: rng.chance(0.8) ? 0 : UInt8(rng.int(1...255)),
             version: rng.chance(0.9) ? 0 : UInt8(rng.int(1...255)), dnssecOK: rng.chance(0.5),
             otherFlags: rng.chance(0.9) ? 0 : UInt16(rng.int(1...0x7FFF)),
             options: (0..<rng.int(0...3)).map { _ in ednsOption(&rng) })
    }

    /// A whole message whose header counts already match its sections, so
    /// `Message.decode(m.encode()) == m` is the exact round-trip property. The Z bit is left
    /// clear (RFC 1035 4.1.1 "must be zero"; libldns drops it).
    static func message(_ rng: inout SeededRNG, maxSets: Int = 4) -> Message {
        let pool = NamePool(zone: name(&rng, labels: 3))
        var h = Header(id: rng.u16(), flags: rng.u16())
        h.z = false
        var m = Message(header: h)
        m.questions = (0..<rng.pick([0, 1, 1, 1, 2])).map { _ in
            Question(pool.name(&rng), rng.chance(0.8) ? rng.pick(rdataGenerators.compactMap(\.type)) : unknownType(&rng),
                     rng.chance(0.9) ? .in : .any)
        }
        m.answers = section(&rng, pool: pool, maxSets: maxSets)
        m.authority = section(&rng, pool: pool, maxSets: maxSets - 1)
        m.additional = section(&rng, pool: pool, maxSets: maxSets - 1)
        if rng.chance(0.6) { m.edns = edns(&rng) }
        m.header.qdcount = UInt16(m.questions.count)
        m.header.ancount = UInt16(m.answers.count)
        m.header.nscount = UInt16(m.authority.count)
        m.header.arcount = UInt16(m.additional.count + (m.edns == nil ? 0 : 1))
        return m
    }

    /// All records of a message with their section.
    static func records(_ m: Message) -> [ResourceRecord] { m.answers + m.authority + m.additional }
}

/// One entry of `MessageGenerator.rdataGenerators`.
struct RDataGenerator: Sendable {
    /// The type made, or nil for the RFC 3597 unknown-type entry (random type numbers).
    let type: RRType?
    /// Indices of the space-separated RDATA presentation fields that are domain names.
    let nameFields: [Int]
    /// The RDATA is printed as hex whose case is not significant (RFC 3597 5 generic form).
    let hexRData: Bool
    /// For a type whose ldns presentation differs from Tack's in some other valid way (say,
    /// base64 split into chunks): maps either printer's RDATA text to one spelling. Applied to
    /// both sides instead of the name and hex rules. Each use must say in a comment which RFC
    /// makes both spellings equal.
    let ldnsNormalise: (@Sendable (String) -> String)?
    let make: @Sendable (inout SeededRNG, MessageGenerator.NamePool) -> RData

    init(_ type: RRType?, nameFields: [Int], hexRData: Bool = false,
         ldnsNormalise: (@Sendable (String) -> String)? = nil,
         make: @escaping @Sendable (inout SeededRNG, MessageGenerator.NamePool) -> RData) {
        self.type = type; self.nameFields = nameFields; self.hexRData = hexRData
        self.ldnsNormalise = ldnsNormalise; self.make = make
    }

    /// The generator entry for a record's type (the unknown-type entry for untyped RDATA).
    static func entry(for rdata: RData) -> RDataGenerator {
        if case .unknown = rdata { return MessageGenerator.rdataGenerators.first { $0.type == nil }! }
        return MessageGenerator.rdataGenerators.first { $0.type == rdata.type }!
    }
}
