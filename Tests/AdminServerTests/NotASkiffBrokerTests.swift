import AdminClient
import AdminProtocol
import NIOCore
import NIOPosix
import Testing

/// Pointed at a port where something else answers, the client says what answered, at once,
/// instead of waiting out its timeout (and the UI retrying it) for a handshake that cannot come.
struct NotASkiffBrokerTests {
    /// What the fake server does when a client connects and sends its first bytes.
    enum Behaviour: Sendable, CaseIterable {
        /// Answers like an HTTP server to a request it cannot parse, and closes.
        case httpAnswerAndClose
        /// Sends a banner (like SSH) and waits.
        case bannerAndWait
        /// Closes at once without a byte.
        case closeAtOnce
        /// Says nothing and keeps the connection open.
        case silent
    }

    final class Fake: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        init(_ behaviour: Behaviour) { self.behaviour = behaviour }

        func channelActive(context: ChannelHandlerContext) {
            switch behaviour {
            case .bannerAndWait:
                context.writeAndFlush(
                    wrapOutboundOut(ByteBuffer(string: "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")), promise: nil)
            case .closeAtOnce:
                context.close(promise: nil)
            case .httpAnswerAndClose, .silent:
                break
            }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard behaviour == .httpAnswerAndClose else { return }
            let answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            context.write(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil)
            context.flush()
            context.close(mode: .output, promise: nil)
        }
    }

    @Test(arguments: Behaviour.allCases)
    func theErrorSaysWhatAnswered(_ behaviour: Behaviour) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Fake(behaviour))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        // Only the silent server needs the timeout; the others must fail long before it.
        let timeout: Duration = behaviour == .silent ? .milliseconds(300) : .seconds(60)
        let client = AdminClient(host: "127.0.0.1", port: port, timeout: timeout)
        let started = ContinuousClock.now
        do {
            _ = try await client.listTopics()
            Issue.record("the fake server answered a Skiff request")
        } catch {
            let text = "\(error)"
            #expect(text.contains("the server at 127.0.0.1:\(port)"), "\(text)")
            #expect(text.contains("not a Skiff broker"), "\(text)")
            switch behaviour {
            case .httpAnswerAndClose: #expect(text.contains("'HTTP/1.1 400 Bad Request'"), "\(text)")
            case .bannerAndWait: #expect(text.contains("'SSH-2.0-OpenSSH_9.2p1 Debian-2'"), "\(text)")
            case .closeAtOnce: #expect(text.contains("closed the connection without answering"), "\(text)")
            case .silent: #expect(text.contains("did not answer the handshake within"), "\(text)")
            }
            if behaviour != .silent {
                // Not a timing assertion of speed: a failure that waited for the 60 s timeout would be wrong.
                #expect(ContinuousClock.now - started < .seconds(30), "\(behaviour) waited for the timeout")
            }
        }
        await client.close()
        try await server.close()
        try await group.shutdownGracefully()
    }
}
