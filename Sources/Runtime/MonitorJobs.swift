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
        func address() throws(MonitorError) -> MonitorAddress {
            // The decoder requires an address for these types.
            guard let a = m.address else { throw MonitorError(.invalidAddress, "\(m.type) monitor without an address") }
            return try MonitorAddress(host: a.host, port: Int(a.port))
        }
        switch m.type {
        case .tcp:
            return .tcp(TCPMonitor(address: try address()))
        case .http, .https:
            let settings = try HTTPCheckSettings(https: m.type == .https, address: try address(), host: m.host, path: m.path ?? "/",
                                                 expectedStatus: m.expectStatus, bodyContains: m.bodyContains,
                                                 validateCertificate: m.validateCertificate)
            return .http(HTTPMonitor(settings, group: group))
        case .dns:
            guard let q = m.query else { throw MonitorError(.invalidSetting, "dns monitor without a query name") }
            return .dns(DNSMonitor(DNSCheckSettings(address: try address(), name: q, type: m.queryType, rcode: m.expectRcode,
                                                    expectAnswer: m.expectAnswer)))
        case .exec:
            guard let program = m.command.first else { throw MonitorError(.invalidSetting, "exec monitor without a command") }
            return .exec(try ExecMonitor(executable: program, arguments: Array(m.command.dropFirst())))
        case .file:
            guard let path = m.path else { throw MonitorError(.invalidSetting, "file monitor without a path") }
            return .file(try FileMonitor(path: path, targetName: target))
        }
    }
}
