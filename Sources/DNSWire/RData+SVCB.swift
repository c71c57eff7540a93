/// SVCB (RFC 9460 2.2) and HTTPS (RFC 9460 9), which share the format: a priority (0 is
/// AliasMode), a target name that is never compressed, and SvcParams whose keys are strictly
/// increasing on the wire. Values are kept in wire form, checked against their key's format.
public struct SVCB: RDataCodable {
    public var priority: UInt16
    public var target: Name
    /// Sorted by key, keys unique.
    public var params: [SvcParam]

    /// Builds a record; `params` are sorted here but not checked, so untrusted input must go
    /// through `init(wire:)` or `init(fields:)`. A value unfit for its key prints as raw octets.
    public init(priority: UInt16, target: Name, params: [SvcParam]) {
        self.priority = priority; self.target = target
        self.params = params.sorted { $0.key < $1.key }
    }

    /// The value of `key`, if present.
    public func value(_ key: SvcParamKey) -> [UInt8]? { params.first { $0.key == key }?.value }

    public init(wire r: inout WireReader) throws(WireError) {
        let start = r.offset
        priority = try r.u16()
        target = try r.uncompressedName()
        params = []
        while !r.isAtEnd {
            let at = r.offset
            let key = SvcParamKey(try r.u16())
            let len = Int(try r.u16())
            let value = try r.bytes(len)
            if let last = params.last, key <= last.key {
                let why = key == last.key ? "repeats key \(key)" : "has key \(key) after key \(last.key)"
                throw WireError.bad(.svcb, "SvcParams \(why); keys must be strictly increasing (RFC 9460 2.2)", at: at)
            }
            if let p = SVCB.valueProblem(key, value) { throw WireError.bad(.svcb, p, at: at + 4) }
            params.append(SvcParam(key, value))
        }
        if let p = SVCB.consistencyProblem(params) { throw WireError.bad(.svcb, p, at: start) }
    }

    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(priority)
        w.name(target, compress: compress, lowercase: lowercase)
        for p in params {
            w.u16(p.key.rawValue)
            w.u16(UInt16(p.value.count))
            w.bytes(p.value)
        }
    }

    public init(fields f: inout FieldReader) throws(PresentationError) {
        priority = try f.integer("SvcPriority")
        target = try f.name("TargetName")
        var ps: [SvcParam] = []
        while !f.isAtEnd {
            let t = try f.next("SvcParam")
            let (keyText, valueText) = SVCB.splitParam(t, &f)
            guard let key = SvcParamKey(name: keyText) else {
                throw f.error("'\(keyText)' is not a SvcParamKey name or keyNNNNN (RFC 9460 2.1)")
            }
            if ps.contains(where: { $0.key == key }) {
                throw f.error("SvcParamKey \(key) appears twice (RFC 9460 2.2)")
            }
            let value: [UInt8]
            do { value = try SVCB.parseValue(key, valueText) } catch { throw f.error(error.message) }
            ps.append(SvcParam(key, value))
        }
        params = ps.sorted { $0.key < $1.key }
        if let p = SVCB.consistencyProblem(params) { throw f.error(p) }
    }

    public var presentation: String {
        var out = "\(priority) \(target)"
        for p in params {
            out += " \(p.key)"
            if let v = SVCB.formatValue(p.key, p.value) { out += "=" + v }
        }
        return out
    }

    // MARK: value formats (RFC 9460 7, 8)

    /// Why `value` is not a valid wire value for `key`, or nil.
    static func valueProblem(_ key: SvcParamKey, _ v: [UInt8]) -> String? {
        switch key {
        case .mandatory:
            if v.isEmpty || v.count % 2 != 0 { return "mandatory value of \(v.count) octets is not a non-empty list of 2-octet keys (RFC 9460 8)" }
            var prev = -1
            for i in stride(from: 0, to: v.count, by: 2) {
                let k = Int(v[i]) << 8 | Int(v[i + 1])
                if k == 0 { return "mandatory lists the mandatory key itself (RFC 9460 8)" }
                if k <= prev { return "mandatory keys are not strictly increasing (RFC 9460 8)" }
                prev = k
            }
        case .alpn:
            if v.isEmpty { return "alpn value is empty (RFC 9460 7.1.1)" }
            var i = 0
            while i < v.count {
                let n = Int(v[i])
                if n == 0 { return "alpn holds an empty protocol identifier (RFC 9460 7.1.1)" }
                if i + 1 + n > v.count { return "alpn protocol identifier runs past the value (RFC 9460 7.1.1)" }
                i += 1 + n
            }
        case .noDefaultALPN, .ohttp:
            if !v.isEmpty { return "\(key) must have an empty value" }
        case .port:
            if v.count != 2 { return "port value is \(v.count) octets, not 2 (RFC 9460 7.2)" }
        case .ipv4hint:
            if v.isEmpty || v.count % 4 != 0 { return "ipv4hint value of \(v.count) octets is not a non-empty list of IPv4 addresses (RFC 9460 7.3)" }
        case .ipv6hint:
            if v.isEmpty || v.count % 16 != 0 { return "ipv6hint value of \(v.count) octets is not a non-empty list of IPv6 addresses (RFC 9460 7.3)" }
        case .ech:
            if v.isEmpty { return "ech value is empty" }
        default:
            break
        }
        return nil
    }

    /// Why the set of params is not self-consistent (RFC 9460 2.4.3, 7.1.1, 8), or nil.
    static func consistencyProblem(_ ps: [SvcParam]) -> String? {
        let keys = Set(ps.map(\.key))
        if let m = ps.first(where: { $0.key == .mandatory }) {
            for i in stride(from: 0, to: m.value.count - 1, by: 2) {
                let k = SvcParamKey(UInt16(m.value[i]) << 8 | UInt16(m.value[i + 1]))
                if !keys.contains(k) { return "mandatory lists \(k), which is absent (RFC 9460 8)" }
            }
        }
        if keys.contains(.noDefaultALPN) && !keys.contains(.alpn) {
            return "no-default-alpn requires alpn (RFC 9460 7.1.1)"
        }
        return nil
    }

    /// Splits `key=value` / `key` / `key=` followed by a quoted field; the value keeps its
    /// presentation escapes. Nil value means no `=`.
    static func splitParam(_ t: PresentationToken, _ f: inout FieldReader) -> (String, String?) {
        guard let eq = t.text.firstIndex(of: "=") else { return (t.text, nil) }
        let key = String(t.text[..<eq])
        var value = String(t.text[t.text.index(after: eq)...])
        if value.isEmpty, !t.quoted, let n = f.peek(), n.quoted {
            value = n.text
            _ = try? f.next("SvcParam value")
        } else if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        return (key, value)
    }

    /// Splits a value-list on unescaped commas, undoing the `\,` and `\\` escapes of
    /// RFC 9460 A.1 (applied after the character-string escapes are undone).
    static func splitList(_ b: [UInt8]) -> [[UInt8]]? {
        var out: [[UInt8]] = [[]]
        var i = 0
        while i < b.count {
            if b[i] == 0x5C {
                guard i + 1 < b.count else { return nil }
                out[out.count - 1].append(b[i + 1]); i += 2
            } else if b[i] == 0x2C {
                out.append([]); i += 1
            } else {
                out[out.count - 1].append(b[i]); i += 1
            }
        }
        return out.contains(where: \.isEmpty) ? nil : out
    }

    /// Converts a presentation value (escapes still in) to the wire value of `key`.
    static func parseValue(_ key: SvcParamKey, _ text: String?) throws(PresentationError) -> [UInt8] {
        guard let text, !text.isEmpty else {
            switch key {
            case .mandatory, .alpn, .port, .ipv4hint, .ipv6hint, .ech:
                throw PresentationError("SvcParam \(key) needs a value, as in \(key)=... (RFC 9460 7)")
            default: return []
            }
        }
        guard let raw = unescape(text) else { throw PresentationError("SvcParam \(key) value '\(text)' has a bad escape") }
        func list(_ what: String) throws(PresentationError) -> [[UInt8]] {
            guard let l = splitList(raw) else {
                throw PresentationError("SvcParam \(key) value '\(text)' must be a comma-separated list of \(what) with no empty item (RFC 9460 A.1)")
            }
            return l
        }
        var out: [UInt8] = []
        switch key {
        case .mandatory:
            var ks: [UInt16] = []
            for item in try list("key names") {
                let s = String(decoding: item, as: UTF8.self)
                guard let k = SvcParamKey(name: s) else { throw PresentationError("mandatory lists '\(s)', which is not a SvcParamKey") }
                if k == .mandatory { throw PresentationError("mandatory must not list itself (RFC 9460 8)") }
                if ks.contains(k.rawValue) { throw PresentationError("mandatory lists \(k) twice (RFC 9460 8)") }
                ks.append(k.rawValue)
            }
            for k in ks.sorted() { out.append(UInt8(k >> 8)); out.append(UInt8(k & 0xFF)) }
        case .alpn:
            for id in try list("protocol identifiers") {
                guard id.count <= 255 else { throw PresentationError("alpn protocol identifier longer than 255 octets") }
                out.append(UInt8(id.count)); out += id
            }
        case .noDefaultALPN, .ohttp:
            throw PresentationError("SvcParam \(key) takes no value; write just '\(key)'")
        case .port:
            guard raw.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let p = UInt16(String(decoding: raw, as: UTF8.self)) else {
                throw PresentationError("port '\(text)' must be a number from 0 to 65535 (RFC 9460 7.2)")
            }
            out = [UInt8(p >> 8), UInt8(p & 0xFF)]
        case .ipv4hint, .ipv6hint:
            let v6 = key == .ipv6hint
            for item in try list(v6 ? "IPv6 addresses" : "IPv4 addresses") {
                let s = String(decoding: item, as: UTF8.self)
                guard let a = v6 ? parseIPv6(s) : parseIPv4(s) else {
                    throw PresentationError("\(key) '\(s)' is not an \(v6 ? "IPv6" : "IPv4") address (RFC 9460 7.3)")
                }
                out += a
            }
        case .ech:
            guard let b = Base64.decode(String(decoding: raw, as: UTF8.self)), !b.isEmpty else {
                throw PresentationError("ech value '\(text)' must be non-empty base64 (RFC 9460 14.3.2)")
            }
            out = b
        default:
            out = raw
        }
        if out.count > Int(UInt16.max) { throw PresentationError("SvcParam \(key) value exceeds 65535 octets") }
        return out
    }

    /// The presentation value of a valid wire value, or nil when the key is printed alone.
    static func formatValue(_ key: SvcParamKey, _ v: [UInt8]) -> String? {
        func listEscaped(_ b: [UInt8]) -> [UInt8] {
            var o: [UInt8] = []
            for c in b {
                if c == 0x2C || c == 0x5C { o.append(0x5C) }
                o.append(c)
            }
            return o
        }
        var raw: [UInt8]
        switch valueProblem(key, v) == nil ? key : SvcParamKey(UInt16.max) {
        case .mandatory:
            var names: [String] = []
            for i in stride(from: 0, to: v.count - 1, by: 2) {
                names.append(SvcParamKey(UInt16(v[i]) << 8 | UInt16(v[i + 1])).description)
            }
            raw = Array(names.joined(separator: ",").utf8)
        case .alpn:
            var ids: [[UInt8]] = []
            var i = 0
            while i < v.count {
                let n = Int(v[i])
                ids.append(listEscaped(Array(v[(i + 1)..<min(v.count, i + 1 + n)])))
                i += 1 + n
            }
            raw = Array(ids.joined(separator: [0x2C]))
        case .port:
            raw = Array(String(UInt16(v[0]) << 8 | UInt16(v[1])).utf8)
        case .ipv4hint:
            raw = Array(stride(from: 0, to: v.count, by: 4).map { formatIPv4(Array(v[$0..<($0 + 4)])) }.joined(separator: ",").utf8)
        case .ipv6hint:
            raw = Array(stride(from: 0, to: v.count, by: 16).map { formatIPv6(Array(v[$0..<($0 + 16)])) }.joined(separator: ",").utf8)
        case .ech:
            raw = Array(Base64.encode(v).utf8)
        default:
            if v.isEmpty { return nil }
            raw = v
        }
        if raw.isEmpty { return nil }
        // Character-string escapes (RFC 1035 5.1); quoted when it holds a space or a
        // character that would end or comment out an unquoted field.
        var out: [UInt8] = []
        var quote = false
        for c in raw {
            switch c {
            case 0x22, 0x5C: out.append(0x5C); out.append(c)
            case 0x20, 0x3B, 0x28, 0x29: quote = true; out.append(c)
            case 0x21...0x7E: out.append(c)
            default: appendDecimalEscape(c, to: &out)
            }
        }
        let s = String(decoding: out, as: UTF8.self)
        return quote ? "\"\(s)\"" : s
    }
}
