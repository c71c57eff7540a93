import DNSWire

/// Why a query gets no reply at all.
public enum DropReason: Sendable, Hashable, CustomStringConvertible {
    /// Shorter than the 12-octet header: there is no ID to answer to (RFC 1035 4.1.1).
    case tooShort
    /// QR is set: a response must never be answered, or two servers could loop (RFC 1035 4.1.1).
    case response

    public var description: String {
        switch self {
        case .tooShort: "shorter than a DNS header"
        case .response: "QR set (a response, not a query)"
        }
    }
}

/// The result of `Responder.respond(to:context:)`: bytes to send, or nothing.
public enum ResponderOutcome: Sendable, Hashable {
    case reply([UInt8])
    /// A zone transfer: these messages, in order, over TCP.
    case replies([[UInt8]])
    case drop(DropReason)
}

/// The result of `Responder.respond(to:context:into:)`: the reply is in the writer's bytes.
public enum ResponseDisposition: Sendable, Hashable {
    /// A reply was written; its full RCODE (RFC 6891 6.1.3) and whether TC was set, for logs
    /// and metrics.
    case reply(rcode: RCode, truncated: Bool)
    /// A zone transfer (TCP only): send these messages in order; the writer is empty.
    case transfer([[UInt8]])
    /// Nothing was written; send nothing.
    case drop(DropReason)
}
