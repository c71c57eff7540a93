/// CERT: a certificate or CRL (RFC 4398 2). The type prints as its mnemonic when it has one
/// (RFC 4398 2.2); the algorithm prints as a number.
public struct CERT: RDataCodable {
    public var certType: UInt16
    public var keyTag: UInt16
    public var algorithm: UInt8
    public var certificate: [UInt8]

    /// Certificate type mnemonics (RFC 4398 2.1).
    static let typeMnemonics: [UInt16: String] = [
        1: "PKIX", 2: "SPKI", 3: "PGP", 4: "IPKIX", 5: "ISPKI", 6: "IPGP", 7: "ACPKIX",
        8: "IACPKIX", 253: "URI", 254: "OID",
    ]
    static let typeByMnemonic: [String: UInt16] = {
        var d: [String: UInt16] = [:]
        for (k, v) in typeMnemonics { d[v] = k }
        return d
    }()

    public init(certType: UInt16, keyTag: UInt16, algorithm: UInt8, certificate: [UInt8]) {
        self.certType = certType; self.keyTag = keyTag; self.algorithm = algorithm; self.certificate = certificate
    }
    public init(wire r: inout WireReader) throws(WireError) {
        certType = try r.u16(); keyTag = try r.u16(); algorithm = try r.u8()
        certificate = try r.nonEmptyRest(.cert, "certificate")
    }
    public func encode(to w: inout WireWriter, compress: Bool, lowercase: Bool) {
        w.u16(certType); w.u16(keyTag); w.u8(algorithm); w.bytes(certificate)
    }
    public init(fields f: inout FieldReader) throws(PresentationError) {
        let t = try f.next("certificate type")
        if let v = CERT.typeByMnemonic[t.text.uppercased()] {
            certType = v
        } else if let v = UInt16(t.text) {
            certType = v
        } else {
            throw f.error("certificate type '\(t.text)' is neither a number from 0 to 65535 nor one of PKIX SPKI PGP IPKIX ISPKI IPGP ACPKIX IACPKIX URI OID")
        }
        keyTag = try f.integer("key tag")
        algorithm = try f.integer("algorithm")
        certificate = try f.base64Rest("certificate")
    }
    public var presentation: String {
        "\(CERT.typeMnemonics[certType] ?? String(certType)) \(keyTag) \(algorithm) \(Base64.encode(certificate))"
    }
}
