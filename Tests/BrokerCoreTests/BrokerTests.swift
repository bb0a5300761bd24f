import Foundation
import Testing

@testable import BrokerCore

func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

struct BrokerTests {
    /// A fresh broker has only the internal offsets topic, flagged internal.
    @Test func freshBrokerHasOnlyTheOffsetsTopic() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        let list = broker.listTopics()
        #expect(list.map(\.name) == ["__consumer_offsets"])
        #expect(list.first?.isInternal == true)
        #expect(broker.listTopics(includeInternal: false).isEmpty)
        #expect(!broker.recoveredFromCleanShutdown)
    }

    /// Keyed records land on the partition Kafka's Java client would pick; offsets are per partition.
    @Test func produceRoutesByKeyLikeTheJavaClient() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("streams-intro", partitions: 3)
        let results = try broker.produce(
            topic: "streams-intro", partition: nil,
            records: ["foo", "bar", "foo", "key-1"].map { ProducerRecord(key: utf8($0), value: utf8("v-\($0)")) })
        // "foo" → 2, "key-1" → 0 (KAFKA-FACTS.md vectors); "bar" wherever murmur2 says.
        let bar = DefaultPartitioner.partition(forKey: utf8("bar"), partitionCount: 3)
        #expect(results.map(\.partition) == [2, bar, 2, 0])
        #expect(results[0].offset == 0)
        #expect(results[2].offset == 1)
        let fetched = try broker.fetch(TopicPartition(topic: "streams-intro", partition: 2), from: 0)
        #expect(fetched.records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["v-foo", "v-foo"])
        #expect(fetched.highWatermark == 2)
        #expect(fetched.logStartOffset == 0)
    }

    /// An explicit partition wins over the key; a partition that does not exist is refused.
    @Test func explicitPartition() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("t", partitions: 2)
        let r = try broker.produce(topic: "t", partition: 1, records: [ProducerRecord(key: utf8("foo"), value: nil)])
        #expect(r.first?.partition == 1)
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "t", partition: 5)) {
            try broker.produce(topic: "t", partition: 5, records: [ProducerRecord(value: [1])])
        }
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "nope", partition: nil)) {
            try broker.produce(topic: "nope", partition: nil, records: [ProducerRecord(value: [1])])
        }
    }

    /// Describe shows config, watermarks, message counts, size and first/last timestamps per partition.
    @Test func describeTopicShowsWatermarksAndTimestamps() throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock(start: 1_000_000)
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), clock: clock, logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("orders", partitions: 2, config: ["retention.ms": "86400000"])
        _ = try broker.produce(topic: "orders", partition: 0, records: [ProducerRecord(value: utf8("a"))])
        clock.advance(by: 500)
        _ = try broker.produce(
            topic: "orders", partition: 0, records: [ProducerRecord(value: utf8("b"), timestamp: 2_000_000)])
        let d = try broker.describeTopic("orders")
        #expect(d.config["retention.ms"] == "86400000")
        #expect(d.configOverrides == ["retention.ms": "86400000"])
        #expect(d.config["cleanup.policy"] == "delete")
        #expect(d.partitions.count == 2)
        let p0 = d.partitions[0]
        #expect(p0.logStartOffset == 0 && p0.highWatermark == 2 && p0.messageCount == 2)
        #expect(p0.firstTimestamp == 1_000_000)
        #expect(p0.lastTimestamp == 2_000_000)
        #expect(p0.sizeBytes > 0)
        #expect(p0.leader == 0 && p0.replicas == [0] && p0.inSyncReplicas == [0])
        #expect(d.partitions[1].messageCount == 0 && d.partitions[1].firstTimestamp == nil)
        let summary = try #require(broker.listTopics().first { $0.name == "orders" })
        #expect(summary.messageCount == 2 && summary.partitionCount == 2)
        #expect(summary.lastWriteTime == 1_000_500)
    }

    /// Topic administration: duplicates, bad counts, shrinking and bad config are refused with clear errors.
    @Test func topicAdministrationErrors() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("t", partitions: 2)
        #expect(throws: BrokerError.topicAlreadyExists("t")) { try broker.createTopic("t", partitions: 1) }
        #expect(throws: BrokerError.self) { try broker.createTopic("zero", partitions: 0) }
        #expect(throws: BrokerError.self) { try broker.createTopic("many", partitions: 10_001) }
        #expect(throws: BrokerError.self) {
            try broker.createTopic("cfg", partitions: 1, config: ["retention.ms": "x"])
        }
        #expect(throws: BrokerError.self) { try broker.createTopic("cfg", partitions: 1, config: ["bogus": "1"]) }
        #expect(throws: BrokerError.self) { try broker.addPartitions("t", totalCount: 2) }
        #expect(throws: BrokerError.self) { try broker.addPartitions("t", totalCount: 1) }
        #expect(throws: BrokerError.self) { try broker.deleteTopic("__consumer_offsets") }
        #expect(throws: BrokerError.self) { try broker.createTopic("__mine", partitions: 1) }
        #expect(throws: BrokerError.self) {
            try broker.produce(topic: "__consumer_offsets", partition: 0, records: [ProducerRecord(value: [1])])
        }
        #expect(throws: BrokerError.self) { try broker.createTopic("../escape", partitions: 1) }
        // Nothing was created for the refused topics, and nothing outside the data directory.
        #expect(broker.listTopics(includeInternal: false).map(\.name) == ["t"])
        let parent = (dir.path as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: parent + "/escape-0"))
    }

    /// Adding partitions grows the topic; the new partitions are writable; config changes apply.
    @Test func addPartitionsAndAlterConfig() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("t", partitions: 1)
        try broker.addPartitions("t", totalCount: 4)
        #expect(try broker.describeTopic("t").partitions.count == 4)
        let r = try broker.produce(topic: "t", partition: 3, records: [ProducerRecord(value: [7])])
        #expect(r.first?.offset == 0)
        try broker.alterTopicConfig("t", set: ["retention.bytes": "1048576", "segment.bytes": "65536"])
        #expect(
            try broker.describeTopic("t").configOverrides == ["retention.bytes": "1048576", "segment.bytes": "65536"])
        try broker.alterTopicConfig("t", set: [:], delete: ["segment.bytes"])
        #expect(try broker.describeTopic("t").configOverrides == ["retention.bytes": "1048576"])
        #expect(throws: BrokerError.self) { try broker.alterTopicConfig("t", set: ["cleanup.policy": "compact"]) }
    }

    /// Deleting a topic removes its files; a new topic of the same name starts empty.
    @Test func deleteTopicRemovesFiles() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("gone", partitions: 2)
        _ = try broker.produce(
            topic: "gone", partition: 0, records: [ProducerRecord(value: [1]), ProducerRecord(value: [2])])
        try broker.deleteTopic("gone")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/gone-0"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/gone-1"))
        #expect(throws: BrokerError.self) { try broker.describeTopic("gone") }
        try broker.createTopic("gone", partitions: 1)
        #expect(try broker.describeTopic("gone").partitions[0].highWatermark == 0)
    }

    /// Topics (ids, config, partitions), records and committed offsets survive a clean restart.
    @Test func cleanRestartKeepsEverything() throws {
        let dir = TemporaryDirectory()
        let tp = TopicPartition(topic: "prices", partition: 1)
        let topicId: UUID
        do {
            let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
            try broker.createTopic("prices", partitions: 3, config: ["retention.ms": "3600000"])
            topicId = try broker.describeTopic("prices").topicId
            _ = try broker.produce(
                topic: "prices", partition: 1, records: (0..<10).map { ProducerRecord(value: utf8("p\($0)")) })
            try broker.groups.commitOffsets(
                groupId: "g", memberId: "", generation: -1, offsets: [tp: OffsetAndMetadata(offset: 7, metadata: "m")])
            try broker.shutdown()
        }
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        #expect(broker.recoveredFromCleanShutdown)
        let d = try broker.describeTopic("prices")
        #expect(d.topicId == topicId)
        #expect(d.configOverrides == ["retention.ms": "3600000"])
        #expect(d.partitions.map(\.highWatermark) == [0, 10, 0])
        #expect(try broker.fetch(tp, from: 9).records.first?.value == utf8("p9"))
        let committed = broker.groups.fetchOffsets(groupId: "g")
        #expect(committed[tp]?.offset == 7)
        #expect(committed[tp]?.metadata == "m")
        let desc = try broker.groups.describeGroup("g")
        #expect(desc.partitions.first { $0.topicPartition == tp }?.lag == 3)
    }

    /// After a crash (no shutdown, no marker) topics, acknowledged records and offsets are all back.
    @Test func crashRestartRecovers() throws {
        let dir = TemporaryDirectory()
        let tp = TopicPartition(topic: "orders", partition: 0)
        do {
            let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
            try broker.createTopic("orders", partitions: 1)
            for i in 0..<50 {
                _ = try broker.produce(topic: "orders", partition: 0, records: [ProducerRecord(value: utf8("o\(i)"))])
            }
            try broker.groups.commitOffsets(
                groupId: "order-execution", memberId: "", generation: -1, offsets: [tp: OffsetAndMetadata(offset: 20)])
            // Simulated crash: the broker is dropped without shutdown(), so no clean-shutdown marker.
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/" + Broker.cleanShutdownMarker))
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        #expect(!broker.recoveredFromCleanShutdown)
        #expect(try broker.describeTopic("orders").partitions[0].highWatermark == 50)
        #expect(try broker.fetch(tp, from: 49).records.first?.value == utf8("o49"))
        #expect(broker.groups.fetchOffsets(groupId: "order-execution")[tp]?.offset == 20)
    }

    /// A second broker on the same data directory is refused while the first one runs.
    @Test func dataDirectoryIsLocked() throws {
        let dir = TemporaryDirectory()
        let first = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        #expect(throws: BrokerError.self) {
            try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        }
        try first.shutdown()
        let second = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        try second.shutdown()
    }

    /// Partition directories of a topic deleted just before a crash (the delete recorded in the
    /// metadata log, the files not yet removed) are removed at the next start, with a notice.
    @Test func leftoverDirectoriesOfDeletedTopicsAreRemoved() throws {
        let dir = TemporaryDirectory()
        let elsewhere = TemporaryDirectory()
        let saved = elsewhere.path + "/old-0"
        do {
            let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
            try broker.createTopic("old", partitions: 1)
            _ = try broker.produce(topic: "old", partition: 0, records: [ProducerRecord(value: [1])])
            try broker.shutdown()
        }
        // Simulate the crash: keep a copy of the directory, delete the topic, put the copy back.
        try FileManager.default.copyItem(atPath: dir.path + "/old-0", toPath: saved)
        do {
            let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
            try broker.deleteTopic("old")
            try broker.shutdown()
        }
        try FileManager.default.moveItem(atPath: saved, toPath: dir.path + "/old-0")
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/old-0"))
        #expect(broker.notices.all.map(\.kind) == [.leftoverRemoved])
        try broker.createTopic("old", partitions: 1)
        #expect(try broker.describeTopic("old").partitions[0].highWatermark == 0)
    }

    /// Time lag of a group is now minus the timestamp of the first record it has not consumed.
    @Test func groupLagAgainstRealLogs() throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock(start: 5_000_000)
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), clock: clock, logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("prices", partitions: 1)
        for i in 0..<5 {
            _ = try broker.produce(
                topic: "prices", partition: 0,
                records: [ProducerRecord(value: [UInt8(i)], timestamp: 5_000_000 + Int64(i) * 1000)])
        }
        let tp = TopicPartition(topic: "prices", partition: 0)
        try broker.groups.commitOffsets(
            groupId: "slow", memberId: "", generation: -1, offsets: [tp: OffsetAndMetadata(offset: 2)])
        clock.set(5_010_000)
        let lag = try #require(try broker.groups.describeGroup("slow").partitions.first)
        #expect(lag.lag == 3)
        #expect(lag.timeLagMs == Int64(8000))
        #expect(broker.groups.listGroups().first { $0.groupId == "slow" }?.totalLag == 3)
    }

    /// Deleting a topic also drops groups' committed offsets on it.
    @Test func deletingATopicDropsItsOffsets() throws {
        let dir = TemporaryDirectory()
        let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("t", partitions: 1)
        let tp = TopicPartition(topic: "t", partition: 0)
        _ = try broker.produce(topic: "t", partition: 0, records: [ProducerRecord(value: [1])])
        try broker.groups.commitOffsets(
            groupId: "g", memberId: "", generation: -1, offsets: [tp: OffsetAndMetadata(offset: 1)])
        try broker.deleteTopic("t")
        #expect(broker.groups.fetchOffsets(groupId: "g")[tp] == nil)
    }
}
