import AdminClient
import AdminProtocol
import BrokerCore
import BrokerTestSupport
import Foundation
import Testing

/// Batches a real client compressed (librdkafka's Produce requests, captured for BrokerCoreTests;
/// see Tests/BrokerCoreTests/Fixtures/CompressedBatches/capture.py), stored as they came, are served
/// by the admin protocol with their records decompressed: Fetch and Search see every key, value,
/// header and timestamp.
@Suite(.timeLimit(.minutes(2)))
struct CompressedFetchTests {
    static let codecs = ["gzip", "snappy", "lz4", "zstd"]

    static func fixture(_ name: String) throws -> [UInt8] {
        let folder = URL(filePath: #filePath).deletingLastPathComponent()
            .appending(path: "../BrokerCoreTests/Fixtures/CompressedBatches").standardized
        return [UInt8](try Data(contentsOf: folder.appending(path: "\(name).batch")))
    }

    /// Partition p holds one plain record, then librdkafka's batch compressed with codec p.
    @Test func fetchAndSearchDecompress() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        // The fixtures' timestamps are from 2023: keep them from retention.
        try await client.createTopic("compressed", partitions: 4, config: ["retention.ms": "-1"])
        for (partition, codec) in Self.codecs.enumerated() {
            _ = try await client.produce(
                topic: "compressed",
                records: [ProduceRecord(partition: Int32(partition), key: nil, value: bytes("first"), headers: [])])
            let log = try broker.broker.topics.partition(
                TopicPartition(topic: "compressed", partition: Int32(partition)))
            let batch = try Self.fixture("librdkafka-\(codec)")
            try log.appendBatch(batch)
            #expect(try log.readBatches(from: 1, maxBytes: 1).count == batch.count, "\(codec) stored as sent")
        }
        for (partition, codec) in Self.codecs.enumerated() {
            let response = try await client.fetch(
                topic: "compressed", partition: Int32(partition), from: .offset(1), maxRecords: 100)
            #expect(response.records.count == 20, "\(codec)")
            for (i, record) in response.records.enumerated() {
                #expect(record.offset == Int64(1 + i))
                #expect(record.timestampMs == 1_700_000_000_000 + 10 * Int64(i))
                let number = i < 10 ? "0\(i)" : "\(i)"
                #expect(record.key == (i == 3 ? nil : bytes("key-\(number)")), "\(codec) \(i)")
                #expect(
                    record.value.map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("{\"id\": \(i),") ?? (i == 7))
                #expect(record.headers.first == HeaderData(key: "trace", value: bytes("trace-\(number)")))
            }
            #expect(response.records[10].headers.last == HeaderData(key: "null", value: nil))
            // A fetch starting inside the batch, and one across the plain record and the batch.
            let middle = try await client.fetch(
                topic: "compressed", partition: Int32(partition), from: .offset(15), maxRecords: 2)
            #expect(middle.records.map(\.offset) == [15, 16])
            let all = try await client.fetch(topic: "compressed", partition: Int32(partition), from: .earliest)
            #expect(all.records.count == 21 && all.highWatermark == 21)
        }
        let matches = try await search(
            client,
            SearchRequest(
                topic: "compressed",
                conditions: [SearchCondition(field: .value, match: .contains, pattern: bytes("\"id\": 12,"))]))
        #expect(matches.map { "\($0.0)/\($0.1)" } == ["0/13", "1/13", "2/13", "3/13"])
        await client.close()
        try await broker.stop()
    }

    /// The matches (partition, offset) of a search, run to its end.
    private func search(_ client: AdminClient, _ request: SearchRequest) async throws -> [(Int32, Int64)] {
        let (_, events) = try await client.search(request)
        var matches: [(Int32, Int64)] = []
        for try await event in events {
            if case .records(_, let partition, _, let records) = event {
                matches += records.map { (partition, $0.offset) }
            }
        }
        return matches
    }
}
