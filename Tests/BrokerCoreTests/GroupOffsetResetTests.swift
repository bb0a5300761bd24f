import BrokerCore
import Testing

@Suite struct GroupOffsetResetTests {
    /// Topic `t` with 2 partitions holding offsets 10..<100 (log start 10, high watermark 100), one
    /// record per second; the group committed 40 and 60.
    private func harness() throws -> GroupHarness {
        let harness = try GroupHarness(topics: ["t": 2, "u": 1])
        for partition: Int32 in 0..<2 {
            harness.metadata.setPartition(.tp("t", partition)) {
                $0.logStartOffset = 10
                $0.highWatermark = 100
                $0.firstTimestamp = 1_000_000
                $0.msPerRecord = 1000
            }
        }
        try harness.coordinator.commitOffsets(
            groupId: "g", memberId: "", generation: -1,
            offsets: [.tp("t", 0): OffsetAndMetadata(offset: 40), .tp("t", 1): OffsetAndMetadata(offset: 60)])
        return harness
    }

    /// A dry run returns old and new offsets and changes nothing; executing writes them durably.
    @Test func dryRunThenExecute() throws {
        let harness = try harness()
        let before = harness.coordinator.fetchOffsets(groupId: "g")
        let storedBefore = try harness.store.loadAll().count
        let expected = [
            OffsetResetEntry(topicPartition: .tp("t", 0), oldOffset: 40, newOffset: 10),
            OffsetResetEntry(topicPartition: .tp("t", 1), oldOffset: 60, newOffset: 10),
        ]
        let preview = try harness.coordinator.resetOffsets(groupId: "g", topics: [], to: .earliest, dryRun: true)
        #expect(preview == expected)
        #expect(harness.coordinator.fetchOffsets(groupId: "g") == before)
        #expect(try harness.store.loadAll().count == storedBefore)

        let executed = try harness.coordinator.resetOffsets(groupId: "g", topics: [], to: .earliest, dryRun: false)
        #expect(executed == expected)
        #expect(
            harness.coordinator.fetchOffsets(groupId: "g").mapValues(\.offset) == [.tp("t", 0): 10, .tp("t", 1): 10])
        #expect(
            try harness.restarted().fetchOffsets(groupId: "g").mapValues(\.offset) == [
                .tp("t", 0): 10, .tp("t", 1): 10,
            ])
    }

    /// Every target lands where Kafka's reset tool would, clamped to [log start, high watermark] at both ends.
    @Test(arguments: [
        (OffsetResetTarget.earliest, [10, 10]),
        (.latest, [100, 100]),
        (.offset(55), [55, 55]),
        (.offset(3), [10, 10]),
        (.offset(1_000), [100, 100]),
        (.timestamp(1_000_000 + 70_000), [70, 70]),
        (.timestamp(1_000_000 + 70_500), [71, 71]),
        (.timestamp(0), [10, 10]),
        (.timestamp(9_000_000), [100, 100]),
        (.shift(by: 5), [45, 65]),
        (.shift(by: -35), [10, 25]),
        (.shift(by: 50), [90, 100]),
        (.shift(by: Int64.max), [100, 100]),
        (.shift(by: Int64.min), [10, 10]),
    ])
    func targets(target: OffsetResetTarget, expected: [Int64]) throws {
        let harness = try harness()
        let entries = try harness.coordinator.resetOffsets(groupId: "g", topics: ["t"], to: target, dryRun: false)
        #expect(entries.map(\.oldOffset) == [40, 60])
        #expect(entries.map(\.newOffset) == expected)
        let offsets = harness.coordinator.fetchOffsets(groupId: "g")
        #expect([offsets[.tp("t", 0)]?.offset, offsets[.tp("t", 1)]?.offset] == expected)
    }

    /// Resets are refused while the group has active members.
    @Test func refusedWithActiveMembers() throws {
        let harness = try harness()
        _ = try harness.join(client: "a", topics: ["t"])
        #expect(throws: BrokerError.nonEmptyGroup("g")) {
            try harness.coordinator.resetOffsets(groupId: "g", topics: [], to: .latest, dryRun: true)
        }
        #expect(harness.coordinator.fetchOffsets(groupId: "g")[.tp("t", 0)]?.offset == 40)
    }

    /// Naming topics resets all their partitions, also for a group that does not exist yet (creating it).
    @Test func namedTopicsAndNewGroups() throws {
        let harness = try harness()
        let entries = try harness.coordinator.resetOffsets(
            groupId: "fresh", topics: ["u", "t"], to: .latest, dryRun: false)
        #expect(entries.map(\.topicPartition) == [.tp("t", 0), .tp("t", 1), .tp("u", 0)])
        #expect(entries.map(\.oldOffset) == [nil, nil, nil])
        #expect(try harness.coordinator.describeGroup("fresh").state == .empty)
        #expect(throws: BrokerError.groupIdNotFound("missing")) {
            try harness.coordinator.resetOffsets(groupId: "missing", topics: [], to: .latest, dryRun: true)
        }
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "nope", partition: nil)) {
            try harness.coordinator.resetOffsets(groupId: "g", topics: ["nope"], to: .latest, dryRun: true)
        }
    }

    /// Chosen partitions (`--topic t:1`), alone or with whole topics: exactly those are planned and
    /// written; a partition that does not exist is refused and nothing changes.
    @Test func chosenPartitions() throws {
        let harness = try harness()
        let entries = try harness.coordinator.resetOffsets(
            groupId: "g", topics: [], partitions: [.tp("t", 1)], to: .earliest, dryRun: false)
        #expect(entries == [OffsetResetEntry(topicPartition: .tp("t", 1), oldOffset: 60, newOffset: 10)])
        #expect(
            harness.coordinator.fetchOffsets(groupId: "g").mapValues(\.offset) == [.tp("t", 0): 40, .tp("t", 1): 10])
        let union = try harness.coordinator.resetOffsets(
            groupId: "g", topics: ["u"], partitions: [.tp("t", 0), .tp("t", 0)], to: .latest, dryRun: true)
        #expect(union.map(\.topicPartition) == [.tp("t", 0), .tp("u", 0)])
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "t", partition: 2)) {
            try harness.coordinator.resetOffsets(
                groupId: "g", topics: [], partitions: [.tp("t", 0), .tp("t", 2)], to: .latest, dryRun: false)
        }
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "nope", partition: 0)) {
            try harness.coordinator.resetOffsets(
                groupId: "g", topics: [], partitions: [.tp("nope", 0)], to: .latest, dryRun: false)
        }
        #expect(
            harness.coordinator.fetchOffsets(groupId: "g").mapValues(\.offset) == [.tp("t", 0): 40, .tp("t", 1): 10])
    }

    /// Shifting a partition without a committed offset is refused, as in Kafka's tool.
    @Test func shiftNeedsACommittedOffset() throws {
        let harness = try harness()
        #expect(throws: BrokerError.self) {
            try harness.coordinator.resetOffsets(groupId: "g", topics: ["u"], to: .shift(by: 1), dryRun: true)
        }
    }

    /// Reset then reset back with the old offsets (the UI's undo, via standalone commits) restores the group.
    @Test func undoWithStandaloneCommit() throws {
        let harness = try harness()
        let entries = try harness.coordinator.resetOffsets(groupId: "g", topics: [], to: .latest, dryRun: false)
        var undo: [TopicPartition: OffsetAndMetadata] = [:]
        for entry in entries {
            undo[entry.topicPartition] = OffsetAndMetadata(offset: try #require(entry.oldOffset))
        }
        try harness.coordinator.commitOffsets(groupId: "g", memberId: "", generation: -1, offsets: undo)
        #expect(
            harness.coordinator.fetchOffsets(groupId: "g").mapValues(\.offset) == [.tp("t", 0): 40, .tp("t", 1): 60])
    }
}
