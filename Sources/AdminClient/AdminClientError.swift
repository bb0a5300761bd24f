import AdminProtocol

/// Everything that can go wrong talking to a broker, with messages a person understands.
public enum AdminClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No broker answered at the address.
    case unreachable(address: String, reason: String)
    /// The broker did not answer in time.
    case timedOut(address: String, api: String, after: Duration)
    /// The connection dropped while a request was in flight.
    case connectionLost(address: String, reason: String)
    /// The broker answered with an error.
    case broker(code: AdminErrorCode, message: String)
    /// Client and broker share no version of an API, or the broker is not a Skiff broker.
    case incompatible(String)
    /// The broker sent bytes this client cannot decode.
    case malformedResponse(String)
    /// The client was closed.
    case closed
    /// A subscription's reader fell so far behind that events would have been dropped; the
    /// stream ends with this error instead. Subscribe again from the last offset seen.
    case fellBehind(subscriptionId: UInt32)

    public var description: String {
        switch self {
        case .unreachable(let address, let reason):
            "cannot reach broker at \(address): \(reason) — start one with `skiff broker`"
        case .timedOut(let address, let api, let after):
            "broker at \(address) did not answer \(api) within \(after)"
        case .connectionLost(let address, let reason):
            "lost the connection to the broker at \(address): \(reason)"
        case .broker(_, let message):
            message
        case .incompatible(let message):
            message
        case .malformedResponse(let message):
            "the broker sent a response this client cannot read: \(message)"
        case .closed:
            "the client is closed"
        case .fellBehind:
            "the live tail fell too far behind the broker and was stopped so that no record is skipped silently; "
                + "subscribe again from the last offset seen"
        }
    }

    /// The broker's error code, when the broker answered with an error.
    public var brokerErrorCode: AdminErrorCode? {
        if case .broker(let code, _) = self { return code }
        return nil
    }

    /// Whether the broker could not be reached or the connection broke (worth a reconnect).
    public var isConnectionProblem: Bool {
        switch self {
        case .unreachable, .connectionLost, .timedOut: true
        default: false
        }
    }
}
