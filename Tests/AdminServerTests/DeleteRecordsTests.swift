import AdminClient
import AdminProtocol
import BrokerTestSupport
import Testing

@Suite(.timeLimit(.minutes(2)))
struct DeleteRecordsTests {
    private func fill(_ client: AdminClient, _ topic: String, partitions: Int32, records: Int) async throws {
        try await client.createTopic(topic, partitions: partitions)
        for p in 0..<partitions {
            _ = try await client.produce(
                topic: topic,
                records: (0..<records).map {
                    ProduceRecord(partition: p, key: nil, value: bytes("p\(p)-\($0)"), headers: [], timestampMs: -1)
                })
        }
    }

    /// Kafka's DeleteRecords: each partition's low watermark moves to its offset (-1 = the high
    /// watermark), reads start there, and each partition fails or succeeds on its own, in request
    /// order.
    @Test func movesLowWatermarksPartitionByPartition() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await fill(client, "orders", partitions: 4, records: 10)
        let results = try await client.deleteRecords(
            topic: "orders",
            partitions: [
                DeleteRecordsPartition(partition: 2, offset: 4),
                DeleteRecordsPartition(partition: 0, offset: -1),
                DeleteRecordsPartition(partition: 1, offset: 11),
                DeleteRecordsPartition(partition: 7, offset: 1),
                DeleteRecordsPartition(partition: 3, offset: 0),
            ])
        #expect(results.map(\.partition) == [2, 0, 1, 7, 3])
        #expect(results[0] == DeleteRecordsResult(partition: 2, lowWatermark: 4))
        #expect(results[1] == DeleteRecordsResult(partition: 0, lowWatermark: 10))
        #expect(results[2].knownErrorCode == .offsetOutOfRange && results[2].lowWatermark == -1)
        #expect(results[2].errorMessage == "offset 11 is out of range for orders-1: valid offsets are 0 to 10")
        #expect(results[3].knownErrorCode == .unknownTopicOrPartition)
        #expect(results[3].errorMessage == "topic 'orders' has no partition 7")
        #expect(results[4] == DeleteRecordsResult(partition: 3, lowWatermark: 0))

        let described = try await client.describeTopic("orders")
        #expect(described.partitions.map(\.logStartOffset) == [10, 0, 4, 0])
        #expect(described.partitions.map(\.highWatermark) == [10, 10, 10, 10])
        let p2 = try await client.fetch(topic: "orders", partition: 2, from: .earliest)
        #expect(p2.logStartOffset == 4)
        #expect(p2.records.first.map { String(decoding: $0.value ?? [], as: UTF8.self) } == "p2-4")
        await expectBrokerError(.offsetOutOfRange) {
            _ = try await client.fetch(topic: "orders", partition: 2, from: .offset(3))
        }
        // Behind the low watermark changes nothing and is no error.
        let again = try await client.deleteRecords(
            topic: "orders", partitions: [DeleteRecordsPartition(partition: 2, offset: 1)])
        #expect(again == [DeleteRecordsResult(partition: 2, lowWatermark: 4)])
        await client.close()
        try await broker.stop()
    }

    /// What is wrong with the request as a whole refuses it, with Kafka's codes where it has them.
    @Test func badRequestsAreRefused() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await fill(client, "orders", partitions: 2, records: 3)
        let cases: [(AdminErrorCode, String, String, [DeleteRecordsPartition])] = [
            (.unknownTopicOrPartition, "topic 'missing' does not exist", "missing", [.init(partition: 0, offset: 1)]),
            (.invalidRequest, "a DeleteRecords request needs at least one partition", "orders", []),
            (
                .invalidRequest, "partition 1 appears more than once in the request", "orders",
                [.init(partition: 1, offset: 1), .init(partition: 0, offset: 1), .init(partition: 1, offset: 2)]
            ),
            (
                .invalidTopicException, "'__consumer_offsets' is an internal topic: its records cannot be deleted",
                "__consumer_offsets", [.init(partition: 0, offset: -1)]
            ),
        ]
        for (code, message, topic, partitions) in cases {
            do {
                _ = try await client.deleteRecords(topic: topic, partitions: partitions)
                Issue.record("\(topic) \(partitions) was accepted")
            } catch {
                #expect(error.brokerErrorCode == code, "\(error)")
                #expect(error.description == message)
            }
        }
        #expect(try await client.describeTopic("orders").partitions.map(\.logStartOffset) == [0, 0])
        await client.close()
        try await broker.stop()
    }
}
