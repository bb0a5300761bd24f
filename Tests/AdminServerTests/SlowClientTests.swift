import AdminClient
import AdminProtocol
import AdminServer
import BrokerTestSupport
import Foundation
import NIOCore
import Testing

/// Slow-loris clients: the frame-completion and handshake timeouts close them, and nobody else
/// notices. No assertion here is about how fast anything happens.
@Suite(.timeLimit(.minutes(2)))
struct SlowClientTests {
    /// A client that sends a length prefix and then dribbles the payload slower than the frame
    /// timeout is answered TOO_MANY_REQUESTS and closed; another client is served throughout.
    @Test func dribblingFrameIsClosedWhileOthersAreServed() async throws {
        let broker = try await TestBroker { $0.frameTimeout = .milliseconds(300) }
        defer { broker.removeData() }
        let good = broker.client()
        try await good.createTopic("t", partitions: 1)
        let loris = try RawConnection(port: broker.port)
        loris.send(handshakeFrame())
        #expect(try responseHeader(await loris.readFrame()).errorCode == 0)
        // A ListTopics frame claiming 1,000 bytes: 4 length bytes and the header, then a byte
        // every 100 ms. It can never complete (at most 40 more bytes are sent).
        let claimed = rawFrame(
            apiKey: ApiKey.listTopics.rawValue, correlationId: 2, body: [UInt8](repeating: 0, count: 992))
        loris.send(Array(claimed.prefix(12)))
        let dribble = Task {
            for _ in 0..<40 {
                try await Task.sleep(for: .milliseconds(100))
                loris.send([0])
            }
        }
        // Meanwhile the other client is served.
        for _ in 0..<10 {
            #expect(try await good.listTopics().map(\.name) == ["t"])
        }
        guard case .frame(let payload) = await loris.next() else {
            Issue.record("expected an error frame before the close")
            return
        }
        let header = try responseHeader(payload)
        #expect(header.correlationId == 0)
        #expect(header.knownErrorCode == .tooManyRequests)
        #expect(header.errorMessage.contains("frame not completed within 300 ms"), "\(header.errorMessage)")
        #expect(await loris.readUntilClosed())
        dribble.cancel()
        // And after.
        for _ in 0..<10 {
            #expect(try await good.listTopics().map(\.name) == ["t"])
        }
        let fresh = broker.client(name: "fresh")
        #expect(try await fresh.describeTopic("t").partitions.count == 1)
        await fresh.close()
        await good.close()
        try await broker.stop()
    }

    /// A connection that never sends ApiVersions is answered HANDSHAKE_REQUIRED and closed after
    /// the handshake timeout; one that handshook stays open past it.
    @Test func clientThatNeverHandshakesIsClosed() async throws {
        // Long enough that the handshaken connection is surely answered in time on a busy machine.
        let broker = try await TestBroker { $0.handshakeTimeout = .seconds(2) }
        defer { broker.removeData() }
        let handshook = try RawConnection(port: broker.port)
        handshook.send(handshakeFrame())
        #expect(try responseHeader(await handshook.readFrame()).errorCode == 0)
        let silent = try RawConnection(port: broker.port)
        guard case .frame(let payload) = await silent.next() else {
            Issue.record("expected an error frame before the close")
            return
        }
        let header = try responseHeader(payload)
        #expect(header.knownErrorCode == .handshakeRequired)
        #expect(header.errorMessage.contains("no ApiVersions handshake within 2 s"), "\(header.errorMessage)")
        #expect(await silent.readUntilClosed())
        // The silent one was closed after the handshake timeout, so the handshaken one has been
        // open longer than that too: it is still served.
        handshook.send(rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: 5, body: [0]))
        let answer = try responseHeader(await handshook.readFrame())
        #expect(answer.correlationId == 5 && answer.errorCode == 0)
        // A connection that starts the handshake frame but never finishes it is closed as well.
        let partial = try RawConnection(port: broker.port)
        partial.send(Array(handshakeFrame().readableBytesView.prefix(6)))
        #expect(await partial.readUntilClosed())
        try await broker.stop()
    }

    /// Frames sent slowly, each within the frame timeout, are all served, even when together
    /// they take longer than the timeout.
    @Test func slowFramesWithinTheTimeoutAreServed() async throws {
        let broker = try await TestBroker { $0.frameTimeout = .seconds(2) }
        defer { broker.removeData() }
        let slow = try RawConnection(port: broker.port)
        slow.send(handshakeFrame())
        #expect(try responseHeader(await slow.readFrame()).errorCode == 0)
        for correlationId in UInt32(10)..<20 {
            // 13 bytes, one every 20 ms.
            await slow.sendSlowly(
                rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: correlationId, body: [0]),
                gap: .milliseconds(20))
            let header = try responseHeader(await slow.readFrame())
            #expect(header.correlationId == correlationId && header.errorCode == 0)
        }
        try await broker.stop()
    }

    /// Time the broker stops reading because the connection has too many requests waiting (here:
    /// the client is slow to read its large responses) is not the client's: a frame it had
    /// started before that is not cut off by the frame timeout.
    @Test func brokerBackpressureDoesNotCountAgainstTheClient() async throws {
        let broker = try await TestBroker { $0.frameTimeout = .milliseconds(300) }
        defer { broker.removeData() }
        let admin = broker.client()
        try await admin.createTopic("big", partitions: 1)
        let value = [UInt8](repeating: 0x61, count: 10_000)
        for _ in 0..<2 {
            _ = try await admin.produce(
                topic: "big",
                records: (0..<100).map { _ in
                    ProduceRecord(partition: 0, key: nil, value: value, headers: [], timestampMs: -1)
                })
        }
        let client = try RawConnection(port: broker.port)
        client.send(handshakeFrame())
        #expect(try responseHeader(await client.readFrame()).errorCode == 0)
        // 80 fetches of ~1 MiB each (more than the 64 requests the broker reads ahead) and the
        // first half of a ListTopics, in one write; then nothing is read for a while, so the
        // broker's writes back up and it stops reading.
        let fetch = AdminFrame.encodeRequest(
            .fetch(FetchRequest(topic: "big", partition: 0, start: .earliest, maxRecords: 10_000, maxBytes: 1 << 20)),
            version: 1, correlationId: 3)
        var burst: [UInt8] = []
        for _ in 0..<80 { burst += Array(fetch.readableBytesView) }
        let listTopics = rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: 4, body: [0])
        client.send(burst + listTopics.prefix(6))
        try await Task.sleep(for: .seconds(1))
        client.send(Array(listTopics.dropFirst(6)))
        // Everything is answered and the connection stays open.
        var fetched = 0
        var listed = false
        for _ in 0..<81 {
            guard case .frame(let payload) = await client.next() else {
                Issue.record("the connection ended after \(fetched) fetch responses")
                break
            }
            let header = try responseHeader(payload)
            #expect(header.errorCode == 0, "\(header.errorMessage)")
            if header.correlationId == 3 { fetched += 1 }
            if header.correlationId == 4 { listed = true }
        }
        #expect(fetched == 80 && listed)
        await admin.close()
        try await broker.stop()
    }
}
