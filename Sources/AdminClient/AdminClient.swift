import AdminProtocol
import NIOCore
import NIOPosix
import Synchronization

/// An async client for a Skiff broker's admin protocol, used by the `skiff` CLI and the
/// terminal UI.
///
/// One client keeps one connection, opened on first use and reopened on the next request after
/// it breaks. Requests may be issued concurrently from many tasks: they are pipelined on the
/// connection and matched to their responses by correlation id. Every request has a timeout.
public final class AdminClient: Sendable {
    /// Where the broker is, as `host:port`.
    public let address: String
    /// The broker's host.
    public let host: String
    /// The broker's port.
    public let port: Int
    /// How long a request (and connecting) may take.
    public let timeout: Duration
    let clientName: String
    let authToken: String?
    private let group: any EventLoopGroup
    private let state = Mutex<ConnectionState>(.idle)
    private let correlationIds = Atomic<UInt32>(0)

    private enum ConnectionState {
        case idle
        case connecting(Task<ClientConnection, any Error>)
        case connected(ClientConnection)
        case closed
    }

    /// A client for the broker at `host:port`; nothing is sent until the first request.
    public init(
        host: String, port: Int, clientName: String = "skiff", authToken: String? = nil,
        timeout: Duration = .seconds(10), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.address = "\(host):\(port)"
        self.clientName = clientName
        self.authToken = authToken
        self.timeout = timeout
        self.group = group
    }

    /// Parses `host:port` (or `[v6]:port`, or a bare port meaning 127.0.0.1).
    public static func parseAddress(_ text: String) -> (host: String, port: Int)? {
        if let port = Int(text), (1...65535).contains(port) { return ("127.0.0.1", port) }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let host = String(text[..<colon])
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        return (host, port)
    }

    /// Closes the connection; later requests fail with ``AdminClientError/closed``.
    public func close() async {
        let previous = state.withLock { state -> ConnectionState in
            defer { state = .closed }
            return state
        }
        switch previous {
        case .connected(let connection): await connection.close()
        case .connecting(let task): (try? await task.value)?.channel.close(promise: nil)
        case .idle, .closed: break
        }
    }

    /// The broker version reported in the handshake (connecting if needed).
    public func brokerVersion() async throws(AdminClientError) -> String {
        try await connection().brokerVersion
    }

    /// What the broker lets this client do, as granted to its token in the handshake (connecting
    /// if needed): ``AdminRole/admin`` when the broker has no authentication. A missing or wrong
    /// token fails with the broker's `AUTHENTICATION_FAILED`.
    public func role() async throws(AdminClientError) -> AdminRole {
        try await connection().role
    }

    /// Whether a connection is currently open.
    public var isConnected: Bool {
        state.withLock {
            if case .connected(let c) = $0 { return c.isActive }
            return false
        }
    }

    // MARK: - Connection management

    func connection() async throws(AdminClientError) -> ClientConnection {
        enum Next {
            case ready(ClientConnection)
            case wait(Task<ClientConnection, any Error>)
            case closed
        }
        let next = state.withLock { state -> Next in
            switch state {
            case .connected(let c) where c.isActive:
                return .ready(c)
            case .connecting(let task):
                return .wait(task)
            case .closed:
                return .closed
            case .idle, .connected:
                let (host, port, group, name, token, timeout) = (
                    self.host, self.port, self.group, self.clientName, self.authToken, self.timeout
                )
                let task = Task<ClientConnection, any Error> {
                    try await ClientConnection.connect(
                        host: host, port: port, group: group, clientName: name, authToken: token, timeout: timeout)
                }
                state = .connecting(task)
                return .wait(task)
            }
        }
        switch next {
        case .ready(let c): return c
        case .closed: throw .closed
        case .wait(let task):
            do {
                let c = try await task.value
                state.withLock { state in
                    if case .connecting = state { state = .connected(c) }
                }
                return c
            } catch {
                state.withLock { state in
                    if case .connecting = state { state = .idle }
                }
                throw (error as? AdminClientError) ?? .unreachable(address: address, reason: "\(error)")
            }
        }
    }

    func nextCorrelationId() -> UInt32 {
        // 0 is reserved for connection-level errors; ids wrap after 4 billion requests.
        var id = correlationIds.add(1, ordering: .relaxed).newValue
        if id == 0 { id = correlationIds.add(1, ordering: .relaxed).newValue }
        return id
    }

    /// Sends `request` and returns the broker's response body.
    func send(_ request: AdminRequest) async throws(AdminClientError) -> AdminResponse {
        let api = request.apiKey
        let connection = try await connection()
        guard let version = connection.versions[api.rawValue] else {
            throw .incompatible(
                "the broker (Skiff \(connection.brokerVersion)) does not support \(api.name) v\(api.supportedVersions.lowerBound)–v\(api.supportedVersions.upperBound), which this client needs; upgrade the broker"
            )
        }
        guard version >= request.minimumVersion else {
            throw .incompatible(
                "the broker (Skiff \(connection.brokerVersion)) supports \(api.name) up to v\(version), and this request needs v\(request.minimumVersion)\(Self.why(request)); upgrade the broker"
            )
        }
        let correlationId = nextCorrelationId()
        let frame = AdminFrame.encodeRequest(request, version: version, correlationId: correlationId)
        guard frame.readableBytes <= connection.maxFrameBytes else {
            throw .broker(
                code: .frameTooLarge,
                message:
                    "the request is \(frame.readableBytes) bytes, more than the broker's limit of \(connection.maxFrameBytes); send fewer or smaller records"
            )
        }
        var payload = try await connection.router.send(
            frame, correlationId: correlationId, on: connection.channel, timeout: timeout, api: api.name)
        return try Self.decode(&payload, api: api, version: version)
    }

    /// What in `request` needs a newer version than 1, for the message when the broker lacks it.
    static func why(_ request: AdminRequest) -> String {
        if case .resetGroupOffsets = request { return " to reset chosen partitions (whole topics work with v1)" }
        return ""
    }

    static func decode(
        _ payload: inout ByteBuffer, api: ApiKey, version: UInt16
    ) throws(AdminClientError) -> AdminResponse {
        let header: ResponseHeader
        let body: AdminResponse?
        do {
            (header, body) = try AdminFrame.decodeResponse(payload: &payload, expecting: api, version: version)
        } catch {
            throw .malformedResponse("\(error)")
        }
        if header.errorCode != 0 {
            throw .broker(
                code: AdminErrorCode(rawValue: header.errorCode) ?? .unknownServerError,
                message: header.errorMessage.isEmpty ? "error \(header.errorCode)" : header.errorMessage)
        }
        guard let body else { throw .malformedResponse("\(api.name) response without a body") }
        return body
    }

    // MARK: - Subscriptions

    /// Follows partitions (live tail) and/or a group's lag: the broker pushes events until the
    /// returned stream is dropped or cancelled, or the connection breaks (the stream then
    /// throws; subscribe again to resume). Up to 1,000 events are buffered for a slow reader;
    /// beyond that the stream ends with ``AdminClientError/fellBehind(subscriptionId:)`` rather
    /// than skip events silently.
    public func subscribe(
        partitions: [SubscribePartition], lagGroupId: String = "", lagInterval: Duration = .seconds(1)
    ) async throws(AdminClientError) -> AsyncThrowingStream<SubscriptionEvent, any Error> {
        let request = SubscribeRequest(
            partitions: partitions, lagGroupId: lagGroupId, lagIntervalMs: Int32(lagInterval.nanoseconds / 1_000_000))
        return try await openStream(.subscribe(request), api: .subscribe).1
    }

    /// Searches a topic where its records are (Search): returns the number of offsets the search
    /// looks at and the stream of its events — `records` with the matches, `searchProgress`, then
    /// one `searchDone`, after which the stream finishes. Dropping or cancelling the stream cancels
    /// the search on the broker.
    public func search(
        _ request: SearchRequest
    ) async throws(AdminClientError) -> (totalOffsets: Int64, events: AsyncThrowingStream<SubscriptionEvent, any Error>)
    {
        let (response, stream) = try await openStream(.search(request), api: .search)
        guard case .search(let r) = response else { throw unexpected() }
        return (r.totalOffsets, stream)
    }

    /// Sends a request whose answer opens a stream of push frames (Subscribe, Search) and returns
    /// the answer with the stream. Up to 1,000 events are buffered for a slow reader; beyond that
    /// the stream ends with ``AdminClientError/fellBehind(subscriptionId:)``. When the reader drops
    /// the stream before the broker ended it, the client sends Unsubscribe.
    private func openStream(
        _ request: AdminRequest, api: ApiKey
    ) async throws(AdminClientError) -> (AdminResponse, AsyncThrowingStream<SubscriptionEvent, any Error>) {
        let connection = try await connection()
        guard let version = connection.versions[api.rawValue] else {
            throw .incompatible("the broker does not support \(api.name)")
        }
        let correlationId = nextCorrelationId()
        let (stream, continuation) = AsyncThrowingStream<SubscriptionEvent, any Error>.makeStream(
            bufferingPolicy: .bufferingNewest(1_000))
        let loop = connection.channel.eventLoop
        connection.router.addSubscription(correlationId, continuation, version: version, on: loop)
        let response: AdminResponse
        do {
            var payload = try await connection.router.send(
                AdminFrame.encodeRequest(request, version: version, correlationId: correlationId),
                correlationId: correlationId, on: connection.channel, timeout: timeout, api: api.name)
            response = try Self.decode(&payload, api: api, version: version)
        } catch {
            connection.router.removeSubscription(correlationId, on: loop)
            throw error
        }
        let router = connection.router
        let channel = connection.channel
        let timeout = self.timeout
        continuation.onTermination = { [self] termination in
            router.removeSubscription(correlationId, on: loop)
            // Tell the broker to stop pushing (the reader went away, or fell behind); best effort.
            if case .finished(nil) = termination { return }  // the broker ended it itself
            guard channel.isActive else { return }
            let unsubscribeId = self.nextCorrelationId()
            Task {
                _ = try? await router.send(
                    AdminFrame.encodeRequest(
                        .unsubscribe(UnsubscribeRequest(subscriptionId: correlationId)), version: 1,
                        correlationId: unsubscribeId),
                    correlationId: unsubscribeId, on: channel, timeout: timeout, api: "Unsubscribe")
            }
        }
        return (response, stream)
    }
}
