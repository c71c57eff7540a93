// fuzz-modules: DNSWire Zone ZoneFile
// fuzz-support: FuzzCheck.swift
//
// The zone-file parser and the zone checks on arbitrary text (as `tack check` and every reload
// read it) must never trap, and:
// - every diagnostic points at a line of the input;
// - a zone that loads has every record at or below its origin, and printing its records and
//   parsing the printout gives the same records (print -> parse round trip).
// `$INCLUDE` lines are skipped: the fuzzer must not read files of the machine.
import DNSWire
import Zone
import ZoneFile

let fuzzZoneOrigin = try! Name(parsing: "fuzz.test.")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZoneFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let text = String(decoding: input, as: UTF8.self)
    if text.lowercased().contains("$include") { return 0 }
    let result = ZoneLoader.load(text: text, origin: fuzzZoneOrigin, fileName: "fuzz")
    // Lines as the lexer counts them: LF octets. Not `split(separator: "\n")` on the String:
    // "\r\n" is one Character there, so a CRLF file would seem to have fewer lines.
    let lines = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    for e in result.parse.errors {
        fuzzCheck(e.location.line >= 1 && e.location.line <= lines + 1,
                  "error at line \(e.location.line) of a \(lines)-line input: \(e)", input: input)
    }
    guard let zone = result.zone else { return 0 }
    let records = zone.records
    for rr in records {
        fuzzCheck(rr.name.isSubdomain(of: fuzzZoneOrigin), "record \(rr) is outside the origin", input: input)
    }
    let printed = records.map { "\($0)" }.joined(separator: "\n") + "\n"
    let again = ZoneFileParser.parse(text: printed, origin: fuzzZoneOrigin, fileName: "printed")
    fuzzCheck(again.isSuccess, "the printed zone does not parse:\n\(printed)\n\(again.formattedDiagnostics(name: "printed"))", input: input)
    fuzzCheck(Set(again.records.map(\.record)) == Set(records), "the printed zone parses to other records:\n\(printed)", input: input)
    return 0
}
