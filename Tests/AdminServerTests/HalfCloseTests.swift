import AdminProtocol
import BrokerTestSupport
import NIOCore
import Testing

@Suite(.timeLimit(.minutes(2)))
struct HalfCloseTests {
    /// A client that sends its requests and then half-closes (`shutdown(SHUT_WR)`, as `nc -N`
    /// does) gets every answer before the broker closes the connection.
    @Test func requestsBeforeAHalfCloseAreAnswered() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("orders", partitions: 2)
        // Large answers too: more than the sockets buffer, so some are still queued in the broker
        // when it reads the end of the stream.
        let value = [UInt8](repeating: 0x62, count: 1_000_000)
        for _ in 0..<8 {
            _ = try await client.produce(
                topic: "orders",
                records: [ProduceRecord(partition: 1, key: nil, value: value, headers: [], timestampMs: -1)])
        }
        await client.close()
        let raw = try RawConnection(port: broker.port)
        var frames = handshakeFrame()
        frames.writeImmutableBuffer(
            AdminFrame.encodeRequest(.describeTopic(DescribeTopicRequest(name: "orders")), version: 1, correlationId: 2)
        )
        let fetch = FetchRequest(topic: "orders", partition: 1, start: .earliest, maxRecords: 8, maxBytes: 8 << 20)
        for correlationId in UInt32(10)..<13 {
            frames.writeImmutableBuffer(
                AdminFrame.encodeRequest(.fetch(fetch), version: 1, correlationId: correlationId))
        }
        frames.writeImmutableBuffer(
            AdminFrame.encodeRequest(
                .listTopics(ListTopicsRequest(includeInternal: false)), version: 1, correlationId: 3))
        raw.send(frames)
        raw.shutdownWrite()

        let handshake = try responseHeader(await raw.readFrame())
        #expect(handshake.correlationId == 1 && handshake.errorCode == 0)
        var describe = ByteBuffer(bytes: try #require(await raw.readFrame()))
        let (describeHeader, describeBody) = try AdminFrame.decodeResponse(
            payload: &describe, expecting: .describeTopic)
        #expect(describeHeader.correlationId == 2)
        guard case .describeTopic(let topic) = describeBody else {
            Issue.record("expected a DescribeTopic response, got \(String(describing: describeBody))")
            return
        }
        #expect(topic.partitions.count == 2)
        for correlationId in UInt32(10)..<13 {
            var payload = ByteBuffer(bytes: try #require(await raw.readFrame()))
            let (header, body) = try AdminFrame.decodeResponse(payload: &payload, expecting: .fetch)
            #expect(header.correlationId == correlationId && header.errorCode == 0, "\(header)")
            guard case .fetch(let response) = body else {
                Issue.record("expected a Fetch response, got \(String(describing: body))")
                return
            }
            #expect(response.records.map(\.value) == Array(repeating: value, count: 8))
        }
        let list = try responseHeader(await raw.readFrame())
        #expect(list.correlationId == 3 && list.errorCode == 0)
        #expect(await raw.next() == .closed)
        try await broker.stop()
    }
}
