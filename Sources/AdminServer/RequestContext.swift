import AdminProtocol
import BrokerCore
import Logging

/// A failed request: the error code and the sentence sent back to the client.
struct HandlerError: Error {
    var code: AdminErrorCode
    var message: String

    init(_ code: AdminErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: BrokerError) {
        self.code = AdminErrorCode(rawValue: error.kafkaErrorCode) ?? .unknownServerError
        self.message = error.description
    }
}

/// Everything a per-API handler may use: the backend, the limits, the server's shared state
/// and the connection the request came on.
struct RequestContext: Sendable {
    let backend: any BrokerBackend
    let config: AdminServerConfig
    let metrics: ServerMetrics
    let notifier: AppendNotifier
    let connection: ConnectionInfo
    let logger: Logger
    let kafkaAnnouncement: KafkaListenerAnnouncement

    /// Where Kafka clients connect, when a Kafka listener shares this server.
    var kafkaListener: String? { kafkaAnnouncement.current }

    /// Runs a backend call and turns its error into a ``HandlerError``.
    func call<T>(_ body: () throws(BrokerError) -> T) throws(HandlerError) -> T {
        do { return try body() } catch { throw HandlerError(error) }
    }

    /// Refuses `value` outside `range` with INVALID_REQUEST, naming `field`.
    func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, _ field: String) throws(HandlerError) {
        guard range.contains(value) else {
            throw HandlerError(
                .invalidRequest, "\(field) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }
}

/// Who is on the other end of a connection.
struct ConnectionInfo: Sendable {
    /// A process-unique connection number, for logs.
    let id: Int
    /// The client's address as text (the group member "host").
    let remoteHost: String
}
