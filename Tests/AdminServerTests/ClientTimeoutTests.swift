import AdminClient
import AdminProtocol
import NIOCore
import NIOPosix
import Testing

/// The client's per-request timeout: a request the broker never answers fails with a sentence
/// naming the API and the wait, and the connection keeps serving the requests after it (the
/// timer lives on the event loop with the request; a late answer finds nothing to complete).
struct ClientTimeoutTests {
    /// Answers the handshake like a broker, stays silent on the first request after it, and
    /// answers every later one with UNKNOWN_TOPIC_OR_PARTITION.
    final class SilentOnceBroker: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var requests = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var payload = unwrapInboundIn(data)
            guard let header = try? RequestHeader(from: &payload) else { return }
            if header.apiKey == ApiKey.apiVersions.rawValue {
                let body = ApiVersionsResponse(
                    brokerVersion: "fake", maxFrameBytes: UInt32(AdminFrame.defaultMaxFrameBytes),
                    apis: ApiKey.supportedRanges)
                context.writeAndFlush(
                    wrapOutboundOut(
                        AdminFrame.encodeResponse(
                            correlationId: header.correlationId, error: nil, body: .apiVersions(body))),
                    promise: nil)
                return
            }
            requests += 1
            guard requests > 1 else { return }  // the first request is never answered
            context.writeAndFlush(
                wrapOutboundOut(
                    AdminFrame.encodeResponse(
                        correlationId: header.correlationId, error: (.unknownTopicOrPartition, "no such topic"),
                        body: nil)),
                promise: nil)
        }
    }

    @Test func anUnansweredRequestTimesOutAndTheConnectionGoesOn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(AdminFrameHandler()), SilentOnceBroker(),
                    ])
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let client = AdminClient(host: "127.0.0.1", port: port, timeout: .milliseconds(300))
        do {
            _ = try await client.listTopics()
            Issue.record("the unanswered request returned")
        } catch {
            #expect("\(error)".contains("did not answer ListTopics within"), "\(error)")
        }
        // The same connection serves the next request: its answer is routed to it.
        do {
            _ = try await client.describeTopic("missing")
            Issue.record("expected the fake broker's error")
        } catch {
            #expect(error.brokerErrorCode == .unknownTopicOrPartition, "\(error)")
        }
        await client.close()
        try await server.close()
        try await group.shutdownGracefully()
    }
}
