import BrokerCore
import Logging
import Testing

@Suite struct GroupMembershipTests {
    /// A group walks Empty → PreparingRebalance → CompletingRebalance → Stable, and a second member
    /// makes the first one rejoin before the next generation starts.
    @Test func stateTransitions() throws {
        let harness = try GroupHarness()
        let coordinator = harness.coordinator
        // A standalone commit creates the group Empty.
        try coordinator.commitOffsets(
            groupId: "g", memberId: "", generation: -1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 0)])
        #expect(try harness.state() == .empty)
        #expect(try coordinator.describeGroup("g").generation == 0)

        // The only member has joined, so the join phase completes at once.
        let a = try harness.join(client: "a")
        #expect(a.state == .completingRebalance)
        #expect(a.generation == 1)
        #expect(a.leaderId == a.memberId)
        let assignmentA1 = try #require(try harness.assignment(a.memberId, generation: 1))
        #expect(assignmentA1.partitions.count == 6)
        #expect(try harness.state() == .stable)

        // A second member starts a rebalance; the first must rejoin.
        let b = try harness.join(client: "b")
        #expect(b.state == .preparingRebalance)
        #expect(b.generation == 1)
        #expect(try harness.state() == .preparingRebalance)
        #expect(try coordinator.heartbeat(groupId: "g", memberId: a.memberId, generation: 1) == .rejoinRequired)
        #expect(try coordinator.heartbeat(groupId: "g", memberId: b.memberId, generation: 1) == .awaitingAssignment)

        let rejoin = try harness.join(client: "a", memberId: a.memberId)
        #expect(rejoin.memberId == a.memberId)
        #expect(rejoin.state == .completingRebalance)
        #expect(rejoin.generation == 2)
        let assignmentA2 = try #require(try harness.assignment(a.memberId, generation: 2))
        #expect(try harness.state() == .completingRebalance)
        // b still knows generation 1 and collects generation 2 with it.
        let assignmentB2 = try #require(try harness.assignment(b.memberId, generation: 1))
        #expect(assignmentB2.generation == 2)
        #expect(try harness.state() == .stable)
        #expect((assignmentA2.partitions + assignmentB2.partitions).sorted().count == 6)
        #expect(Set(assignmentA2.partitions).isDisjoint(with: assignmentB2.partitions))
    }

    /// A new member's join bumps the generation once every member has rejoined.
    @Test func joinBumpsGeneration() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        _ = try harness.assignment(a.memberId, generation: a.generation)
        _ = try harness.join(client: "b")
        #expect(try harness.coordinator.describeGroup("g").generation == 1)
        let rejoin = try harness.join(client: "a", memberId: a.memberId)
        #expect(rejoin.generation == 2)
    }

    /// A leave bumps the generation; the last member leaving makes the group Empty in a new generation.
    @Test func leaveBumpsGeneration() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        let b = try harness.join(client: "b")
        let a2 = try harness.join(client: "a", memberId: a.memberId)
        #expect(a2.generation == 2)
        _ = try harness.assignment(a.memberId, generation: 2)
        _ = try harness.assignment(b.memberId, generation: 2)
        #expect(try harness.state() == .stable)

        try harness.coordinator.leave(groupId: "g", memberId: b.memberId)
        #expect(try harness.state() == .preparingRebalance)
        #expect(try harness.coordinator.heartbeat(groupId: "g", memberId: a.memberId, generation: 2) == .rejoinRequired)
        let a3 = try harness.join(client: "a", memberId: a.memberId)
        #expect(a3.generation == 3)
        let assignment = try #require(try harness.assignment(a.memberId, generation: 3))
        #expect(assignment.partitions.count == 6)

        try harness.coordinator.leave(groupId: "g", memberId: a.memberId)
        let description = try harness.coordinator.describeGroup("g")
        #expect(description.state == .empty)
        #expect(description.generation == 4)
        #expect(description.members.isEmpty)
        #expect(description.leaderId == nil)
    }

    /// A member whose session times out is removed at the next tick, which bumps the generation;
    /// heartbeats keep the other member alive.
    @Test func sessionExpiryBumpsGeneration() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        let b = try harness.join(client: "b")
        _ = try harness.join(client: "a", memberId: a.memberId)
        _ = try harness.assignment(a.memberId, generation: 2)
        _ = try harness.assignment(b.memberId, generation: 2)

        harness.clock.advance(by: 6_000)
        _ = try harness.assignment(a.memberId, generation: 2)
        harness.clock.advance(by: 3_999)
        harness.coordinator.tick()
        #expect(try harness.coordinator.describeGroup("g").members.count == 2)
        harness.clock.advance(by: 1)
        harness.coordinator.tick()
        let description = try harness.coordinator.describeGroup("g")
        #expect(description.members.map(\.memberId) == [a.memberId])
        #expect(description.state == .preparingRebalance)
        #expect(throws: BrokerError.unknownMemberId(group: "g", memberId: b.memberId)) {
            try harness.coordinator.heartbeat(groupId: "g", memberId: b.memberId, generation: 2)
        }
        let rejoin = try harness.join(client: "a", memberId: a.memberId)
        #expect(rejoin.generation == 3)
        #expect(try harness.assignment(a.memberId, generation: 3)?.partitions.count == 6)
    }

    /// Regular heartbeats keep a session alive far beyond its timeout.
    @Test func heartbeatsKeepTheSessionAlive() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        for _ in 0..<20 {
            harness.clock.advance(by: 9_000)
            harness.coordinator.tick()
            #expect(try harness.assignment(a.memberId, generation: 1) != nil)
        }
        #expect(try harness.state() == .stable)
    }

    /// A heartbeat with a generation older than the member's is refused with ILLEGAL_GENERATION.
    @Test func staleGenerationRefused() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        _ = try harness.assignment(a.memberId, generation: 1)
        _ = try harness.join(client: "b")
        _ = try harness.join(client: "a", memberId: a.memberId)
        _ = try harness.assignment(a.memberId, generation: 2)
        #expect(throws: BrokerError.illegalGeneration(group: "g", generation: 1, current: 2)) {
            try harness.coordinator.heartbeat(groupId: "g", memberId: a.memberId, generation: 1)
        }
        #expect(throws: BrokerError.illegalGeneration(group: "g", generation: 7, current: 2)) {
            try harness.coordinator.heartbeat(groupId: "g", memberId: a.memberId, generation: 7)
        }
    }

    /// Unknown members (and members of unknown groups) are refused with UNKNOWN_MEMBER_ID.
    @Test func unknownMemberRefused() throws {
        let harness = try GroupHarness()
        _ = try harness.join(client: "a")
        let unknown = BrokerError.unknownMemberId(group: "g", memberId: "ghost")
        #expect(throws: unknown) { try harness.coordinator.heartbeat(groupId: "g", memberId: "ghost", generation: 1) }
        #expect(throws: unknown) { try harness.coordinator.leave(groupId: "g", memberId: "ghost") }
        #expect(throws: unknown) { try harness.join(client: "x", memberId: "ghost") }
        #expect(throws: BrokerError.unknownMemberId(group: "other", memberId: "ghost")) {
            try harness.coordinator.heartbeat(groupId: "other", memberId: "ghost", generation: 0)
        }
        #expect(throws: BrokerError.unknownMemberId(group: "other", memberId: "ghost")) {
            try harness.join("other", client: "x", memberId: "ghost")
        }
    }

    /// A rebalance completes at its timeout without the members that did not rejoin, even though they kept heartbeating.
    @Test func rebalanceTimeoutRemovesMembersThatDidNotRejoin() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a")
        let b = try harness.join(client: "b")
        _ = try harness.join(client: "a", memberId: a.memberId)
        _ = try harness.assignment(a.memberId, generation: 2)
        _ = try harness.assignment(b.memberId, generation: 2)

        let c = try harness.join(client: "c")
        #expect(c.state == .preparingRebalance)
        _ = try harness.join(client: "a", memberId: a.memberId)
        harness.clock.advance(by: 4_999)
        #expect(try harness.coordinator.heartbeat(groupId: "g", memberId: b.memberId, generation: 2) == .rejoinRequired)
        harness.coordinator.tick()
        #expect(try harness.state() == .preparingRebalance)
        harness.clock.advance(by: 1)
        harness.coordinator.tick()

        let description = try harness.coordinator.describeGroup("g")
        #expect(description.state == .completingRebalance)
        #expect(description.generation == 3)
        #expect(Set(description.members.map(\.memberId)) == [a.memberId, c.memberId])
        #expect(throws: BrokerError.unknownMemberId(group: "g", memberId: b.memberId)) {
            try harness.coordinator.heartbeat(groupId: "g", memberId: b.memberId, generation: 2)
        }
        let partitions =
            try #require(try harness.assignment(a.memberId, generation: 3)).partitions
            + #require(try harness.assignment(c.memberId, generation: 2)).partitions
        #expect(
            partitions.sorted() == [.tp("t0", 0), .tp("t0", 1), .tp("t0", 2), .tp("t1", 0), .tp("t1", 1), .tp("t1", 2)])
        #expect(try harness.state() == .stable)
    }

    /// Three members on a topic with two partitions: one sits idle, each partition is owned once.
    @Test(arguments: PartitionAssignorName.allCases)
    func moreMembersThanPartitions(assignor: PartitionAssignorName) throws {
        let harness = try GroupHarness(topics: ["two": 2])
        let clients = ["c0", "c1", "c2"]
        var members: [JoinResult] = []
        for client in clients {
            members.append(try harness.join(client: client, topics: ["two"], assignor: assignor))
            for index in members.indices.dropLast() {
                members[index] = try harness.join(
                    client: clients[index], topics: ["two"], memberId: members[index].memberId)
            }
        }
        var owned: [TopicPartition] = []
        var idle = 0
        for member in members {
            let assignment = try #require(try harness.assignment(member.memberId, generation: member.generation))
            #expect(assignment.generation == 3)
            #expect(assignment.assignor == assignor)
            owned += assignment.partitions
            idle += assignment.partitions.isEmpty ? 1 : 0
        }
        #expect(owned.sorted() == [.tp("two", 0), .tp("two", 1)])
        #expect(idle == 1)
        #expect(try harness.state() == .stable)
        #expect(try harness.coordinator.describeGroup("g").assignor == assignor)
    }

    /// Through the coordinator, the members (sorted by member id, i.e. by client id) get Kafka's round-robin example.
    @Test func roundRobinThroughTheCoordinator() throws {
        let harness = try GroupHarness()
        let c0 = try harness.join(client: "C0", assignor: .roundrobin)
        _ = try harness.join(client: "C1")
        _ = try harness.join(client: "C0", memberId: c0.memberId)
        let description = try harness.coordinator.describeGroup("g")
        #expect(description.assignor == .roundrobin)
        #expect(
            description.members.map(\.assignment) == [
                [.tp("t0", 0), .tp("t0", 2), .tp("t1", 1)], [.tp("t0", 1), .tp("t1", 0), .tp("t1", 2)],
            ])
        #expect(description.members.map(\.clientId) == ["C0", "C1"])
    }

    /// A later member asking for another assignor is refused; the only member may switch.
    @Test func assignorMustAgree() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a", assignor: .range)
        #expect(throws: BrokerError.self) { try harness.join(client: "b", assignor: .roundrobin) }
        #expect(try harness.coordinator.describeGroup("g").members.count == 1)
        let switched = try harness.join(client: "a", memberId: a.memberId, assignor: .roundrobin)
        #expect(switched.assignor == .roundrobin)
        #expect(switched.generation == 2)
    }

    /// A rejoin with a changed subscription starts a rebalance; an unchanged one does not.
    @Test func subscriptionChangeRebalances() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a", topics: ["t0"])
        _ = try harness.assignment(a.memberId, generation: 1)
        let same = try harness.join(client: "a", topics: ["t0"], memberId: a.memberId)
        #expect(same.generation == 1)
        #expect(same.state == .stable)
        let changed = try harness.join(client: "a", topics: ["t0", "t1"], memberId: a.memberId)
        #expect(changed.generation == 2)
        #expect(try harness.assignment(a.memberId, generation: 2)?.partitions.count == 6)
    }

    /// Topics created or grown after the join make subscribed groups rebalance onto the new partitions.
    @Test func topicChangesRebalance() throws {
        let harness = try GroupHarness()
        let a = try harness.join(client: "a", topics: ["later"])
        #expect(try harness.assignment(a.memberId, generation: 1)?.partitions == [])
        harness.metadata.addTopic("later", partitions: 2)
        harness.coordinator.topicPartitionsChanged("unrelated")
        #expect(try harness.state() == .stable)
        harness.coordinator.topicPartitionsChanged("later")
        #expect(try harness.coordinator.heartbeat(groupId: "g", memberId: a.memberId, generation: 1) == .rejoinRequired)
        let rejoin = try harness.join(client: "a", topics: ["later"], memberId: a.memberId)
        #expect(
            try harness.assignment(a.memberId, generation: rejoin.generation)?.partitions == [
                .tp("later", 0), .tp("later", 1),
            ])
    }

    /// Join arguments are validated: group id, session timeout bounds (Kafka's 6 s – 30 min), topics, rebalance timeout.
    @Test func joinValidation() throws {
        let harness = try GroupHarness(config: GroupCoordinatorConfig())
        func join(
            group: String = "g", session: Int32 = 10_000, rebalance: Int32 = 5_000, topics: [String] = ["t0"]
        )
            throws(BrokerError) -> JoinResult
        {
            try harness.coordinator.join(
                groupId: group, memberId: nil, clientId: "c", clientHost: "h", sessionTimeoutMs: session,
                rebalanceTimeoutMs: rebalance, topics: topics)
        }
        #expect(throws: BrokerError.invalidSessionTimeout(5_999)) { try join(session: 5_999) }
        #expect(throws: BrokerError.invalidSessionTimeout(1_800_001)) { try join(session: 1_800_001) }
        #expect(throws: BrokerError.invalidGroupId("the group id must not be empty")) { try join(group: "") }
        #expect(throws: BrokerError.self) { try join(group: String(repeating: "x", count: 256)) }
        #expect(throws: BrokerError.self) { try join(group: "bad\u{1}id") }
        #expect(throws: BrokerError.self) { try join(topics: []) }
        #expect(throws: BrokerError.self) { try join(topics: [""]) }
        #expect(throws: BrokerError.self) { try join(rebalance: 0) }
        #expect(harness.coordinator.listGroups().isEmpty)
        _ = try join(session: 6_000)
        _ = try join(group: String(repeating: "x", count: 255), session: 1_800_000)
        #expect(harness.coordinator.listGroups().count == 2)
    }

    /// Member ids are generated as `<clientId>-<uuid>` and are unique.
    @Test func memberIdsAreGenerated() throws {
        let harness = try GroupHarness()
        let ids = try (0..<20).map { _ in try harness.join(client: "app").memberId }
        #expect(Set(ids).count == 20)
        #expect(ids.allSatisfy { $0.hasPrefix("app-") && $0.count == "app-".count + 36 })
    }

    /// Groups never disturb each other: a join in one group does not rebalance another.
    @Test func groupsAreIndependent() throws {
        let harness = try GroupHarness()
        let a = try harness.join("one", client: "a")
        _ = try harness.assignment(a.memberId, generation: 1, group: "one")
        _ = try harness.join("two", client: "b")
        #expect(try harness.state("one") == .stable)
        #expect(try harness.assignment(a.memberId, generation: 1, group: "one")?.partitions.count == 6)
    }

    /// tick forgets an Empty group without committed offsets, but keeps one with offsets.
    @Test func tickForgetsEmptyGroupsWithoutOffsets() throws {
        let harness = try GroupHarness()
        let a = try harness.join("bare", client: "a")
        try harness.coordinator.leave(groupId: "bare", memberId: a.memberId)
        let b = try harness.join("kept", client: "b")
        _ = try harness.assignment(b.memberId, generation: 1, group: "kept")
        try harness.coordinator.commitOffsets(
            groupId: "kept", memberId: b.memberId, generation: 1, offsets: [.tp("t0", 0): OffsetAndMetadata(offset: 1)])
        try harness.coordinator.leave(groupId: "kept", memberId: b.memberId)
        #expect(harness.coordinator.listGroups().map(\.groupId) == ["bare", "kept"])
        harness.coordinator.tick()
        #expect(harness.coordinator.listGroups().map(\.groupId) == ["kept"])
        #expect(throws: BrokerError.groupIdNotFound("bare")) { try harness.coordinator.describeGroup("bare") }
    }

    /// Log lines carry the group id under the `group.id` metadata key.
    @Test func logsCarryGroupId() throws {
        let logs = CapturedLogs()
        let harness = try GroupHarness(logger: logs.logger)
        _ = try harness.join("orders-app", client: "a")
        let lines = logs.all.filter { $0.message.hasPrefix("member ") && $0.message.hasSuffix(" joined") }
        #expect(lines.count == 1)
        #expect(lines.first?.metadata["group.id"] == "orders-app")
    }

    /// GroupState prints Kafka's display strings.
    @Test func stateDisplayStrings() {
        #expect(
            GroupState.allCases.map(\.description) == [
                "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead",
            ])
    }
}
