import Foundation

/// The admin API's reports as `tack ctl` prints them.
public enum ReportText {
    /// `tack ctl status`: zones, pools with their current answer, targets with their monitors.
    public static func status(_ s: StatusReport) -> String {
        var out = "instance \(s.identity.nsid ?? "-")  ready: \(s.ready ? "yes" : "no")  generation \(s.generation)\n"
        out += "zones:\n"
        for z in s.zones { out += "  \(z.name)  serial \(z.serial)\n" }
        if !s.pools.isEmpty { out += "pools:\n" }
        for p in s.pools {
            let answer = p.outcome == "records" ? p.answer.joined(separator: " ") : p.outcome.uppercased()
            out += "  \(p.name)  \(p.owner) \(p.kind)  \(p.status)\(p.tier.map { ", tier \($0)" } ?? "")  ttl \(p.ttl)  -> \(answer)\n"
            out += "      \(p.reason)\n"
        }
        if !s.targets.isEmpty { out += "targets:\n" }
        for t in s.targets {
            var line = "  \(t.name)  \(t.state)"
            if let f = t.forced {
                line += " (forced \(f.state)\(until(f.until)); monitors say \(t.monitoredState))"
            }
            out += line + "  checks \(t.checks), failures \(t.failures), transitions \(t.transitions)\n"
            for m in t.monitors { out += "      \(m.name) (\(m.type)) \(m.state): \(m.reason)\n" }
        }
        return out
    }

    /// `tack ctl explain`: which pool and tier answer a name, and why.
    public static func explain(_ e: ExplainReport) -> String {
        var out = "\(e.name) \(e.type): \(e.rcode)"
        if let p = e.pool {
            out += " from pool \(p.name) (\(p.policy), \(p.status)\(p.tier.map { ", tier \($0)" } ?? ""), ttl \(p.ttl))"
        } else if let z = e.zone {
            out += " from zone \(z)"
        }
        out += "\n  why: \(e.reason)\n"
        for a in e.answer { out += "  \(a)\n" }
        return out
    }

    /// `tack ctl force`: the target's state after the command.
    public static func forced(_ t: StatusReport.TargetStatusReport) -> String {
        if let f = t.forced {
            return "\(t.name) forced \(f.state)\(until(f.until)) (monitors say \(t.monitoredState))\n"
        }
        return "\(t.name) released: \(t.state) as the monitors say\n"
    }

    static func until(_ date: Date?) -> String {
        date.map { " until \(ISO8601DateFormatter().string(from: $0))" } ?? ""
    }
}
