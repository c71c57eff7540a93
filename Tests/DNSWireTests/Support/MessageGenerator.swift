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
        RDataGenerator(.hinfo, nameFields: []) { rng, _ in .hinfo(HINFO(cpu: characterString(&rng), os: characterString(&rng))) },
        RDataGenerator(.srv, nameFields: [3]) { rng, p in
            .srv(SRV(priority: rng.u16(), weight: rng.u16(), port: rng.u16(), target: p.name(&rng)))
        },
        RDataGenerator(.naptr, nameFields: [5], quotedStrings: true) { rng, p in
            .naptr(NAPTR(order: rng.u16(), preference: rng.u16(), flags: characterString(&rng),
                         services: characterString(&rng), regexp: characterString(&rng), replacement: p.name(&rng)))
        },
        RDataGenerator(.caa, nameFields: [], ldnsNormalise: emptyLastString) { rng, _ in
            // Tag: 1 to 15 ASCII letters and digits (RFC 8659 4.1); the value is any octets.
            let tag = (0..<rng.int(1...CAALimits.maxTag)).map { _ in rng.pick(alnum) }
            let value = rng.chance(0.5) ? characterString(&rng) : rng.bytes(rng.int(0...300))
            return .caa(CAA(flags: rng.chance(0.7) ? rng.pick([0, 128]) : UInt8(rng.int(0...255)), tag: tag, value: value))
        },
        RDataGenerator(.sshfp, nameFields: []) { rng, _ in
            .sshfp(SSHFP(algorithm: UInt8(rng.int(0...255)), fingerprintType: UInt8(rng.int(0...255)),
                         fingerprint: rng.bytes(rng.pick([20, 32, rng.int(1...64)]))))
        },
        RDataGenerator(.tlsa, nameFields: []) { rng, _ in .tlsa(tlsa(&rng)) },
        RDataGenerator(.smimea, nameFields: []) { rng, _ in .smimea(tlsa(&rng)) },
        RDataGenerator(.svcb, nameFields: [1], ldnsNormalise: svcbNormalise) { rng, p in .svcb(svcb(&rng, p)) },
        RDataGenerator(.https, nameFields: [1], ldnsNormalise: svcbNormalise) { rng, p in .https(svcb(&rng, p)) },
        RDataGenerator(.ds, nameFields: []) { rng, _ in .ds(ds(&rng)) },
        RDataGenerator(.cds, nameFields: []) { rng, _ in .cds(ds(&rng)) },
        RDataGenerator(.dnskey, nameFields: [], ldnsNormalise: dnskeyNormalise) { rng, _ in .dnskey(dnskey(&rng)) },
        RDataGenerator(.cdnskey, nameFields: [], ldnsNormalise: dnskeyNormalise) { rng, _ in .cdnskey(dnskey(&rng)) },
        RDataGenerator(.rrsig, nameFields: [7]) { rng, p in
            // Times stay below 2^31 s (2038-01-19): ldns 1.8.3 prints later times through a
            // signed 32-bit overflow (see RDataGoldenTests); Tack's RFC 4034 3.2 dates past
            // 2038 are checked by the golden rows instead.
            .rrsig(RRSIG(typeCovered: bitmapType(&rng), algorithm: UInt8(rng.int(0...255)), labels: UInt8(rng.int(0...127)),
                         originalTTL: rng.chance(0.8) ? UInt32(rng.int(0...86400)) : rng.u32(),
                         expiration: UInt32(rng.int(0...0x7FFF_FFFF)), inception: UInt32(rng.int(0...0x7FFF_FFFF)),
                         keyTag: rng.u16(), signerName: p.name(&rng), signature: rng.bytes(rng.int(1...128))))
        },
        RDataGenerator(.nsec, nameFields: [0], ldnsNormalise: collapseSpaces) { rng, p in
            .nsec(NSEC(nextName: p.name(&rng), types: typeBitmap(&rng)))
        },
        RDataGenerator(.nsec3, nameFields: [], ldnsNormalise: collapseSpaces) { rng, _ in
            .nsec3(NSEC3(hashAlgorithm: UInt8(rng.int(0...255)), flags: UInt8(rng.int(0...255)), iterations: rng.u16(),
                         salt: rng.chance(0.3) ? [] : rng.bytes(rng.int(1...32)),
                         // A multiple of 5 octets: ldns 1.8.3 only reads base32hex in whole
                         // 8-character groups, though RFC 5155 3.3 has it unpadded.
                         nextHashedOwner: rng.bytes(rng.chance(0.8) ? 20 : 5 * rng.int(1...12)), types: typeBitmap(&rng)))
        },
        RDataGenerator(.nsec3param, nameFields: [], ldnsNormalise: collapseSpaces) { rng, _ in
            .nsec3param(NSEC3PARAM(hashAlgorithm: UInt8(rng.int(0...255)), flags: UInt8(rng.int(0...255)), iterations: rng.u16(),
                                   salt: rng.chance(0.3) ? [] : rng.bytes(rng.int(1...32))))
        },
        RDataGenerator(.uri, nameFields: [], ldnsNormalise: emptyLastString) { rng, _ in
            .uri(URI(priority: rng.u16(), weight: rng.u16(), target: rng.chance(0.5) ? characterString(&rng) : rng.bytes(rng.int(1...300))))
        },
        RDataGenerator(.loc, nameFields: [], ldnsNormalise: locNormalise) { rng, _ in .loc(loc(&rng)) },
        RDataGenerator(.rp, nameFields: [0, 1]) { rng, p in .rp(RP(mailbox: p.name(&rng), textName: p.name(&rng))) },
        RDataGenerator(.afsdb, nameFields: [1]) { rng, p in .afsdb(AFSDB(subtype: rng.u16(), hostname: p.name(&rng))) },
        RDataGenerator(.minfo, nameFields: [0, 1]) { rng, p in
            .minfo(MINFO(responsibleMailbox: p.name(&rng), errorMailbox: p.name(&rng)))
        },
        RDataGenerator(.kx, nameFields: [1]) { rng, p in .kx(KX(preference: rng.u16(), exchanger: p.name(&rng))) },
        RDataGenerator(.cert, nameFields: []) { rng, _ in
            // Mnemonic types (RFC 4398 2.1) as well as numeric ones.
            .cert(CERT(certType: rng.chance(0.5) ? rng.pick([1, 2, 3, 4, 5, 6, 7, 8, 253, 254]) : rng.u16(),
                       keyTag: rng.u16(), algorithm: UInt8(rng.int(0...255)), certificate: rng.bytes(rng.int(1...200))))
        },
        RDataGenerator(.openpgpkey, nameFields: []) { rng, _ in .openpgpkey(OPENPGPKEY(key: rng.bytes(rng.int(1...300)))) },
        RDataGenerator(.dhcid, nameFields: []) { rng, _ in .dhcid(DHCID(data: rng.bytes(rng.int(1...64)))) },
        RDataGenerator(.zonemd, nameFields: []) { rng, _ in
            .zonemd(ZONEMD(serial: rng.u32(), scheme: UInt8(rng.int(0...255)), hashAlgorithm: UInt8(rng.int(0...255)),
                           digest: rng.bytes(rng.pick([48, 64, rng.int(ZONEMDLimits.minDigest...100)]))))
        },
        RDataGenerator(.eui48, nameFields: []) { rng, _ in .eui48(EUI48(rng.bytes(6))) },
        RDataGenerator(.eui64, nameFields: []) { rng, _ in .eui64(EUI64(rng.bytes(8))) },
        RDataGenerator(nil, nameFields: [], hexRData: true) { rng, _ in
            .unknown(unknownType(&rng), rng.bytes(rng.chance(0.1) ? 0 : rng.int(1...40)))
        },
    ]

    static let alpnAwkward: [UInt8] = awkwardOctets.filter { $0 != 0x5C && $0 != 0x2C }
    static let alnum: [UInt8] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// A type for NSEC/NSEC3 bitmaps and RRSIG type covered: one that both Tack and ldns print
    /// by the same mnemonic (the typed types of this table), or an unassigned number that both
    /// print as `TYPEnnn` (RFC 3597 5), in windows 0 to 255.
    static func bitmapType(_ rng: inout SeededRNG) -> RRType {
        switch rng.int(0...9) {
        case 0...5: return rng.pick(bitmapMnemonicTypes)
        case 6: return RRType(UInt16(rng.int(0xFF00...0xFFFE)))
        case 7: return RRType(UInt16(rng.int(270...30000)))  // above the last assigned (264)
        default: return RRType(UInt16(rng.int(2...127) << 8 | rng.int(0...255)))  // windows 2 to 127
        }
    }

    static let bitmapMnemonicTypes: [RRType] = [
        .a, .ns, .cname, .soa, .ptr, .hinfo, .minfo, .mx, .txt, .rp, .afsdb, .aaaa, .loc, .srv, .naptr, .kx,
        .cert, .dname, .ds, .sshfp, .rrsig, .nsec, .dnskey, .dhcid, .nsec3, .nsec3param, .tlsa, .smimea,
        .cds, .cdnskey, .openpgpkey, .zonemd, .svcb, .https, .spf, .eui48, .eui64, .uri, .caa,
    ]

    /// 0 to 12 types, in up to several windows (RFC 4034 4.1.2).
    static func typeBitmap(_ rng: inout SeededRNG) -> TypeBitmap {
        TypeBitmap((0..<(rng.chance(0.1) ? 0 : rng.int(1...12))).map { _ in bitmapType(&rng) })
    }

    static func tlsa(_ rng: inout SeededRNG) -> TLSA {
        TLSA(usage: UInt8(rng.int(0...255)), selector: UInt8(rng.int(0...255)), matchingType: UInt8(rng.int(0...255)),
             data: rng.bytes(rng.pick([32, 64, rng.int(1...100)])))
    }

    static func ds(_ rng: inout SeededRNG) -> DS {
        DS(keyTag: rng.u16(), algorithm: UInt8(rng.int(0...255)), digestType: UInt8(rng.int(0...255)),
           digest: rng.bytes(rng.pick([20, 32, 48, rng.int(1...64)])))
    }

    static func dnskey(_ rng: inout SeededRNG) -> DNSKEY {
        DNSKEY(flags: rng.chance(0.7) ? rng.pick([256, 257, 0]) : rng.u16(), proto: rng.chance(0.9) ? 3 : UInt8(rng.int(0...255)),
               algorithm: rng.chance(0.7) ? rng.pick([8, 13, 14, 15, 16]) : UInt8(rng.int(0...255)), publicKey: rng.bytes(rng.int(1...200)))
    }

    /// An SVCB/HTTPS RDATA with valid, sorted SvcParams (RFC 9460 2.2, 7, 8). Key 8 (ohttp,
    /// RFC 9540) is never generated: ldns 1.8.3 does not know its name and rejects `ohttp` in
    /// text, so it could not take the text direction.
    static func svcb(_ rng: inout SeededRNG, _ p: NamePool) -> SVCB {
        let target = rng.chance(0.2) ? Name.root : p.name(&rng)
        if rng.chance(0.2) { return SVCB(priority: 0, target: target, params: []) }  // AliasMode (RFC 9460 2.4.2)
        var params: [SvcParam] = []
        // No `,` or `\` inside an alpn id: ldns 1.8.3 reads and prints alpn lists with one level
        // of escaping (`\,`) where RFC 9460 A.1 has two (`\\,`, the D.2 test vector); the
        // golden rows check Tack's RFC form.
        func listItem(_ rng: inout SeededRNG) -> [UInt8] {
            (0..<rng.int(1...10)).map { _ in rng.chance(0.2) ? rng.pick(alpnAwkward) : rng.pick(ldh) }
        }
        if rng.chance(0.6) {
            var v: [UInt8] = []
            for _ in 0..<rng.int(1...3) { let id = listItem(&rng); v.append(UInt8(id.count)); v += id }
            params.append(SvcParam(.alpn, v))
            if rng.chance(0.3) { params.append(SvcParam(.noDefaultALPN, [])) }
        }
        if rng.chance(0.5) { let port = rng.u16(); params.append(SvcParam(.port, [UInt8(port >> 8), UInt8(port & 0xFF)])) }
        if rng.chance(0.5) { params.append(SvcParam(.ipv4hint, rng.bytes(4 * rng.int(1...3)))) }
        if rng.chance(0.3) { params.append(SvcParam(.ech, rng.bytes(rng.int(1...60)))) }
        if rng.chance(0.5) {
            var v: [UInt8] = []
            for _ in 0..<rng.int(1...3) {
                var a = rng.bytes(16)
                if rng.chance(0.5) { let s = rng.int(0...14); for i in s..<min(16, s + rng.int(2...8)) { a[i] = 0 } }
                v += a
            }
            params.append(SvcParam(.ipv6hint, v))
        }
        if rng.chance(0.2) { params.append(SvcParam(.dohpath, Array("/dns-query{?dns}".utf8))) }
        for _ in 0..<rng.pick([0, 0, 1, 2]) {
            let key = SvcParamKey(UInt16(rng.chance(0.5) ? rng.int(9...300) : rng.int(65000...65535)))
            if params.contains(where: { $0.key == key }) { continue }
            params.append(SvcParam(key, rng.chance(0.2) ? [] : characterString(&rng)))
        }
        if !params.isEmpty && rng.chance(0.3) {
            // mandatory lists some of the other keys present, increasing (RFC 9460 8).
            let keys = params.map(\.key).sorted().filter { _ in rng.chance(0.6) }
            if !keys.isEmpty { params.append(SvcParam(.mandatory, keys.flatMap { [UInt8($0.rawValue >> 8), UInt8($0.rawValue & 0xFF)] })) }
        }
        return SVCB(priority: UInt16(rng.int(1...65535)), target: target, params: params)
    }

    /// A LOC whose text form reads back to the same octets (RFC 1876 3): sizes and
    /// precisions with a mantissa of 1 to 9, or exactly zero (Tack prints a zero mantissa
    /// with any exponent as 0.00m, which reads back as 0x00).
    static func loc(_ rng: inout SeededRNG) -> LOC {
        func size(_ rng: inout SeededRNG) -> UInt8 {
            rng.chance(0.05) ? 0 : UInt8(rng.int(1...9) << 4 | rng.int(0...9))
        }
        func angle(_ rng: inout SeededRNG, _ max: Int64) -> UInt32 {
            switch rng.int(0...9) {
            case 0: return UInt32(LOCLimits.origin)
            case 1: return UInt32(LOCLimits.origin + (rng.chance(0.5) ? max : -max))
            case 2: return UInt32(LOCLimits.origin + Int64(rng.int(-3_600_000...3_600_000)))
            default: return UInt32(LOCLimits.origin + Int64(rng.int(-Int(max)...Int(max))))
            }
        }
        let alt: UInt32
        switch rng.int(0...3) {
        case 0: alt = rng.u32()
        case 1: alt = UInt32(rng.int(0...Int(LOCLimits.altitudeBase)))  // below the spheroid
        default: alt = UInt32(LOCLimits.altitudeBase + Int64(rng.int(-100_000...1_000_000)))
        }
        return LOC(size: size(&rng), horizontalPrecision: size(&rng), verticalPrecision: size(&rng),
                   latitude: angle(&rng, LOCLimits.maxLatitude), longitude: angle(&rng, LOCLimits.maxLongitude), altitude: alt)
    }

    // MARK: ldns presentation normalisers (each one a difference listed in RDataGoldenTests)

    /// NSEC, NSEC3, NSEC3PARAM: ldns ends the RDATA with a space and puts two spaces between
    /// the NSEC3 salt and next hashed owner (host2str.c); RFC 1035 5.1 fields are separated by
    /// any amount of blank space. Names in this RDATA print spaces as `\032`, so no raw space
    /// is inside a field.
    @Sendable static func collapseSpaces(_ s: String) -> String {
        s.split(separator: " ").joined(separator: " ")
    }

    /// DNSKEY, CDNSKEY: ldns appends ` ;{id = N (ksk), size = Nb}`, a comment (RFC 1035 5.1:
    /// `;` starts a comment to the end of the line); base64 never holds `;`.
    @Sendable static func dnskeyNormalise(_ s: String) -> String {
        guard let r = s.firstRange(of: " ;") else { return s }
        return String(s[..<r.lowerBound])
    }

    /// LOC: ldns pads degrees and minutes to two digits (`71 06 18.000 W`); RFC 1876 3 reads
    /// them as plain numbers. ldns also prints exactly 0 degrees latitude as `S` and
    /// longitude as `W` (it tests `> 2^31`, host2str.c ldns_rdf2buffer_str_loc); at zero the
    /// hemisphere means nothing, so both are mapped to N and E.
    @Sendable static func locNormalise(_ s: String) -> String {
        var f = s.split(separator: " ").map(String.init)
        guard f.count >= 8 else { return s }
        for i in [0, 1, 4, 5] { if let v = Int(f[i]) { f[i] = String(v) } }
        if f[0] == "0", f[1] == "0", f[2] == "0.000" { f[3] = "N" }
        if f[4] == "0", f[5] == "0", f[6] == "0.000" { f[7] = "E" }
        return f.joined(separator: " ")
    }

    /// SVCB, HTTPS: the SvcParams after the target. Tack quotes a value holding a space, `;`,
    /// `(` or `)`; ldns (host2str.c, svcparam printers) quotes a value holding any white space
    /// (`"\012"`) and prints one holding `;`, `(` or `)` bare. Quotes only delimit a
    /// char-string (RFC 9460 A.1, RFC 1035 5.1), so both sides lose their unescaped quotes;
    /// `\"` stays. The priority and target (names never hold a raw space) are left as they are.
    @Sendable static func svcbNormalise(_ s: String) -> String {
        let parts = s.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return s }
        let b = Array(parts[2].utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 0x5C, i + 1 < b.count {
                out.append(b[i]); out.append(b[i + 1]); i += 2
            } else {
                if b[i] != 0x22 { out.append(b[i]) }
                i += 1
            }
        }
        return parts[0] + " " + parts[1] + " " + String(decoding: out, as: UTF8.self)
    }

    /// CAA value, URI target: the last field runs to the end of the RDATA, so it may be
    /// empty. ldns (wire2host.c) makes no rdf for it and prints nothing where Tack prints
    /// `""` (RFC 8659 4.1.1, RFC 7553 4.4: the same zero octets on the wire).
    @Sendable static func emptyLastString(_ s: String) -> String {
        s.hasSuffix(" \"\"") ? String(s.dropLast(3)) : s
    }

    /// Splits RDATA text into its space-separated fields. With `quoted`, a field that starts
    /// with `"` runs to its closing quote (spaces included) and backslash escapes stay whole;
    /// without, a plain split (names never hold a raw space, but ldns prints `"` in them bare).
    static func fields(_ s: String, quoted: Bool) -> [String] {
        guard quoted else { return s.split(separator: " ", omittingEmptySubsequences: false).map(String.init) }
        var out: [String] = []
        var cur: [UInt8] = []
        var inQuotes = false
        var escaped = false
        for c in s.utf8 {
            if escaped { cur.append(c); escaped = false; continue }
            switch c {
            case 0x5C: cur.append(c); escaped = true
            case 0x22 where cur.isEmpty || inQuotes: cur.append(c); inQuotes.toggle()
            case 0x20 where !inQuotes:
                out.append(String(decoding: cur, as: UTF8.self)); cur = []
            default: cur.append(c)
            }
        }
        out.append(String(decoding: cur, as: UTF8.self))
        return out
    }

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
    /// Quoted character-strings (which may hold spaces) come before a name field, so fields
    /// are split quote-aware (see `MessageGenerator.fields`).
    let quotedStrings: Bool
    /// For a type whose ldns presentation differs from Tack's in some other valid way (say,
    /// base64 split into chunks): maps either printer's RDATA text to one spelling. Applied to
    /// both sides before the name rule (and not with `hexRData`). Each use must say in a
    /// comment which RFC or ldns quirk makes both spellings equal.
    let ldnsNormalise: (@Sendable (String) -> String)?
    let make: @Sendable (inout SeededRNG, MessageGenerator.NamePool) -> RData

    init(_ type: RRType?, nameFields: [Int], hexRData: Bool = false, quotedStrings: Bool = false,
         ldnsNormalise: (@Sendable (String) -> String)? = nil,
         make: @escaping @Sendable (inout SeededRNG, MessageGenerator.NamePool) -> RData) {
        self.type = type; self.nameFields = nameFields; self.hexRData = hexRData; self.quotedStrings = quotedStrings
        self.ldnsNormalise = ldnsNormalise; self.make = make
    }

    /// The generator entry for a record's type (the unknown-type entry for untyped RDATA).
    static func entry(for rdata: RData) -> RDataGenerator {
        if case .unknown = rdata { return MessageGenerator.rdataGenerators.first { $0.type == nil }! }
        return MessageGenerator.rdataGenerators.first { $0.type == rdata.type }!
    }
}
