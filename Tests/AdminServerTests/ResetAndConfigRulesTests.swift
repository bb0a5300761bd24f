import AdminClient
import AdminProtocol
import BrokerTestSupport
import NIOCore
import Testing
import TopicConfigRules

/// Offset resets of chosen partitions (ResetGroupOffsets v2) and the topic config rules the UI
/// shares with the broker, against the real server.
@Suite(.timeLimit(.minutes(2)))
struct ResetAndConfigRulesTests {
    /// `prices` with 3 partitions of 10 records; group `g` committed 5 on each.
    private func seeded(_ broker: TestBroker) async throws -> AdminClient {
        let client = broker.client()
        try await client.createTopic("prices", partitions: 3)
        try await client.createTopic("orders", partitions: 1)
        for p: Int32 in 0..<3 {
            _ = try await client.produce(
                topic: "prices",
                records: (0..<10).map {
                    ProduceRecord(partition: p, key: nil, value: [UInt8($0)], headers: [], timestampMs: -1)
                })
        }
        try await client.commitOffsets(
            groupId: "g",
            offsets: (0..<3).map { CommitOffset(topic: "prices", partition: $0, offset: 5, metadata: "") })
        return client
    }

    private func committed(_ client: AdminClient) async throws -> [Int32: Int64] {
        Dictionary(uniqueKeysWithValues: try await client.fetchOffsets(groupId: "g").map { ($0.partition, $0.offset) })
    }

    /// `--topic prices:0,2`: the plan and the reset cover exactly those partitions; partition 1 keeps its offset.
    @Test func resetChosenPartitions() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = try await seeded(broker)
        let chosen = [
            TopicPartitionRef(topic: "prices", partition: 2), TopicPartitionRef(topic: "prices", partition: 0),
        ]
        let plan = try await client.resetGroupOffsets("g", partitions: chosen, to: .earliest, dryRun: true)
        #expect(
            plan == [
                OffsetResetInfo(topic: "prices", partition: 0, oldOffset: 5, newOffset: 0),
                OffsetResetInfo(topic: "prices", partition: 2, oldOffset: 5, newOffset: 0),
            ])
        #expect(try await committed(client) == [0: 5, 1: 5, 2: 5])
        let applied = try await client.resetGroupOffsets("g", partitions: chosen, to: .shift(-3), dryRun: false)
        #expect(applied.map(\.newOffset) == [2, 2])
        #expect(try await committed(client) == [0: 2, 1: 5, 2: 2])
        // Whole topics and single partitions together: the union, each once.
        let union = try await client.resetGroupOffsets(
            "g", topics: ["orders"], partitions: [TopicPartitionRef(topic: "prices", partition: 1)], to: .latest,
            dryRun: true)
        #expect(union.map { "\($0.topic)-\($0.partition)" } == ["orders-0", "prices-1"])
        // A partition that does not exist is refused, nothing changes.
        await expectBrokerError(.unknownTopicOrPartition) {
            _ = try await client.resetGroupOffsets(
                "g", partitions: [TopicPartitionRef(topic: "prices", partition: 7)], to: .latest, dryRun: false)
        }
        #expect(try await committed(client) == [0: 2, 1: 5, 2: 2])
        await client.close()
        try await broker.stop()
    }

    /// A v1 request that carries partitions (as an older codec could never write, but a confused
    /// one might) is refused as malformed: a v1 broker can never reset whole topics instead.
    @Test func version1WithPartitionsIsRefused() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = try await seeded(broker)
        let raw = try RawConnection(port: broker.port)
        raw.send(handshakeFrame())
        var handshake = ByteBuffer(bytes: try #require(await raw.readFrame()))
        _ = try ResponseHeader(from: &handshake)
        let versions = try ApiVersionsResponse(from: &handshake)
        #expect(versions.apis.first { $0.apiKey == ApiKey.resetGroupOffsets.rawValue }?.maxVersion == 2)
        let request = ResetGroupOffsetsRequest(
            groupId: "g", topics: [], partitions: [TopicPartitionRef(topic: "prices", partition: 0)],
            target: .earliest, dryRun: false)
        var body = ByteBuffer()
        request.encode(into: &body, version: 1)
        raw.send(
            rawFrame(
                apiKey: ApiKey.resetGroupOffsets.rawValue, version: 1, correlationId: 3,
                body: Array(body.readableBytesView)))
        #expect(try responseHeader(await raw.readFrame()).errorCode == AdminErrorCode.malformedRequest.rawValue)
        #expect(try await committed(client) == [0: 5, 1: 5, 2: 5])
        await client.close()
        try await broker.stop()
    }

    /// The create form's cleanup.policy choices are the broker's: each is accepted, `compact` is
    /// refused in the broker's words, and DescribeTopic lists exactly the keys the rules know.
    @Test func configRulesAreTheBrokers() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        let policies = try #require(TopicConfigKeys.key("cleanup.policy")).choices
        #expect(!policies.isEmpty)
        for (i, policy) in policies.enumerated() {
            try await client.createTopic("policy-\(i)", partitions: 1, config: ["cleanup.policy": policy])
            let d = try await client.describeTopic("policy-\(i)")
            #expect(d.config.first { $0.key == "cleanup.policy" }?.value == policy)
        }
        do {
            try await client.createTopic("compacted", partitions: 1, config: ["cleanup.policy": "compact"])
            Issue.record("compact was accepted")
        } catch {
            #expect(error.brokerErrorCode == .invalidConfig)
            #expect(
                error.description
                    == "cleanup.policy 'compact' is not supported; Skiff supports: \(policies.joined(separator: ", "))")
        }
        let described = try await client.describeTopic("policy-0")
        #expect(described.config.map(\.key).sorted() == TopicConfigKeys.names.sorted())
        // The rules' ranges are the broker's: the same value is refused by both, in the same words.
        guard case .failure(let problem) = TopicConfigKeys.check(key: "segment.bytes", value: "13") else {
            Issue.record("13 passed the rules")
            return
        }
        do {
            try await client.alterTopicConfig("policy-0", set: ["segment.bytes": "13"])
            Issue.record("segment.bytes=13 was accepted")
        } catch {
            #expect(error.description == problem.message(quote: { $0 }))
        }
        await client.close()
        try await broker.stop()
    }
}
