import AdminClient
import AdminProtocol
import BrokerCore
import BrokerTestSupport
import NIOCore
import Testing

/// Records carry their timestamp type through Fetch, Subscribe and Search v2, which today's client
/// uses; a client that speaks version 1 still gets the version 1 layout.
@Suite(.timeLimit(.minutes(2)))
struct TimestampTypeTests {
    static let sent: Int64 = 1_600_000_000_000

    /// `stamped` (LogAppendTime) and `plain` (CreateTime), one record each, sent with `sent` as
    /// its timestamp.
    private func seed(_ client: AdminClient) async throws {
        try await client.createTopic("stamped", partitions: 1, config: ["message.timestamp.type": "LogAppendTime"])
        try await client.createTopic("plain", partitions: 1)
        for topic in ["stamped", "plain"] {
            _ = try await client.produce(
                topic: topic,
                records: [
                    ProduceRecord(partition: 0, key: nil, value: bytes(topic), headers: [], timestampMs: Self.sent)
                ])
        }
    }

    @Test func fetchSubscribeAndSearchCarryTheType() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        let before = broker.broker.clock.nowMilliseconds()
        try await seed(client)
        let config = try await client.describeTopic("stamped").config
        #expect(config.first { $0.key == "message.timestamp.type" }?.value == "LogAppendTime")

        let stamped = try #require(
            try await client.fetch(topic: "stamped", partition: 0, from: .earliest).records.first)
        #expect(stamped.timestampType == .logAppendTime)
        #expect(stamped.timestampMs >= before && stamped.timestampMs != Self.sent)
        let plain = try #require(try await client.fetch(topic: "plain", partition: 0, from: .earliest).records.first)
        #expect(plain.timestampType == .createTime && plain.timestampMs == Self.sent)

        let tail = try await client.subscribe(partitions: [
            SubscribePartition(topic: "stamped", partition: 0, fromOffset: 0),
            SubscribePartition(topic: "plain", partition: 0, fromOffset: 0),
        ])
        var tailed: [String: FetchedRecord] = [:]
        for try await event in tail {
            if case .records(let topic, _, _, let records) = event { tailed[topic] = records.first }
            if tailed.count == 2 { break }
        }
        #expect(tailed["stamped"] == stamped && tailed["plain"] == plain)

        let (_, events) = try await client.search(SearchRequest(topic: "stamped", conditions: []))
        var found: [FetchedRecord] = []
        for try await event in events {
            if case .records(_, _, _, let records) = event { found += records }
        }
        #expect(found == [stamped])
        await client.close()
        try await broker.stop()
    }

    /// A version 1 Fetch, Subscribe and Search get records without the type byte, as before v2.
    @Test func version1ClientsGetTheVersion1Layout() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await seed(client)
        let expected = try #require(
            try await client.fetch(topic: "stamped", partition: 0, from: .earliest).records.first)
        await client.close()
        var untyped = expected
        untyped.timestampType = nil

        let raw = try RawConnection(port: broker.port)
        raw.send(handshakeFrame())
        #expect(try responseHeader(await raw.readFrame()).errorCode == 0)
        let fetch = FetchRequest(topic: "stamped", partition: 0, start: .earliest, maxRecords: 10, maxBytes: 1 << 20)
        raw.send(AdminFrame.encodeRequest(.fetch(fetch), version: 1, correlationId: 2))
        var fetched = ByteBuffer(bytes: try #require(await raw.readFrame()))
        let (_, body) = try AdminFrame.decodeResponse(payload: &fetched, expecting: .fetch, version: 1)
        #expect(body == .fetch(FetchResponse(logStartOffset: 0, highWatermark: 1, records: [untyped])))

        let subscribe = SubscribeRequest(
            partitions: [SubscribePartition(topic: "stamped", partition: 0, fromOffset: 0)], lagGroupId: "",
            lagIntervalMs: 1_000)
        raw.send(AdminFrame.encodeRequest(.subscribe(subscribe), version: 1, correlationId: 3))
        #expect(try responseHeader(await raw.readFrame()).correlationId == 3)
        var push = ByteBuffer(bytes: try #require(await raw.readFrame()))
        let (_, event) = try AdminFrame.decodePush(payload: &push, version: 1)
        #expect(event == .records(topic: "stamped", partition: 0, highWatermark: 1, records: [untyped]))

        let search = SearchRequest(topic: "stamped", conditions: [])
        raw.send(AdminFrame.encodeRequest(.search(search), version: 1, correlationId: 4))
        #expect(try responseHeader(await raw.readFrame()).correlationId == 4)
        var matches = ByteBuffer(bytes: try #require(await raw.readFrame()))
        let (searchId, matched) = try AdminFrame.decodePush(payload: &matches, version: 1)
        #expect(searchId == 4)
        #expect(matched == .records(topic: "stamped", partition: 0, highWatermark: 1, records: [untyped]))
        try await broker.stop()
    }
}
