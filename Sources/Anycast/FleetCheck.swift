#if canImport(Glibc)
import Glibc
#endif
import Config
import DNSWire
import Foundation
import Runtime

/// `tack fleet check`'s logic: ask instances for their fingerprints over DNS and tell where
/// they differ.
public enum FleetCheck {
    /// One instance's answer: who it is and what it serves.
    public struct Seen: Sendable {
        public var label: String
        public var print: Fingerprint

        public init(label: String, print: Fingerprint) {
            self.label = label
            self.print = print
        }
    }

    /// The differences, one block per differing zone or the pools; empty when all agree.
    public static func diff(_ seen: [Seen]) -> [String] {
        guard seen.count > 1 else { return [] }
        var out: [String] = []
        let names = Set(seen.flatMap { $0.print.zones.map(\.name) }).sorted()
        for name in names {
            var groups: [String: [String]] = [:]
            for s in seen {
                let key = s.print.zones.first { $0.name == name }.map { "serial \($0.serial), records \($0.sha256)" } ?? "not served"
                groups[key, default: []].append(s.label)
            }
            if groups.count > 1 {
                out.append("  zone \(name):")
                for (k, v) in groups.sorted(by: { $0.key < $1.key }) { out.append("    \(k): \(v.joined(separator: ", "))") }
            }
        }
        let pools = Dictionary(grouping: seen, by: { $0.print.pools })
        if pools.count > 1 {
            out.append("  targets, monitors and pools:")
            for (k, v) in pools.sorted(by: { $0.key < $1.key }) { out.append("    \(k): \(v.map(\.label).joined(separator: ", "))") }
        }
        return out
    }

    public struct QueryError: Error, CustomStringConvertible { public let description: String }

    /// One CH TXT question over UDP; the TXT strings joined.
    public static func txt(_ name: String, at address: Config.ListenAddress, timeoutMs: Int) throws -> String {
        var header = Header(id: UInt16.random(in: 0...UInt16.max))
        header.rd = false
        let qname = try Name(parsing: name)
        let query = Message(header: header, questions: [Question(qname, .txt, .ch)]).encode()
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw QueryError(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var storage = sockaddr_storage()
        let length: socklen_t
        if address.family == .ipv4 {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &a.sin_addr) { $0.copyBytes(from: address.address) }
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: a) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &a.sin6_addr) { $0.copyBytes(from: address.address) }
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: a) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let connected = withUnsafePointer(to: &storage) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard connected == 0 else { throw QueryError(description: "connect: \(String(cString: strerror(errno)))") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<3 {
            _ = query.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(timeoutMs)) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 { throw QueryError(description: "no answer: \(String(cString: strerror(errno)))") }
            guard let m = try? Message.decode(Array(buffer[0..<n])), m.header.id == header.id else { continue }
            guard m.rcode == .noError else { throw QueryError(description: "\(name) CH TXT answered \(m.rcode)") }
            let texts = m.answers.compactMap { rr -> String? in
                if case .txt(let t) = rr.rdata { return t.strings.map { String(decoding: $0, as: UTF8.self) }.joined() }
                return nil
            }
            guard let t = texts.first else { throw QueryError(description: "\(name) CH TXT: no TXT in the answer") }
            return t
        }
        throw QueryError(description: "no answer to \(name) CH TXT after 3 tries of \(timeoutMs) ms")
    }
}
