import Config
import Health
import Monitors
import NIOCore

/// Turns the configured monitors into scheduled checks, indexed by the health model.
public enum MonitorJobs {
    /// One job per configured monitor of every target. The configuration was validated at
    /// load; what can still fail here (an address the socket layer refuses) names the monitor.
    public static func make(_ configuration: Configuration, model: HealthModel,
                     group: any EventLoopGroup) throws(ServedData.Failure) -> [MonitorJob] {
        var jobs: [MonitorJob] = []
        for target in configuration.targets {
            guard let t = model.targetIndex(named: target.name) else { continue }
            for (m, monitor) in target.monitors.enumerated() {
                do {
                    jobs.append(try MonitorJob(target: t, monitor: m, check: check(monitor, target: target.name, group: group),
                                               interval: monitor.interval, timeout: monitor.timeout, jitter: monitor.jitter))
                } catch {
                    throw ServedData.Failure(description: "\(target.keyPath).monitors[\(m)]: \(error.message)")
                }
            }
        }
        return jobs
    }

    public static func check(_ m: MonitorConfiguration, target: String, group: any EventLoopGroup) throws(MonitorError) -> MonitorCheck {
        switch m.kind {
        case .tcp(let address):
            return .tcp(TCPMonitor(address: try monitorAddress(address)))
        case .http(let h):
            var https = false, validate = true
            if case .https(let v) = h.scheme { https = true; validate = v }
            let settings = try HTTPCheckSettings(https: https, address: try monitorAddress(h.address), host: h.host, path: h.requestPath,
                                                 expectedStatus: h.expectStatus, bodyContains: h.bodyContains, validateCertificate: validate)
            return .http(HTTPMonitor(settings, group: group))
        case .dns(let d):
            return .dns(DNSMonitor(DNSCheckSettings(address: try monitorAddress(d.address), name: d.query, type: d.queryType,
                                                    rcode: d.expectRcode, expectAnswer: d.expectAnswer)))
        case .exec(let command):
            return .exec(try ExecMonitor(executable: command.program, arguments: command.arguments))
        case .file(let path):
            return .file(try FileMonitor(path: path, targetName: target))
        }
    }

    /// The socket layer's address for a configured one; it may still refuse it.
    static func monitorAddress(_ a: ListenAddress) throws(MonitorError) -> MonitorAddress {
        try MonitorAddress(host: a.host, port: Int(a.port))
    }
}
