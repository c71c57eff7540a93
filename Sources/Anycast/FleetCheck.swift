import Config
import DNSClient
import DNSWire
import Foundation
import NIOCore
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

    /// One CH TXT question over UDP through `DNSClient`, tried up to 3 times; the TXT
    /// strings joined.
    public static func txt(_ name: String, at address: Config.ListenAddress, timeoutMs: Int,
                           client: DNSClient = DNSClient()) async throws -> String {
        let qname = try Name(parsing: name)
        let server: NIOCore.SocketAddress
        do {
            server = try NIOCore.SocketAddress(packedIPAddress: ByteBuffer(bytes: address.address), port: Int(address.port))
        } catch {
            throw QueryError(description: "\(address): \(error)")
        }
        for _ in 0..<3 {
            let m: Message
            do throws(DNSClientError) {
                m = try await client.exchange(DNSClient.query(Question(qname, .txt, .ch)), with: server,
                                              timeout: .milliseconds(timeoutMs))
            } catch {
                switch error {
                case .timeout, .malformed: continue
                case .io, .closed: throw QueryError(description: "no answer: \(error)")
                }
            }
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
