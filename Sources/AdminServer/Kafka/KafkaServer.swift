import BrokerCore
import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// How the Kafka listener listens and what it reports in Metadata.
public struct KafkaListenerConfig: Sendable {
    /// The address to bind; loopback unless told otherwise.
    public var host: String = "127.0.0.1"
    /// The port to bind (Kafka's 9092); 0 picks a free one.
    public var port: Int = 9092
    /// The host Metadata tells clients to connect to; the bound host when nil.
    public var advertisedHost: String?
    /// The port Metadata tells clients to connect to; the bound port when nil.
    public var advertisedPort: Int?
    /// Whether Metadata and Produce create topics that do not exist (Kafka's
    /// `auto.create.topics.enable`, on by default as in Kafka).
    public var autoCreateTopics = true
    /// Partitions of an auto-created topic, and of a CreateTopics with -1 (Kafka's `num.partitions`).
    public var defaultPartitions: Int32 = 1
    /// The longest a Fetch waits for `min_bytes` (a client's `max_wait_ms` above it is capped).
    public var maxFetchWait: Duration = .seconds(30)

    /// Loopback on Kafka's port.
    public init() {}
}

/// Skiff's Kafka wire-protocol listener: real Kafka clients (librdkafka, the Java client,
/// kafka-python, sarama, …) produce, consume and administer the bundled broker through it.
///
/// It shares the admin server's broker backend, limits, connection machinery (frame and idle
/// timeouts, slow-client guard, connection limit, in-order answers with read-ahead) and append
/// notifier, so a record produced over Kafka wakes a live tail of the admin protocol at once and
/// the other way round. Requests of one connection are answered in order, as Kafka does.
public final class KafkaServer: Sendable {
    /// The listener's settings.
    public let config: KafkaListenerConfig
    let admin: AdminServer
    let logger: Logger
    private let state = Mutex<RunState>(RunState())
    private let connectionIds = Atomic<Int>(0)

    private struct RunState {
        var channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>?
        var localAddress: SocketAddress?
    }

    /// Creates a listener that serves `admin`'s broker with `admin`'s limits and tokens.
    public init(sharing admin: AdminServer, config: KafkaListenerConfig, logger: Logger = Logger(label: "skiff.kafka"))
    {
        self.admin = admin
        self.config = config
        self.logger = logger
    }

    /// Binds the listening socket; returns the bound address.
    @discardableResult
    public func bind() async throws -> SocketAddress {
        let channel = try await AdminServer.listen(
            group: admin.eventLoopGroup, host: config.host, port: config.port, config: admin.config, logger: logger)
        guard let address = channel.channel.localAddress else {
            throw BrokerError.storage("the Kafka listening socket has no local address")
        }
        state.withLock {
            $0.channel = channel
            $0.localAddress = address
        }
        let (host, port) = advertised
        admin.kafkaAnnouncement.announce((host.contains(":") ? "[\(host)]" : host) + ":\(port)")
        return address
    }

    /// The bound address, once ``bind()`` returned.
    public var localAddress: SocketAddress? { state.withLock { $0.localAddress } }

    /// The address Metadata advertises.
    var advertised: (host: String, port: Int32) {
        let bound = localAddress
        return (config.advertisedHost ?? config.host, Int32(config.advertisedPort ?? bound?.port ?? config.port))
    }

    /// Serves connections until the task is cancelled or ``close()`` is called.
    public func run() async throws {
        guard let channel = state.withLock({ $0.channel }) else { preconditionFailure("call bind() before run()") }
        logger.info("Kafka listener listening", metadata: ["address": "\(localAddress.map { "\($0)" } ?? "")"])
        try await withThrowingDiscardingTaskGroup { group in
            try await channel.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection) }
                }
            }
            group.cancelAll()
        }
    }

    /// Stops accepting connections.
    public func close() async {
        admin.kafkaAnnouncement.announce(nil)
        guard let channel = state.withLock({ $0.channel }) else { return }
        try? await channel.channel.close()
    }

    // MARK: - One connection

    /// What a connection has established so far.
    struct Session {
        /// nil until SASL succeeded when the broker has tokens; then what the user may do.
        var role: KafkaSessionRole?
        /// The mechanism agreed in SaslHandshake.
        var saslMechanism: String?
        /// After a SaslHandshake v0 the next frame is the raw SASL token (Kafka's pre-KIP-152 flow).
        var rawSaslTokenExpected = false
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let id = connectionIds.add(1, ordering: .relaxed).newValue
        let remote = connection.channel.remoteAddress?.ipAddress ?? "unknown"
        var logger = self.logger
        logger[metadataKey: "connection.id"] = "\(id)"
        logger[metadataKey: "remote"] = "\(remote)"
        let limit = admin.config.maxConnections
        guard admin.metrics.admitConnection(limit: limit) else {
            logger.warning("refusing Kafka connection: limit reached", metadata: ["limit": "\(limit)"])
            try? await connection.executeThenClose { _, _ in }
            return
        }
        defer { admin.metrics.connectionClosed() }
        let context = KafkaRequestContext(
            server: self, backend: admin.backend, notifier: admin.notifier, logger: logger, remoteHost: remote)
        var session = Session(role: admin.config.tokens == nil ? .admin : nil)
        do {
            try await connection.executeThenClose { inbound, outbound in
                do {
                    for try await frame in inbound {
                        switch await handle(frame: frame, session: &session, context: context) {
                        case .respond(let response):
                            try await outbound.write(response)
                        case .noResponse:
                            continue
                        case .respondAndClose(let response):
                            try await outbound.write(response)
                            try await connection.channel.writeAndFlush(ByteBuffer()).get()
                            return
                        case .close(let reason):
                            logger.info("closing Kafka connection: \(reason)")
                            return
                        }
                    }
                    try await connection.channel.writeAndFlush(ByteBuffer()).get()
                } catch let error as AdminProtocolFrameError {
                    logger.warning("closing Kafka connection: \(error)")
                }
            }
        } catch {
            logger.debug("Kafka connection ended", metadata: ["error": "\(error)"])
        }
    }

    enum Outcome {
        case respond(ByteBuffer)
        case respondAndClose(ByteBuffer)
        /// acks=0 Produce: Kafka sends nothing back.
        case noResponse
        case close(String)
    }

    private func handle(frame: ByteBuffer, session: inout Session, context: KafkaRequestContext) async -> Outcome {
        var payload = frame
        if session.rawSaslTokenExpected {
            session.rawSaslTokenExpected = false
            guard let role = KafkaHandlers.plainRole(Array(payload.readableBytesView), context: context) else {
                return .close("SASL/PLAIN authentication failed")
            }
            session.role = role
            // The server's (empty) SASL token, framed as a raw token is: a size of 0.
            var empty = ByteBuffer()
            empty.writeInteger(Int32(0))
            return .respond(empty)
        }
        guard let apiKey = payload.getInteger(at: payload.readerIndex, as: Int16.self),
            let apiVersion = payload.getInteger(at: payload.readerIndex + 2, as: Int16.self)
        else { return .close("a frame too short for a request header") }
        let header: RequestHeader
        do {
            header = try RequestHeader(
                from: &payload, version: KafkaHeaders.requestHeaderVersion(apiKey: apiKey, apiVersion: apiVersion))
        } catch {
            return .close("unreadable request header: \(error)")
        }
        guard let api = KafkaApiKey(rawValue: apiKey), let range = KafkaApis.supported[api] else {
            return .close("API key \(apiKey) is not one this broker serves")
        }
        let reply = KafkaReply(header: header)
        guard range.contains(apiVersion) else {
            if api == .apiVersions {
                // Kafka answers an ApiVersions it cannot parse in version 0, with its ranges.
                var response = KafkaApis.apiVersionsResponse()
                response.errorCode = KafkaErrorCode.unsupportedVersion.rawValue
                return (try? reply.frame(response, version: 0)).map { .respond($0) } ?? .close("ApiVersions v0")
            }
            return .close("\(api.name) version \(apiVersion) is outside \(range.lowerBound)–\(range.upperBound)")
        }
        if session.role == nil && ![.apiVersions, .saslHandshake, .saslAuthenticate].contains(api) {
            return .close("\(api.name) before SASL authentication (this broker requires SASL/PLAIN)")
        }
        do {
            return try await KafkaHandlers.dispatch(
                api, header: header, body: &payload, reply: reply, session: &session, context: context)
        } catch let error as KafkaResponseEncodingError {
            context.logger.error("closing Kafka connection: \(error)")
            return .close("a response could not be encoded")
        } catch {
            context.logger.warning(
                "closing Kafka connection: malformed \(api.name) v\(apiVersion)",
                metadata: ["error": "\(error)", "client.id": "\(header.clientId ?? "")"])
            return .close("malformed request")
        }
    }
}

/// Frames a response to one request: size, correlation id, the header's tagged fields when it
/// is flexible, the body.
struct KafkaReply: Sendable {
    let header: RequestHeader

    func frame<R: KafkaMessage>(_ response: R, version: Int16? = nil) throws(KafkaResponseEncodingError) -> ByteBuffer {
        let version = version ?? header.requestApiVersion
        var out = ByteBuffer()
        out.reserveCapacity(256)
        out.writeInteger(Int32(0))
        out.writeInteger(header.correlationId)
        if KafkaHeaders.responseHeaderVersion(apiKey: header.requestApiKey, apiVersion: version) >= 1 {
            out.writeInteger(UInt8(0))
        }
        do {
            try response.write(into: &out, version: version)
        } catch {
            // A response the codec refuses is a bug in a handler: the connection is closed with an
            // error in the log (KafkaServer), never answered with garbage.
            throw KafkaResponseEncodingError(api: R.self, version: version, error: error)
        }
        out.setInteger(Int32(out.readableBytes - 4), at: out.readerIndex)
        return out
    }
}

/// A handler built a response the codec cannot write in the request's version.
struct KafkaResponseEncodingError: Error, CustomStringConvertible {
    let api: any KafkaMessage.Type
    let version: Int16
    let error: KafkaCodecError

    var description: String { "cannot encode \(api) v\(version): \(error)" }
}
