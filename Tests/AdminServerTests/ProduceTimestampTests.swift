import AdminClient
import AdminProtocol
import BrokerCore
import BrokerTestSupport
import Testing

@Suite(.timeLimit(.minutes(2)))
struct ProduceTimestampTests {
    /// A timestamp below -1 is refused with Kafka's INVALID_TIMESTAMP (32), naming the record, and
    /// nothing of the request is appended; -1 still means "the broker stamps the append time", and 0
    /// is a timestamp like any other.
    @Test func timestampsBelowMinusOneAreRefused() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("events", partitions: 1)
        func record(_ timestamp: Int64) -> ProduceRecord {
            ProduceRecord(partition: 0, key: nil, value: bytes("v"), headers: [], timestampMs: timestamp)
        }
        for bad in [Int64(-2), -1_000, Int64.min] {
            do {
                _ = try await client.produce(topic: "events", records: [record(1_700_000_000_000), record(bad)])
                Issue.record("timestamp \(bad) was accepted")
            } catch {
                #expect(error.brokerErrorCode == .invalidTimestamp, "\(error)")
                #expect(
                    error.description
                        == "timestamp \(bad) of record 1 is not valid: use milliseconds since the epoch (0 or more), or -1 to let the broker stamp the append time"
                )
            }
        }
        #expect(try await client.describeTopic("events").partitions[0].highWatermark == 0)

        let before = broker.broker.clock.nowMilliseconds()
        let stamped = try await client.produce(topic: "events", records: [record(-1), record(0)])
        #expect(stamped[0].timestampMs >= before)
        #expect(stamped[1].timestampMs == 0)
        let read = try await client.fetch(topic: "events", partition: 0, from: .earliest)
        #expect(read.records.map(\.timestampMs) == [stamped[0].timestampMs, 0])
        await client.close()
        try await broker.stop()
    }

    /// The core refuses such a timestamp too, for callers that do not come through the handler.
    @Test func theBrokerCoreRefusesThemToo() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        _ = try broker.broker.createTopic("events", partitions: 1)
        let records = [ProducerRecord(value: [1], timestamp: 5), ProducerRecord(value: [2], timestamp: -2)]
        #expect(
            throws: BrokerError.invalidTimestamp(
                "timestamp -2 of record 1 is not valid: a timestamp is milliseconds since the epoch (0 or more), or -1 for none"
            )
        ) {
            _ = try broker.broker.produce(topic: "events", partition: 0, records: records)
        }
        #expect(BrokerError.invalidTimestamp("x").kafkaErrorCode == 32)
        #expect(try broker.broker.describeTopic("events").partitions[0].highWatermark == 0)
        try await broker.stop()
    }
}
