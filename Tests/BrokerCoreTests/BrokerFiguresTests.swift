import Foundation
import Testing

@testable import BrokerCore

/// The figures both listeners report, computed once in the core: consuming groups, a topic's
/// consumers with their lag, counts, disk space and the sorted config.
struct BrokerFiguresTests {
    /// A broker with `orders` (2 partitions: 10 and 5 records) and `audit` (1 partition, 3 records).
    private func broker(_ dir: TemporaryDirectory) throws -> Broker {
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        try broker.createTopic("orders", partitions: 2, config: ["retention.ms": "86400000"])
        try broker.createTopic("audit", partitions: 1)
        _ = try broker.produce(topic: "orders", partition: 0, records: makeRecords(0..<10))
        _ = try broker.produce(topic: "orders", partition: 1, records: makeRecords(0..<5))
        _ = try broker.produce(topic: "audit", partition: 0, records: makeRecords(0..<3))
        return broker
    }

    private func commit(_ broker: Broker, _ group: String, _ offsets: [TopicPartition: Int64]) throws {
        try broker.groups.commitOffsets(
            groupId: group, memberId: "", generation: -1, offsets: offsets.mapValues { OffsetAndMetadata(offset: $0) })
    }

    private func join(_ broker: Broker, _ group: String, topics: [String]) throws {
        _ = try broker.groups.join(
            groupId: group, memberId: nil, clientId: "c", clientHost: "127.0.0.1", sessionTimeoutMs: 30_000,
            rebalanceTimeoutMs: 30_000, topics: topics)
    }

    /// A topic's consuming groups are those that committed on it and those whose members subscribe
    /// to it, sorted; a topic no group consumes is absent.
    @Test func consumingGroupsByTopic() throws {
        let dir = TemporaryDirectory()
        let broker = try broker(dir)
        defer { try? broker.shutdown() }
        try commit(broker, "zeta", [TopicPartition(topic: "orders", partition: 0): 4])
        try commit(broker, "alpha", [TopicPartition(topic: "orders", partition: 1): 1])
        try join(broker, "live", topics: ["audit", "orders"])
        #expect(broker.groups.consumingGroups() == ["orders": ["alpha", "live", "zeta"], "audit": ["live"]])
        // The same topics ListGroups reports per group.
        for summary in broker.groups.listGroups() {
            for topic in summary.topics {
                #expect(broker.groups.consumingGroups()[topic]?.contains(summary.groupId) == true)
            }
        }
    }

    /// A group's lag on a topic sums its known lags there (uncommitted partitions count nothing),
    /// and agrees with DescribeGroup's per-partition lags of that topic.
    @Test func consumersOfATopicWithTheirLag() throws {
        let dir = TemporaryDirectory()
        let broker = try broker(dir)
        defer { try? broker.shutdown() }
        try commit(
            broker, "billing",
            [TopicPartition(topic: "orders", partition: 0): 4, TopicPartition(topic: "orders", partition: 1): 5])
        try commit(broker, "billing", [TopicPartition(topic: "audit", partition: 0): 0])
        try commit(broker, "auditor", [TopicPartition(topic: "audit", partition: 0): 1])
        try join(broker, "fresh", topics: ["orders"])

        let consumers = broker.groups.consumers(ofTopic: "orders")
        #expect(consumers.map(\.groupId) == ["billing", "fresh"])
        #expect(consumers.map(\.lag) == [6, 0])
        #expect(consumers.first?.state == .empty)
        #expect(broker.groups.consumers(ofTopic: "audit").map(\.lag) == [2, 3])
        #expect(broker.groups.consumers(ofTopic: "nobody").isEmpty)

        for consumer in consumers {
            let described = try broker.groups.describeGroup(consumer.groupId)
            let lag = described.partitions.filter { $0.topicPartition.topic == "orders" }.reduce(Int64(0)) {
                $0 + ($1.lag ?? 0)
            }
            #expect(consumer.lag == lag)
            #expect(consumer.state == described.state)
        }
    }

    /// Counts include the internal offsets topic and every group.
    @Test func counts() throws {
        let dir = TemporaryDirectory()
        let broker = try broker(dir)
        defer { try? broker.shutdown() }
        #expect(broker.counts() == BrokerCounts(topics: 3, partitions: 4, groups: 0))
        try commit(broker, "g1", [TopicPartition(topic: "audit", partition: 0): 1])
        try join(broker, "g2", topics: ["orders"])
        try broker.addPartitions("audit", totalCount: 3)
        #expect(broker.counts() == BrokerCounts(topics: 3, partitions: 6, groups: 2))
        let listed = broker.listTopics(includeInternal: true)
        #expect(broker.counts().topics == listed.count)
        #expect(broker.counts().partitions == listed.reduce(0) { $0 + Int($1.partitionCount) })
        #expect(broker.groups.groupCount == broker.groups.listGroups().count)
    }

    /// Disk space is the data directory's file system; a path that does not exist has none.
    @Test func diskSpace() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        let space = try #require(broker.diskSpace())
        #expect(space.totalBytes > 0)
        #expect(space.freeBytes >= 0 && space.freeBytes <= space.totalBytes)
        #expect(DiskSpace.of(path: dir.path + "/does-not-exist/at-all") == nil)
    }

    /// The config comes sorted by key, each entry marked whether the topic overrides the default.
    @Test func sortedConfigMarksOverrides() throws {
        let dir = TemporaryDirectory()
        let broker = try broker(dir)
        defer { try? broker.shutdown() }
        let entries = try broker.describeTopic("orders").sortedConfig
        #expect(entries.map(\.key) == entries.map(\.key).sorted())
        #expect(Set(entries.map(\.key)) == Set(LogConfig.supportedKeys))
        #expect(entries.filter(\.isOverride).map(\.key) == ["retention.ms"])
        #expect(entries.first { $0.key == "retention.ms" }?.value == "86400000")
        #expect(try broker.describeTopic("audit").sortedConfig.allSatisfy { !$0.isOverride })
    }
}
