import BrokerCore
import Testing

@Suite struct GroupConcurrencyTests {
    /// Many tasks committing and heartbeating at once leave memory and store consistent: every
    /// partition ends at its last commit, replay agrees, and the generation never moves.
    @Test func concurrentCommitsAndHeartbeats() async throws {
        let harness = try GroupHarness(topics: ["t": 8])
        let coordinator = harness.coordinator
        var members: [String] = []
        for index in 0..<4 {
            let joined = try harness.join(client: "c\(index)", topics: ["t"])
            members.append(joined.memberId)
            for earlier in members.indices.dropLast() {
                _ = try harness.join(client: "c\(earlier)", topics: ["t"], memberId: members[earlier])
            }
        }
        let generation = try coordinator.describeGroup("g").generation
        var assignments: [String: [TopicPartition]] = [:]
        for member in members {
            // Each member knows the generation it was last told; the current one is accepted from all.
            assignments[member] = try #require(try harness.assignment(member, generation: generation)).partitions
        }
        #expect(try harness.state() == .stable)
        let rounds = 200

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for member in members {
                let partitions = assignments[member]!
                tasks.addTask {
                    for round in 0..<rounds {
                        let result = try coordinator.heartbeat(groupId: "g", memberId: member, generation: generation)
                        guard case .assigned(let assignment) = result, assignment.partitions == partitions else {
                            Issue.record("unexpected heartbeat result \(result)")
                            return
                        }
                        let offsets = Dictionary(
                            uniqueKeysWithValues: partitions.map { ($0, OffsetAndMetadata(offset: Int64(round))) })
                        try coordinator.commitOffsets(
                            groupId: "g", memberId: member, generation: generation, offsets: offsets)
                    }
                }
            }
            // Readers and another group's standalone commits, interleaved.
            tasks.addTask {
                for round in 0..<rounds {
                    _ = coordinator.listGroups()
                    _ = try coordinator.describeGroup("g")
                    try coordinator.commitOffsets(
                        groupId: "side", memberId: "", generation: -1,
                        offsets: [.tp("t", 0): OffsetAndMetadata(offset: Int64(round))])
                    coordinator.tick()
                }
            }
            try await tasks.waitForAll()
        }

        let expected = Dictionary(uniqueKeysWithValues: (0..<8).map { (TopicPartition.tp("t", $0), Int64(rounds - 1)) })
        #expect(coordinator.fetchOffsets(groupId: "g").mapValues(\.offset) == expected)
        #expect(coordinator.fetchOffsets(groupId: "side").mapValues(\.offset) == [.tp("t", 0): Int64(rounds - 1)])
        let description = try coordinator.describeGroup("g")
        #expect(description.generation == generation)
        #expect(description.state == .stable)
        #expect(try harness.store.loadAll().count == rounds * 8 + rounds)
        let restarted = try harness.restarted()
        #expect(restarted.fetchOffsets(groupId: "g") == coordinator.fetchOffsets(groupId: "g"))
    }

    /// Members joining concurrently and following the protocol (rejoin when told) converge on one
    /// Stable generation in which every partition has exactly one owner.
    @Test func concurrentJoinsConverge() async throws {
        let harness = try GroupHarness(topics: ["t": 5])
        let coordinator = harness.coordinator
        let memberCount = 8
        let owned = try await withThrowingTaskGroup(of: (String, MemberAssignment).self) { tasks in
            for index in 0..<memberCount {
                tasks.addTask {
                    let join = {
                        (memberId: String?) throws(BrokerError) -> JoinResult in
                        try coordinator.join(
                            groupId: "g", memberId: memberId, clientId: "c\(index)", clientHost: "h",
                            sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 60_000, topics: ["t"])
                    }
                    var joined = try join(nil)
                    var generation = joined.generation
                    var latest: MemberAssignment?
                    for _ in 0..<1_000_000 {
                        switch try coordinator.heartbeat(
                            groupId: "g", memberId: joined.memberId, generation: generation)
                        {
                        case .rejoinRequired:
                            joined = try join(joined.memberId)
                            generation = joined.generation
                        case .awaitingAssignment:
                            await Task.yield()
                        case .assigned(let assignment):
                            generation = assignment.generation
                            latest = assignment
                            let description = try coordinator.describeGroup("g")
                            if description.state == .stable, description.members.count == memberCount,
                                description.generation == assignment.generation
                            {
                                return (joined.memberId, assignment)
                            }
                            await Task.yield()
                        }
                    }
                    Issue.record("member \(index) did not converge; last assignment \(String(describing: latest))")
                    return (joined.memberId, latest!)
                }
            }
            var results: [(String, MemberAssignment)] = []
            for try await result in tasks {
                results.append(result)
            }
            return results
        }
        #expect(Set(owned.map(\.1.generation)).count == 1)
        #expect(owned.flatMap(\.1.partitions).sorted() == (0..<5).map { .tp("t", $0) })
        #expect(owned.filter(\.1.partitions.isEmpty).count == 3)
        let description = try coordinator.describeGroup("g")
        #expect(description.state == .stable)
        #expect(description.members.count == memberCount)
    }
}
