import AdminProtocol
import NIOCore
import NIOPosix
import Synchronization

/// One TCP connection to a broker: sends request frames and routes response frames back to
/// their callers by correlation id, and push frames to their subscription streams.
final class ClientConnection: Sendable {
    let channel: any Channel
    let router: ResponseRouter
    /// Negotiated version per API key (the highest both sides support).
    let versions: [UInt16: UInt16]
    /// What the broker reported in the handshake.
    let brokerVersion: String
    let maxFrameBytes: Int
    /// What the broker lets this connection do.
    let role: AdminRole

    private init(
        channel: any Channel, router: ResponseRouter, versions: [UInt16: UInt16], brokerVersion: String,
        maxFrameBytes: Int, role: AdminRole
    ) {
        self.channel = channel
        self.router = router
        self.versions = versions
        self.brokerVersion = brokerVersion
        self.maxFrameBytes = maxFrameBytes
        self.role = role
    }

    var isActive: Bool { channel.isActive }

    /// Connects, then performs the ApiVersions handshake.
    static func connect(
        host: String, port: Int, group: any EventLoopGroup, clientName: String, authToken: String?,
        timeout: Duration
    ) async throws(AdminClientError) -> ClientConnection {
        let address = "\(host):\(port)"
        let router = ResponseRouter(address: address)
        let firstBytes = FirstBytes()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(timeout.nanoseconds))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            firstBytes, ByteToMessageHandler(AdminFrameHandler(maxFrameBytes: 64 << 20)), router,
                        ])
                    }
                }
                .connect(host: host, port: port).get()
        } catch let error as IOError {
            throw .unreachable(address: address, reason: Self.describe(error))
        } catch let error as NIOConnectionError {
            // Connecting by host name goes through NIO's resolver, which wraps the socket errors.
            if let dnsError = error.dnsAError ?? error.dnsAAAAError {
                throw .unreachable(address: address, reason: "cannot resolve \(host): \(dnsError)")
            }
            let reason = error.connectionErrors.first.map { failure in
                (failure.error as? IOError).map(Self.describe) ?? "\(failure.error)"
            }
            throw .unreachable(address: address, reason: reason ?? "\(error)")
        } catch let error as ChannelError {
            if case .connectTimeout = error {
                throw .unreachable(address: address, reason: "connection timed out")
            }
            throw .unreachable(address: address, reason: "\(error)")
        } catch {
            throw .unreachable(address: address, reason: "\(error)")
        }
        let request = ApiVersionsRequest(clientName: clientName, clientVersion: "0.1.0", authToken: authToken)
        let payload: ByteBuffer
        do {
            payload = try await router.send(
                AdminFrame.encodeRequest(.apiVersions(request), version: 1, correlationId: 0), correlationId: 0,
                on: channel, timeout: timeout, api: "ApiVersions")
        } catch {
            try? await channel.close()
            // Something answered on that port, but not a Skiff broker: say so at once rather than
            // retry a handshake that cannot succeed.
            let seen = firstBytes.preview
            switch error {
            case .connectionLost where seen.isEmpty:
                throw .incompatible(
                    "the server at \(address) closed the connection without answering the handshake: not a Skiff broker? (is this the right port?)"
                )
            case .connectionLost:
                throw .incompatible(
                    "the server at \(address) answered \(seen): not a Skiff broker? (is this the right port?)"
                )
            case .timedOut(_, _, let after) where !seen.isEmpty:
                throw .incompatible(
                    "the server at \(address) answered \(seen) but no handshake within \(after): not a Skiff broker? (is this the right port?)"
                )
            case .timedOut(_, _, let after):
                throw .incompatible(
                    "the server at \(address) accepted the connection but did not answer the handshake within \(after): not a Skiff broker, or one too busy to answer?"
                )
            default:
                throw error
            }
        }
        var body = payload
        let versions: ApiVersionsResponse
        do {
            let (header, response) = try AdminFrame.decodeResponse(payload: &body, expecting: .apiVersions)
            if header.errorCode != 0 {
                try? await channel.close()
                throw AdminClientError.broker(
                    code: AdminErrorCode(rawValue: header.errorCode) ?? .unknownServerError,
                    message: header.errorMessage)
            }
            guard case .apiVersions(let v)? = response else {
                throw AdminClientError.malformedResponse("ApiVersions answered with another response")
            }
            versions = v
        } catch let error as AdminClientError {
            try? await channel.close()
            throw error
        } catch {
            try? await channel.close()
            let seen = firstBytes.preview
            throw .incompatible(
                "the server at \(address) does not speak Skiff's admin protocol (it answered \(seen.isEmpty ? "\(error)" : seen)): not a Skiff broker? (is this the right port?)"
            )
        }
        var negotiated: [UInt16: UInt16] = [:]
        for range in versions.apis {
            guard let key = ApiKey(rawValue: range.apiKey) else { continue }
            let ours = key.supportedVersions
            let high = min(ours.upperBound, range.maxVersion)
            if high >= max(ours.lowerBound, range.minVersion) { negotiated[range.apiKey] = high }
        }
        return ClientConnection(
            channel: channel, router: router, versions: negotiated, brokerVersion: versions.brokerVersion,
            maxFrameBytes: Int(versions.maxFrameBytes), role: versions.role)
    }

    static func describe(_ error: IOError) -> String {
        switch error.errnoCode {
        case ECONNREFUSED: "connection refused"
        case EHOSTUNREACH: "host unreachable"
        case ENETUNREACH: "network unreachable"
        case ETIMEDOUT: "connection timed out"
        default: "\(error)"
        }
    }

    func close() async {
        try? await channel.close()
    }
}

/// Keeps the first bytes the server sends, so that a handshake with something that is not a
/// Skiff broker can say what answered (`'HTTP/1.1 400 Bad Request'`, `'SSH-2.0-…'`).
final class FirstBytes: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private static let kept = 48
    private let bytes = Mutex<[UInt8]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytes.withLock { kept in
            if kept.count < Self.kept,
                let more = buffer.getBytes(
                    at: buffer.readerIndex, length: min(buffer.readableBytes, Self.kept - kept.count))
            {
                kept += more
            }
        }
        context.fireChannelRead(data)
    }

    /// The bytes seen, quoted as text when they are printable ASCII (up to the first line end),
    /// else in hex; empty when nothing came.
    var preview: String {
        let seen = bytes.withLock { $0 }
        guard !seen.isEmpty else { return "" }
        let line = seen.prefix { $0 != 0x0D && $0 != 0x0A }
        if !line.isEmpty, line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "'" + String(decoding: line, as: UTF8.self)
                + (line.count < seen.count || seen.count < Self.kept ? "'" : "…'")
        }
        return "bytes "
            + seen.prefix(16).map {
                String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
            }.joined(separator: " ")
    }
}

/// The pipeline's last handler: owns the table of requests in flight and of subscriptions.
/// All its state lives on the channel's event loop.
final class ResponseRouter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    let address: String
    /// Requests in flight: the promise of the response and the request's timeout timer.
    private var pending: [UInt32: (promise: EventLoopPromise<ByteBuffer>, timer: Scheduled<Void>)] = [:]
    /// Subscriptions: where their events go, and the version of the request that opened them
    /// (the layout of their events).
    private var pushes:
        [UInt32: (continuation: AsyncThrowingStream<SubscriptionEvent, any Error>.Continuation, version: UInt16)] = [:]
    private var closedReason: String?

    init(address: String) { self.address = address }

    /// Writes `frame` and returns the response payload with `correlationId`.
    func send(
        _ frame: ByteBuffer, correlationId: UInt32, on channel: any Channel, timeout: Duration, api: String
    ) async throws(AdminClientError) -> ByteBuffer {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: ByteBuffer.self)
        let address = self.address
        // One hop to the event loop per request: the timeout timer is armed there and cancelled
        // there when the response arrives (arming or cancelling it from this task would wake the
        // event loop's thread twice more, which showed in the one-record round trip).
        loop.execute {
            if let reason = self.closedReason {
                promise.fail(AdminClientError.connectionLost(address: address, reason: reason))
                return
            }
            let timer = loop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { () -> Void in
                self.pending.removeValue(forKey: correlationId)?.promise.fail(
                    AdminClientError.timedOut(address: address, api: api, after: timeout))
            }
            self.pending[correlationId] = (promise, timer)
            channel.writeAndFlush(frame).whenFailure { error in
                self.complete(correlationId) {
                    $0.fail(AdminClientError.connectionLost(address: address, reason: "\(error)"))
                }
            }
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as AdminClientError {
            throw error
        } catch {
            throw .connectionLost(address: address, reason: "\(error)")
        }
    }

    /// Routes push frames with `subscriptionId`, opened by a request of `version`, to
    /// `continuation` from now on.
    func addSubscription(
        _ subscriptionId: UInt32, _ continuation: AsyncThrowingStream<SubscriptionEvent, any Error>.Continuation,
        version: UInt16, on loop: any EventLoop
    ) {
        loop.execute { self.pushes[subscriptionId] = (continuation, version) }
    }

    func removeSubscription(_ subscriptionId: UInt32, on loop: any EventLoop) {
        loop.execute { self.pushes.removeValue(forKey: subscriptionId)?.continuation.finish() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var payload = unwrapInboundIn(data)
        guard let correlationId = payload.getInteger(at: payload.readerIndex, as: UInt32.self),
            let kind = payload.getInteger(at: payload.readerIndex + 4, as: UInt8.self)
        else {
            failAll("the broker sent a frame too short to be a response", context: context)
            return
        }
        if kind == ResponseKind.push.rawValue {
            guard let (continuation, version) = pushes[correlationId] else { return }  // already unsubscribed
            do {
                let event = try AdminFrame.decodePush(payload: &payload, version: version)
                if event.event.isFinal {
                    continuation.yield(event.event)
                    continuation.finish()
                    pushes[correlationId] = nil
                } else if case .dropped = continuation.yield(event.event) {
                    // The reader is too slow: end the stream loudly rather than skip events.
                    continuation.finish(throwing: AdminClientError.fellBehind(subscriptionId: correlationId))
                    pushes[correlationId] = nil
                }
            } catch {
                continuation.finish(throwing: AdminClientError.malformedResponse("\(error)"))
                pushes[correlationId] = nil
            }
            return
        }
        if pending[correlationId] != nil {
            complete(correlationId) { $0.succeed(payload) }
        } else if correlationId == 0 {
            // A connection-level error from the broker (frame too large, handshake required…).
            var copy = payload
            let message = (try? ResponseHeader(from: &copy))?.errorMessage ?? "connection closed by the broker"
            failAll(message, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(closedReason ?? "the broker closed the connection", context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll("\(error)", context: context)
        context.close(promise: nil)
    }

    /// Removes a request in flight, cancels its timer and completes its promise (on the event loop).
    private func complete(_ correlationId: UInt32, _ body: (EventLoopPromise<ByteBuffer>) -> Void) {
        guard let (promise, timer) = pending.removeValue(forKey: correlationId) else { return }
        timer.cancel()
        body(promise)
    }

    private func failAll(_ reason: String, context: ChannelHandlerContext) {
        if closedReason == nil { closedReason = reason }
        let error = AdminClientError.connectionLost(address: address, reason: reason)
        let waiting = pending
        pending.removeAll()
        for (promise, timer) in waiting.values {
            timer.cancel()
            promise.fail(error)
        }
        let streams = pushes
        pushes.removeAll()
        for stream in streams.values { stream.continuation.finish(throwing: error) }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
