import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the server's services (the `DNSServer`, the `Reloader`, later admin and monitors) in a
/// `ServiceGroup` that shuts down gracefully on SIGTERM or SIGINT.
public enum ServerLifecycle {
    /// Signals that start a graceful shutdown: stop accepting, drain TCP, close.
    public static let shutdownSignals: [UnixSignal] = [.sigterm, .sigint]

    /// The group for `services`, ready to `run()`; call `triggerGracefulShutdown()` to stop it
    /// without a signal. `signals` start the shutdown (none: a service handles them, e.g. to
    /// drain first).
    public static func makeGroup(services: [any Service], logger: Logger,
                                 signals: [UnixSignal] = shutdownSignals) -> ServiceGroup {
        ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: signals,
            logger: logger))
    }
}
