import BrokerCore
import Testing

@Suite struct GroupLagTests {
    /// Two partitions of `prices` with 100 records each, one record per second from the clock's start.
    private func harness() throws -> GroupHarness {
        let harness = try GroupHarness(topics: ["prices": 2])
        let start = harness.clock.nowMilliseconds()
        for partition: Int32 in 0..<2 {
            harness.metadata.setPartition(.tp("prices", partition)) {
                $0.highWatermark = 100
                $0.firstTimestamp = start
                $0.msPerRecord = 1000
            }
        }
        harness.clock.advance(by: 200_000)
        return harness
    }

    private func commit(_ harness: GroupHarness, _ offsets: [TopicPartition: Int64], group: String = "g") throws {
        try harness.coordinator.commitOffsets(
            groupId: group, memberId: "", generation: -1, offsets: offsets.mapValues { OffsetAndMetadata(offset: $0) })
    }

    /// Lag is high watermark − committed offset and time lag is now − timestamp of the record at the committed offset.
    @Test func lagAndTimeLag() throws {
        let harness = try harness()
        try commit(harness, [.tp("prices", 0): 40])
        let partition = try #require(try harness.coordinator.describeGroup("g").partitions.first)
        #expect(partition.topicPartition == .tp("prices", 0))
        #expect(partition.committed?.offset == 40)
        #expect(partition.highWatermark == 100)
        #expect(partition.logStartOffset == 0)
        #expect(partition.lag == 60)
        // Record 40 was written 40 s after the start; now is 200 s after the start.
        #expect(partition.timeLagMs == 160_000)
        harness.clock.advance(by: 1_000)
        #expect(try harness.coordinator.describeGroup("g").partitions.first?.timeLagMs == 161_000)
    }

    /// A caught-up group has lag 0 and time lag 0, also when its committed offset is past the high watermark.
    @Test func caughtUpHasNoLag() throws {
        let harness = try harness()
        try commit(harness, [.tp("prices", 0): 100, .tp("prices", 1): 150])
        let partitions = try harness.coordinator.describeGroup("g").partitions
        #expect(partitions.map(\.lag) == [0, 0])
        #expect(partitions.map(\.timeLagMs) == [0, 0])
    }

    /// When retention deleted the record at the committed offset, time lag uses the first record still stored.
    @Test func timeLagAfterRetention() throws {
        let harness = try harness()
        harness.metadata.setPartition(.tp("prices", 0)) { $0.logStartOffset = 50 }
        try commit(harness, [.tp("prices", 0): 10])
        let partition = try #require(try harness.coordinator.describeGroup("g").partitions.first)
        #expect(partition.lag == 90)
        #expect(partition.timeLagMs == 150_000)
    }

    /// Total lag sums the partitions; assigned partitions without a commit report nil lag and do not count.
    @Test func totalLagAndUncommittedPartitions() throws {
        let harness = try harness()
        let member = try harness.join(client: "a", topics: ["prices"])
        _ = try harness.assignment(member.memberId, generation: 1)
        try harness.coordinator.commitOffsets(
            groupId: "g", memberId: member.memberId, generation: 1,
            offsets: [.tp("prices", 0): OffsetAndMetadata(offset: 75)])
        let description = try harness.coordinator.describeGroup("g")
        #expect(description.partitions.map(\.topicPartition) == [.tp("prices", 0), .tp("prices", 1)])
        #expect(description.partitions.map(\.lag) == [25, nil])
        #expect(description.partitions[1].committed == nil)
        #expect(description.partitions[1].timeLagMs == nil)
        #expect(description.partitions.map(\.memberId) == [member.memberId, member.memberId])
        #expect(description.partitions.map(\.clientId) == ["a", "a"])
        #expect(description.totalLag == 25)

        try commit(harness, [.tp("prices", 0): 10, .tp("prices", 1): 30], group: "other")
        let summaries = harness.coordinator.listGroups()
        #expect(
            summaries == [
                GroupSummary(groupId: "g", state: .stable, memberCount: 1, topics: ["prices"], totalLag: 25),
                GroupSummary(groupId: "other", state: .empty, memberCount: 0, topics: ["prices"], totalLag: 160),
            ])
    }

    /// A partition whose topic disappeared keeps its committed offset but reports unknown watermarks and lag.
    @Test func missingPartitionHasUnknownLag() throws {
        let harness = try harness()
        try commit(harness, [.tp("prices", 0): 10])
        harness.metadata.removeTopic("prices")
        let partition = try #require(try harness.coordinator.describeGroup("g").partitions.first)
        #expect(partition.committed?.offset == 10)
        #expect(partition.highWatermark == nil)
        #expect(partition.lag == nil)
        #expect(partition.timeLagMs == nil)
        #expect(try harness.coordinator.describeGroup("g").totalLag == 0)
    }

    /// describeGroup reports members with client id, host, subscriptions and assignment, and the group's metadata.
    @Test func describeShowsMembers() throws {
        let harness = try harness()
        let member = try harness.join(client: "pricer", topics: ["prices"])
        _ = try harness.assignment(member.memberId, generation: 1)
        let description = try harness.coordinator.describeGroup("g")
        #expect(description.protocolType == "consumer")
        #expect(description.assignor == .range)
        #expect(description.leaderId == member.memberId)
        #expect(description.generation == 1)
        #expect(
            description.members == [
                GroupMemberDescription(
                    memberId: member.memberId, clientId: "pricer", clientHost: "/127.0.0.1", sessionTimeoutMs: 10_000,
                    rebalanceTimeoutMs: 5_000, subscribedTopics: ["prices"],
                    assignment: [.tp("prices", 0), .tp("prices", 1)],
                    lastHeartbeatMs: harness.clock.nowMilliseconds())
            ])
    }
}
