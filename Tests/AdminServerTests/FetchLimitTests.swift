import AdminClient
import AdminProtocol
import BrokerTestSupport
import Testing

@Suite(.timeLimit(.minutes(2)))
struct FetchLimitTests {
    /// maxBytes as Kafka's fetch max_bytes: the first record comes back even when it alone is
    /// larger, 0 means just that first record, a value above the broker's cap is lowered to the
    /// cap (not refused), and only a negative value is refused.
    @Test func maxBytesFollowsKafka() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("blobs", partitions: 1)
        let big = [UInt8](repeating: 0x61, count: 10_000)
        _ = try await client.produce(
            topic: "blobs",
            records: [
                ProduceRecord(partition: 0, key: nil, value: big, headers: [], timestampMs: -1),
                ProduceRecord(partition: 0, key: nil, value: bytes("small"), headers: [], timestampMs: -1),
                ProduceRecord(partition: 0, key: nil, value: bytes("small"), headers: [], timestampMs: -1),
            ])

        let larger = try await client.fetch(topic: "blobs", partition: 0, from: .earliest, maxBytes: 100)
        #expect(larger.records.map(\.value) == [big])
        let zero = try await client.fetch(topic: "blobs", partition: 0, from: .offset(1), maxBytes: 0)
        #expect(zero.records.map(\.offset) == [1])
        let zeroAtTheEnd = try await client.fetch(topic: "blobs", partition: 0, from: .latest, maxBytes: 0)
        #expect(zeroAtTheEnd.records.isEmpty && zeroAtTheEnd.highWatermark == 3)

        let cap = Int32(broker.server.config.maxFrameBytes / 2)
        for maxBytes in [cap, cap + 1, 16 << 20, Int32.max] {
            let all = try await client.fetch(topic: "blobs", partition: 0, from: .earliest, maxBytes: maxBytes)
            #expect(all.records.map(\.offset) == [0, 1, 2], "maxBytes \(maxBytes)")
        }
        do {
            _ = try await client.fetch(topic: "blobs", partition: 0, from: .earliest, maxBytes: -1)
            Issue.record("a negative maxBytes was accepted")
        } catch {
            #expect(error.brokerErrorCode == .invalidRequest)
            #expect(error.description == "maxBytes must be 0 or more, got -1")
        }
        await client.close()
        try await broker.stop()
    }
}
