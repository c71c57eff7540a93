import Testing
@testable import DNSWire

/// Type and class mnemonics as zone files and queries write them.
@Suite struct MnemonicTests {
    @Test func everyTypeMnemonicInAnyCase() {
        for (code, text) in RRType.mnemonics {
            #expect(RRType(mnemonic: text) == RRType(code), "\(text)")
            #expect(RRType(mnemonic: text.lowercased()) == RRType(code), "\(text.lowercased())")
            #expect(RRType(mnemonic: "TYPE\(code)") == RRType(code))
        }
        #expect(RRType(mnemonic: "aAaA") == .aaaa)
        #expect(RRType(mnemonic: "Nsec3Param") == .nsec3param)
        #expect(RRType(mnemonic: "nsap-ptr") == RRType(23))
    }

    @Test func genericForms() {
        #expect(RRType(mnemonic: "type65280") == RRType(65280))
        #expect(RRType(mnemonic: "TYPE0") == RRType(0))
        #expect(RRType(mnemonic: "TYPE65535") == RRType(65535))
        #expect(RRType(mnemonic: "TYPE0000000000000000001") == RRType(1))
        #expect(RRClass(mnemonic: "class32") == RRClass(32))
        #expect(RRClass(mnemonic: "CLASS1") == .in)
        for bad in ["TYPE", "TYPE65536", "TYPE+5", "TYPE-0", "TYPE 1", "TYPE1x", "TYP1", "XTYPE1"] {
            #expect(RRType(mnemonic: bad) == nil, "\(bad)")
        }
        for bad in ["CLASS", "CLASS65536", "CLASS+1", "CLAS1"] {
            #expect(RRClass(mnemonic: bad) == nil, "\(bad)")
        }
    }

    @Test func classes() {
        for (text, c) in [("IN", RRClass.in), ("in", .in), ("Ch", .ch), ("cs", .cs), ("HS", .hs),
                          ("none", .none), ("ANY", .any)] {
            #expect(RRClass(mnemonic: text) == c, "\(text)")
        }
        #expect(RRClass(mnemonic: "A") == nil)
        #expect(RRClass(mnemonic: "INN") == nil)
    }

    /// Only ASCII folds: Unicode upper-casing maps a dotless i to I and a sharp s to SS, which
    /// no zone file means. The count is part of the key, so a trailing NUL is not ignored.
    @Test func nothingButASCIIMatches() {
        #expect(RRClass(mnemonic: "\u{131}n") == nil)
        #expect(RRType(mnemonic: "\u{131}pseckey") == nil)
        #expect(RRType(mnemonic: "A\u{0}") == nil)
        #expect(RRType(mnemonic: "") == nil)
        #expect(RRType(mnemonic: "OPENPGPKEYXXXXXX") == nil)
        #expect(RRType(mnemonic: "T\u{301}YPE1") == nil)
    }
}
