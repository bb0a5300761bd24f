import AdminClient
import AdminProtocol
import BrokerTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2)))
struct DescribeStorageTests {
    /// DescribeStorage reports what the broker found on disk at start (here a partition directory
    /// no topic claims, moved aside as a stray), the open segment files against their limit, the
    /// process's descriptor limit and the disk reserve.
    @Test func reportsStraysFilesAndTheReserve() async throws {
        let first = try await TestBroker()
        defer { first.removeData() }
        let client = first.client()
        try await client.createTopic("orders", partitions: 2)
        _ = try await client.produce(
            topic: "orders",
            records: [ProduceRecord(partition: 1, key: nil, value: Array("x".utf8), headers: [], timestampMs: -1)])
        var storage = try await client.describeStorage()
        #expect(storage.notices.isEmpty)
        #expect(storage.openSegmentFiles >= 1 && storage.openSegmentFiles <= storage.segmentFileLimit)
        #expect(storage.openFileLimit > 0)
        #expect(storage.diskReserveBytes == 4 << 20 && storage.diskReserveHeld)
        await client.close()
        try await first.stop()
        // A directory nobody claims appears while the broker is stopped.
        try FileManager.default.copyItem(
            atPath: first.dataDirectory + "/orders-1", toPath: first.dataDirectory + "/orders-7")
        let second = try await TestBroker(dataDirectory: first.dataDirectory)
        let again = second.client()
        storage = try await again.describeStorage()
        let notice = try #require(storage.notices.first)
        #expect(storage.notices.count == 1)
        #expect(notice.kind == "stray-directory")
        #expect(notice.path.hasPrefix("orders-7.") && notice.path.hasSuffix("-stray"))
        #expect(notice.message.contains("topic 'orders' has 2 partitions"))
        #expect(
            FileManager.default.fileExists(atPath: second.dataDirectory + "/" + notice.path + "/partition.metadata"))
        await again.close()
        try await second.stop()
    }
}
