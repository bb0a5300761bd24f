import AdminProtocol
import BrokerCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The admin protocol server: a SwiftNIO TCP listener that decodes frames, runs each request
/// through its per-API handler against a ``BrokerBackend``, and writes the responses back.
///
/// Requests of one connection are handled in order (a produce pipelined after another lands
/// after it), up to ``AdminServerConfig/maxInFlightRequests`` are read ahead; connections are
/// independent of each other, so a slow or stuck client never holds up another. A client that
/// half-closes its side after sending requests gets every answer before the connection closes.
public final class AdminServer: Sendable {
    /// The limits and address this server was created with.
    public let config: AdminServerConfig
    let backend: any BrokerBackend
    let logger: Logger
    let metrics = ServerMetrics()
    let notifier = AppendNotifier()
    let kafkaAnnouncement = KafkaListenerAnnouncement()
    private let group: any EventLoopGroup
    private let state = Mutex<RunState>(RunState())
    private let connectionIds = Atomic<Int>(0)

    private struct RunState {
        var channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>?
        var localAddress: SocketAddress?
    }

    /// Creates a server for `backend`; nothing is bound until ``bind()``.
    public init(
        backend: any BrokerBackend, config: AdminServerConfig = AdminServerConfig(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "skiff.server")
    ) {
        self.backend = backend
        self.config = config
        self.group = group
        self.logger = logger
    }

    /// Binds the listening socket and returns the address it is bound to (the real port when
    /// the config asked for port 0).
    @discardableResult
    public func bind() async throws -> SocketAddress {
        let channel = try await Self.listen(
            group: group, host: config.host, port: config.port, config: config, logger: logger)
        guard let address = channel.channel.localAddress else {
            throw BrokerError.storage("the listening socket has no local address")
        }
        state.withLock {
            $0.channel = channel
            $0.localAddress = address
        }
        return address
    }

    /// Binds a listening socket whose connections get the machinery every listener shares (the
    /// admin protocol's and Kafka's: both frame with a 4-byte big-endian length): the idle
    /// timeout, the slow-client guard, the frame size limit and read-ahead of up to
    /// ``AdminServerConfig/maxInFlightRequests`` frames, answered in order by the caller.
    static func listen(
        group: any EventLoopGroup, host: String, port: Int, config: AdminServerConfig, logger: Logger
    ) async throws -> NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never> {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 << 10, high: 1 << 20))
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client that half-closes after its requests (shutdown(SHUT_WR)) still gets the answers.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(allTimeout: config.idleTimeout),
                        IdleCloseHandler(),
                        SlowClientGuard(
                            frameTimeout: config.frameTimeout, maxFrameBytes: config.maxFrameBytes, logger: logger),
                        ByteToMessageHandler(AdminFrameHandler(maxFrameBytes: config.maxFrameBytes)),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(
                            backPressureStrategy: .init(lowWatermark: 2, highWatermark: config.maxInFlightRequests),
                            isOutboundHalfClosureEnabled: false))
                }
            }
    }

    /// The event loops this server (and a Kafka listener sharing it) runs on.
    var eventLoopGroup: any EventLoopGroup { group }

    /// The bound address, once ``bind()`` returned.
    public var localAddress: SocketAddress? { state.withLock { $0.localAddress } }

    /// Number of open client connections.
    public var connectionCount: Int { metrics.connectionCount }

    /// Serves connections until the task is cancelled or ``close()`` is called, and samples the
    /// produce/fetch counters for ClusterInfo's rates. The broker's own maintenance (retention,
    /// flushing, group session expiry) is the caller's to run: see `Broker.runMaintenance()`.
    public func run() async throws {
        guard let channel = state.withLock({ $0.channel }) else {
            preconditionFailure("call bind() before run()")
        }
        let host = config.host
        logger.info("admin server listening", metadata: ["address": "\(localAddress.map { "\($0)" } ?? host)"])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.sampleRates() }
            try await channel.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection) }
                }
            }
            group.cancelAll()
        }
    }

    /// Stops accepting connections; ``run()`` returns once open connections are done.
    public func close() async {
        guard let channel = state.withLock({ $0.channel }) else { return }
        try? await channel.channel.close()
    }

    private func sampleRates() async {
        while !Task.isCancelled {
            metrics.sample(now: backend.nowMilliseconds(), counters: backend.trafficCounters())
            try? await Task.sleep(for: .seconds(1))
        }
    }

    // MARK: - One connection

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let id = connectionIds.add(1, ordering: .relaxed).newValue
        let remote = connection.channel.remoteAddress?.ipAddress ?? "unknown"
        var logger = self.logger
        logger[metadataKey: "connection.id"] = "\(id)"
        guard metrics.admitConnection(limit: config.maxConnections) else {
            logger.warning("refusing connection: limit reached", metadata: ["limit": "\(config.maxConnections)"])
            try? await connection.executeThenClose { _, outbound in
                try await outbound.write(
                    AdminFrame.encodeResponse(
                        correlationId: 0,
                        error: (.tooManyRequests, "the broker is at its limit of \(config.maxConnections) connections"),
                        body: nil))
            }
            return
        }
        defer { metrics.connectionClosed() }
        let handshakeDeadline = closeUnlessHandshaken(connection.channel, logger: logger)
        defer { handshakeDeadline.cancel() }
        let context = RequestContext(
            backend: backend, config: config, metrics: metrics, notifier: notifier,
            connection: ConnectionInfo(id: id, remoteHost: remote), logger: logger, kafkaAnnouncement: kafkaAnnouncement
        )
        do {
            try await connection.executeThenClose { inbound, outbound in
                let subscriptions = SubscriptionSet(context: context, outbound: outbound)
                defer { subscriptions.cancelAll() }
                // nil until a handshake succeeds; then what the connection's token allows.
                var role: AdminRole?
                do {
                    for try await frame in inbound {
                        var payload = frame
                        let header: RequestHeader
                        do {
                            header = try RequestHeader(from: &payload)
                        } catch {
                            try await outbound.write(Self.errorFrame(0, .malformedRequest, "\(error)"))
                            return
                        }
                        if role == nil && header.apiKey != ApiKey.apiVersions.rawValue {
                            logger.info("request before handshake; closing")
                            try await outbound.write(
                                Self.errorFrame(
                                    header.correlationId, .handshakeRequired,
                                    "send ApiVersions first: this is a Skiff admin port, and clients must handshake"))
                            return
                        }
                        if header.apiKey == ApiKey.apiVersions.rawValue {
                            switch handshake(header: header, body: &payload, context: context) {
                            case .accepted(let granted, let response):
                                role = granted
                                handshakeDeadline.cancel()
                                try await outbound.write(response)
                            case .refused(let response):
                                try await outbound.write(response)
                                return
                            case .malformed(let response):
                                try await outbound.write(response)
                            }
                            continue
                        }
                        let response = await handle(
                            header: header, body: &payload, role: role ?? .admin, context: context,
                            subscriptions: subscriptions)
                        try await outbound.write(response)
                        // Only now may a new subscription push: its response is ahead in the writer.
                        if header.apiKey == ApiKey.subscribe.rawValue || header.apiKey == ApiKey.search.rawValue {
                            subscriptions.startPending()
                        }
                    }
                    // The client half-closed (or closed) its side, and every request it sent is
                    // answered. Closing fails the writes still queued for a full socket, so wait
                    // until they are out: an empty write completes after every write before it.
                    try await connection.channel.writeAndFlush(ByteBuffer()).get()
                } catch let error as AdminProtocolError {
                    // The frame stream itself is broken (oversized or malformed length): answer once, close.
                    logger.warning("closing connection: \(error)")
                    let code: AdminErrorCode =
                        if case .frameTooLarge = error { .frameTooLarge } else { .malformedRequest }
                    try? await outbound.write(Self.errorFrame(0, code, "\(error)"))
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Closes `channel` after ``AdminServerConfig/handshakeTimeout`` unless the returned task is
    /// cancelled first (by a successful handshake), answering `HANDSHAKE_REQUIRED` before closing.
    private func closeUnlessHandshaken(_ channel: any Channel, logger: Logger) -> Scheduled<Void> {
        let limit = SlowClientGuard.describe(config.handshakeTimeout)
        return channel.eventLoop.scheduleTask(in: config.handshakeTimeout) {
            logger.warning("closing connection: no handshake in time", metadata: ["limit": "\(limit)"])
            channel.writeAndFlush(
                Self.errorFrame(
                    0, .handshakeRequired, "no ApiVersions handshake within \(limit): closing the connection"),
                promise: nil)
            channel.close(promise: nil)
        }
    }

    static func errorFrame(_ correlationId: UInt32, _ code: AdminErrorCode, _ message: String) -> ByteBuffer {
        AdminFrame.encodeResponse(correlationId: correlationId, error: (code, message), body: nil)
    }

    private enum HandshakeOutcome {
        case accepted(AdminRole, ByteBuffer)
        /// Authentication failed: answer, then close.
        case refused(ByteBuffer)
        /// The request did not decode: answer; the connection stays open and unauthenticated.
        case malformed(ByteBuffer)
    }

    /// Answers an ApiVersions request, authenticating its token when the config has tokens.
    private func handshake(header: RequestHeader, body: inout ByteBuffer, context: RequestContext) -> HandshakeOutcome {
        let request: ApiVersionsRequest
        do {
            guard case .apiVersions(let r) = try AdminRequest.decode(header: header, body: &body) else {
                preconditionFailure("an ApiVersions header decodes to an ApiVersions request")
            }
            request = r
        } catch {
            context.logger.info("bad handshake", metadata: ["error": "\(error)"])
            return .malformed(Self.errorFrame(header.correlationId, error.errorCode, "\(error)"))
        }
        var role = AdminRole.admin
        if let tokens = config.tokens {
            guard let granted = Authentication.role(for: request.authToken, in: tokens) else {
                let reason =
                    request.authToken == nil
                    ? "this broker requires a token and the client sent none; give the client --auth-token-file or $SKIFF_AUTH_TOKEN"
                    : "the token is not one this broker accepts"
                context.logger.warning(
                    "authentication failed; closing",
                    metadata: ["remote": "\(context.connection.remoteHost)", "client.name": "\(request.clientName)"])
                return .refused(
                    Self.errorFrame(header.correlationId, .authenticationFailed, "authentication failed: \(reason)"))
            }
            role = granted
        }
        let response = ApiVersionsHandler.handle(request, role: role, context)
        return .accepted(
            role,
            AdminFrame.encodeResponse(correlationId: header.correlationId, error: nil, body: .apiVersions(response)))
    }

    private func handle(
        header: RequestHeader, body: inout ByteBuffer, role: AdminRole, context: RequestContext,
        subscriptions: SubscriptionSet
    ) async -> ByteBuffer {
        let request: AdminRequest
        do {
            request = try AdminRequest.decode(header: header, body: &body)
        } catch {
            context.logger.info(
                "bad request", metadata: ["api.key": "\(header.apiKey)", "error": "\(error)"])
            return Self.errorFrame(header.correlationId, error.errorCode, "\(error)")
        }
        if role == .readOnly, let refusal = Authentication.refusal(readOnly: request) {
            return Self.errorFrame(header.correlationId, .clusterAuthorizationFailed, refusal)
        }
        do {
            let response = try await dispatch(request, header: header, context: context, subscriptions: subscriptions)
            return AdminFrame.encodeResponse(
                correlationId: header.correlationId, error: nil, body: response, version: header.apiVersion)
        } catch {
            if error.code == .unknownServerError || error.code == .kafkaStorageError {
                context.logger.error(
                    "request failed", metadata: ["api.key": "\(header.apiKey)", "error": "\(error.message)"])
            }
            return Self.errorFrame(header.correlationId, error.code, error.message)
        }
    }
}

/// Closes a connection when the idle handler says it has been silent too long.
final class IdleCloseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
