import BrokerCore
import Testing

@Suite struct GroupOffsetCommitTests {
    /// Joins one member and collects its assignment; returns its id (generation 1).
    private func stableMember(_ harness: GroupHarness, group: String = "g") throws -> String {
        let member = try harness.join(group, client: "a")
        _ = try harness.assignment(member.memberId, generation: member.generation, group: group)
        return member.memberId
    }

    /// Commits go through the store, carry the clock's time, and a new coordinator over the same store restores them.
    @Test func commitsArePersistedAndRestored() throws {
        let harness = try GroupHarness()
        let member = try stableMember(harness)
        try harness.coordinator.commitOffsets(
            groupId: "g", memberId: member, generation: 1,
            offsets: [
                .tp("t0", 0): OffsetAndMetadata(offset: 42, leaderEpoch: 3, metadata: "host-1 ✓"),
                .tp("t1", 2): OffsetAndMetadata(offset: 7),
            ])
        harness.clock.advance(by: 500)
        try harness.coordinator.commitOffsets(
            groupId: "g", memberId: member, generation: 1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 50)])
        let start = ManualClock().nowMilliseconds()
        let expected: [TopicPartition: CommittedOffset] = [
            .tp("t0", 0): CommittedOffset(offset: 50, commitTimestamp: start + 500),
            .tp("t1", 2): CommittedOffset(offset: 7, commitTimestamp: start),
        ]
        #expect(harness.coordinator.fetchOffsets(groupId: "g") == expected)
        #expect(try harness.store.loadAll().count == 3)

        let restarted = try harness.restarted()
        #expect(restarted.fetchOffsets(groupId: "g") == expected)
        let description = try restarted.describeGroup("g")
        #expect(description.state == .empty)
        #expect(description.members.isEmpty)
        #expect(restarted.listGroups().map(\.groupId) == ["g"])
    }

    /// A commit with a stale generation is refused and nothing is written.
    @Test func staleGenerationCommitRefused() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        _ = try harness.assignment(a.memberId, generation: 1)
        _ = try harness.join(client: "b")
        _ = try harness.join(client: "a", memberId: a.memberId)
        _ = try harness.assignment(a.memberId, generation: 2)
        #expect(throws: BrokerError.illegalGeneration(group: "g", generation: 1, current: 2)) {
            try harness.coordinator.commitOffsets(
                groupId: "g", memberId: a.memberId, generation: 1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 1)]
            )
        }
        #expect(try harness.store.loadAll().isEmpty)
        #expect(harness.coordinator.fetchOffsets(groupId: "g").isEmpty)
    }

    /// Members may still commit in their current generation while a rebalance is being prepared (before rejoining).
    @Test func commitAllowedWhilePreparingRebalance() throws {
        let harness = try GroupHarness()
        let a = try stableMember(harness)
        _ = try harness.join(client: "b")
        #expect(try harness.state() == .preparingRebalance)
        try harness.coordinator.commitOffsets(
            groupId: "g", memberId: a, generation: 1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 9)])
        #expect(harness.coordinator.fetchOffsets(groupId: "g")[.tp("t0", 0)]?.offset == 9)
    }

    /// A member's commits keep its session alive like heartbeats do (Kafka's classic coordinator).
    @Test func commitsRefreshTheSession() throws {
        let harness = try GroupHarness()
        let member = try stableMember(harness)
        for offset: Int64 in 1...5 {
            harness.clock.advance(by: 9_000)
            harness.coordinator.tick()
            try harness.coordinator.commitOffsets(
                groupId: "g", memberId: member, generation: 1,
                offsets: [.tp("t0", 0): OffsetAndMetadata(offset: offset)])
        }
        #expect(try harness.state() == .stable)
        harness.clock.advance(by: 10_000)
        harness.coordinator.tick()
        #expect(try harness.state() == .empty)
    }

    /// A member of a new generation cannot commit before it collects its assignment (REBALANCE_IN_PROGRESS).
    @Test func commitBeforeCollectingAssignmentRefused() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        #expect(a.state == .completingRebalance)
        #expect(throws: BrokerError.rebalanceInProgress("g")) {
            try harness.coordinator.commitOffsets(
                groupId: "g", memberId: a.memberId, generation: 1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 1)]
            )
        }
    }

    /// Standalone commits (generation -1) work only while the group has no members; unknown members are refused.
    @Test func standaloneCommitRules() throws {
        let harness = try GroupHarness()
        let commit = [TopicPartition.tp("t0", 0): OffsetAndMetadata(offset: 5)]
        #expect(throws: BrokerError.illegalGeneration(group: "new", generation: 3, current: 0)) {
            try harness.coordinator.commitOffsets(groupId: "new", memberId: "someone", generation: 3, offsets: commit)
        }
        try harness.coordinator.commitOffsets(groupId: "new", memberId: "", generation: -1, offsets: commit)
        #expect(
            harness.coordinator.listGroups() == [
                GroupSummary(groupId: "new", state: .empty, memberCount: 0, topics: ["t0"], totalLag: 0)
            ])

        let member = try stableMember(harness, group: "busy")
        #expect(throws: BrokerError.unknownMemberId(group: "busy", memberId: "")) {
            try harness.coordinator.commitOffsets(groupId: "busy", memberId: "", generation: -1, offsets: commit)
        }
        #expect(throws: BrokerError.unknownMemberId(group: "busy", memberId: "ghost")) {
            try harness.coordinator.commitOffsets(groupId: "busy", memberId: "ghost", generation: 1, offsets: commit)
        }
        try harness.coordinator.commitOffsets(groupId: "busy", memberId: member, generation: 1, offsets: commit)
    }

    /// Commits to missing partitions, negative offsets and oversized metadata are refused.
    @Test func commitValidation() throws {
        let harness = try GroupHarness()
        func commit(_ tp: TopicPartition, _ offset: OffsetAndMetadata) throws(BrokerError) {
            try harness.coordinator.commitOffsets(groupId: "g", memberId: "", generation: -1, offsets: [tp: offset])
        }
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "nope", partition: nil)) {
            try commit(.tp("nope", 0), OffsetAndMetadata(offset: 1))
        }
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "t0", partition: 3)) {
            try commit(.tp("t0", 3), OffsetAndMetadata(offset: 1))
        }
        #expect(throws: BrokerError.self) { try commit(.tp("t0", 0), OffsetAndMetadata(offset: -1)) }
        #expect(throws: BrokerError.self) {
            try commit(.tp("t0", 0), OffsetAndMetadata(offset: 1, metadata: String(repeating: "m", count: 4097)))
        }
        try commit(.tp("t0", 0), OffsetAndMetadata(offset: 1, metadata: String(repeating: "m", count: 4096)))
        #expect(harness.coordinator.fetchOffsets(groupId: "g").count == 1)
    }

    /// When the store fails, the commit fails and memory is unchanged (write-ahead).
    @Test func storeFailureLeavesMemoryUnchanged() throws {
        let store = FailingOffsetStore()
        let harness = try GroupHarness(store: store)
        let commit = { (offset: Int64) throws(BrokerError) in
            try harness.coordinator.commitOffsets(
                groupId: "g", memberId: "", generation: -1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: offset)])
        }
        try commit(1)
        store.failing.store(true, ordering: .relaxed)
        #expect(throws: BrokerError.storage("disk full")) { try commit(2) }
        #expect(harness.coordinator.fetchOffsets(groupId: "g")[.tp("t0", 0)]?.offset == 1)
        #expect(throws: BrokerError.storage("disk full")) { try harness.coordinator.deleteGroup("g") }
        #expect(harness.coordinator.fetchOffsets(groupId: "g").count == 1)
    }

    /// Deleting a group is refused while it has members; otherwise tombstones are written and the group stays gone after a restart.
    @Test func deleteGroup() throws {
        let harness = try GroupHarness()
        let member = try stableMember(harness)
        try harness.coordinator.commitOffsets(
            groupId: "g", memberId: member, generation: 1,
            offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 1), .tp("t1", 0): OffsetAndMetadata(offset: 2)])
        try harness.coordinator.commitOffsets(
            groupId: "other", memberId: "", generation: -1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 3)])
        #expect(throws: BrokerError.nonEmptyGroup("g")) { try harness.coordinator.deleteGroup("g") }

        try harness.coordinator.leave(groupId: "g", memberId: member)
        try harness.coordinator.deleteGroup("g")
        #expect(throws: BrokerError.groupIdNotFound("g")) { try harness.coordinator.describeGroup("g") }
        #expect(throws: BrokerError.groupIdNotFound("g")) { try harness.coordinator.deleteGroup("g") }
        #expect(harness.coordinator.fetchOffsets(groupId: "g").isEmpty)

        let entries = try harness.store.loadAll()
        let tombstones = entries.filter(\.isTombstone).map(\.key)
        #expect(
            tombstones == [
                OffsetCommitKey(group: "g", topicPartition: .tp("t0", 0)),
                OffsetCommitKey(group: "g", topicPartition: .tp("t1", 0)),
            ])
        let restarted = try harness.restarted()
        #expect(restarted.listGroups().map(\.groupId) == ["other"])
        #expect(restarted.fetchOffsets(groupId: "g").isEmpty)
    }

    /// A deleted topic's offsets are dropped from every group, durably.
    @Test func topicDeletedDropsOffsets() throws {
        let harness = try GroupHarness()
        for group in ["g1", "g2"] {
            try harness.coordinator.commitOffsets(
                groupId: group, memberId: "", generation: -1,
                offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 1), .tp("t1", 1): OffsetAndMetadata(offset: 2)])
        }
        harness.metadata.removeTopic("t1")
        try harness.coordinator.topicDeleted("t1")
        #expect(harness.coordinator.fetchOffsets(groupId: "g1").keys.sorted() == [.tp("t0", 0)])
        #expect(harness.coordinator.fetchOffsets(groupId: "g2").keys.sorted() == [.tp("t0", 0)])
        let restarted = try harness.restarted()
        #expect(restarted.fetchOffsets(groupId: "g1").keys.sorted() == [.tp("t0", 0)])
        #expect(restarted.listGroups().map(\.topics) == [["t0"], ["t0"]])
    }

    /// Replay keeps the last entry per key and applies tombstones in order.
    @Test func replayLastEntryWinsAndTombstonesRemove() throws {
        let store = InMemoryOffsetStore()
        func entry(_ group: String, _ partition: Int32, _ offset: Int64?) -> OffsetCommitEntry {
            OffsetCommitEntry(
                key: OffsetCommitKey(group: group, topicPartition: .tp("t0", partition)),
                value: offset.map { OffsetCommitValue(offset: $0, commitTimestamp: 1) })
        }
        try store.append([entry("a", 0, 1), entry("a", 0, 2), entry("a", 1, 5), entry("b", 0, 9)])
        try store.append([entry("a", 1, nil), entry("b", 0, nil), entry("b", 0, 10), entry("c", 0, 1)])
        try store.append([entry("c", 0, nil)])
        let harness = try GroupHarness(store: store)
        #expect(
            harness.coordinator.fetchOffsets(groupId: "a") == [
                .tp("t0", 0): CommittedOffset(offset: 2, commitTimestamp: 1)
            ])
        #expect(
            harness.coordinator.fetchOffsets(groupId: "b") == [
                .tp("t0", 0): CommittedOffset(offset: 10, commitTimestamp: 1)
            ])
        #expect(harness.coordinator.listGroups().map(\.groupId) == ["a", "b"])
    }

    /// A store holding bytes that do not decode makes startup fail with a corrupt-record error instead of crashing.
    @Test func malformedStoreFailsStartup() throws {
        let store = InMemoryOffsetStore()
        store._appendRaw(key: [0, 1, 0, 9, 0x67], value: nil)
        let error = #expect(throws: BrokerError.self) { try GroupHarness(store: store) }
        guard case .corruptRecord = error else {
            Issue.record("expected corruptRecord, got \(String(describing: error))")
            return
        }
    }
}
