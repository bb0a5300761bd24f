import BrokerCore
import Testing

@Suite struct GroupAssignorTests {
    private let twoMembersTwoTopics: [String: Set<String>] = ["C0": ["t0", "t1"], "C1": ["t0", "t1"]]

    /// RangeAssignor matches Kafka's documented example: C0 gets t0p0,t0p1,t1p0,t1p1 and C1 t0p2,t1p2.
    @Test func rangeMatchesKafkasExample() {
        let assignment = RangeAssignor().assign(
            partitionsPerTopic: ["t0": 3, "t1": 3], subscriptions: twoMembersTwoTopics)
        #expect(assignment["C0"] == [.tp("t0", 0), .tp("t0", 1), .tp("t1", 0), .tp("t1", 1)])
        #expect(assignment["C1"] == [.tp("t0", 2), .tp("t1", 2)])
    }

    /// RoundRobinAssignor matches Kafka's documented example: C0 gets t0p0,t0p2,t1p1 and C1 t0p1,t1p0,t1p2.
    @Test func roundRobinMatchesKafkasExample() {
        let assignment = RoundRobinAssignor().assign(
            partitionsPerTopic: ["t0": 3, "t1": 3], subscriptions: twoMembersTwoTopics)
        #expect(assignment["C0"] == [.tp("t0", 0), .tp("t0", 2), .tp("t1", 1)])
        #expect(assignment["C1"] == [.tp("t0", 1), .tp("t1", 0), .tp("t1", 2)])
    }

    /// RoundRobinAssignor skips members not subscribed to a topic, as in Kafka's javadoc example.
    @Test func roundRobinSkipsUnsubscribedMembers() {
        let assignment = RoundRobinAssignor().assign(
            partitionsPerTopic: ["t0": 1, "t1": 2, "t2": 3],
            subscriptions: ["C0": ["t0"], "C1": ["t0", "t1"], "C2": ["t0", "t1", "t2"]])
        #expect(assignment["C0"] == [.tp("t0", 0)])
        #expect(assignment["C1"] == [.tp("t1", 0)])
        #expect(assignment["C2"] == [.tp("t1", 1), .tp("t2", 0), .tp("t2", 1), .tp("t2", 2)])
    }

    /// RangeAssignor gives the first `partitions % members` members one extra partition.
    @Test func rangeGivesFirstMembersTheExtraPartitions() {
        let assignment = RangeAssignor().assign(
            partitionsPerTopic: ["t": 10], subscriptions: ["C2": ["t"], "C0": ["t"], "C1": ["t"]])
        #expect(assignment["C0"] == (0...3).map { .tp("t", $0) })
        #expect(assignment["C1"] == (4...6).map { .tp("t", $0) })
        #expect(assignment["C2"] == (7...9).map { .tp("t", $0) })
    }

    /// With more members than partitions, one member sits idle and each partition is assigned once.
    @Test(arguments: PartitionAssignorName.allCases)
    func extraMembersSitIdle(assignor: PartitionAssignorName) {
        let assignment = assignor.assignor.assign(
            partitionsPerTopic: ["t": 2], subscriptions: ["C0": ["t"], "C1": ["t"], "C2": ["t"]])
        #expect(assignment.count == 3)
        #expect(assignment.values.filter(\.isEmpty).count == 1)
        #expect(assignment.values.flatMap { $0 }.sorted() == [.tp("t", 0), .tp("t", 1)])
    }

    /// Topics that do not exist are skipped; members subscribed only to them get nothing.
    @Test(arguments: PartitionAssignorName.allCases)
    func missingTopicsAreSkipped(assignor: PartitionAssignorName) {
        let assignment = assignor.assignor.assign(
            partitionsPerTopic: ["t": 1], subscriptions: ["C0": ["missing"], "C1": ["t", "missing"]])
        #expect(assignment["C0"] == [])
        #expect(assignment["C1"] == [.tp("t", 0)])
    }

    /// For many random subscriptions, every partition of a subscribed topic goes to exactly one
    /// subscribed member, and the load differs by at most one for identical subscriptions.
    @Test(arguments: PartitionAssignorName.allCases)
    func everyPartitionExactlyOnce(assignor: PartitionAssignorName) {
        var random = SplitMix64(seed: 42)
        for _ in 0..<300 {
            let topicCount = Int(random.next() % 4) + 1
            var partitionsPerTopic: [String: Int32] = [:]
            for index in 0..<topicCount {
                partitionsPerTopic["t\(index)"] = Int32(random.next() % 7)
            }
            let memberCount = Int(random.next() % 6) + 1
            var subscriptions: [String: Set<String>] = [:]
            for member in 0..<memberCount {
                var topics = Set<String>()
                for index in 0..<topicCount where random.next() % 2 == 0 {
                    topics.insert("t\(index)")
                }
                topics.insert("t\(random.next() % UInt64(topicCount))")
                subscriptions["member-\(member)"] = topics
            }
            let assignment = assignor.assignor.assign(
                partitionsPerTopic: partitionsPerTopic, subscriptions: subscriptions)

            #expect(Set(assignment.keys) == Set(subscriptions.keys))
            let assigned = assignment.values.flatMap { $0 }
            var expected: [TopicPartition] = []
            for (topic, count) in partitionsPerTopic where subscriptions.values.contains(where: { $0.contains(topic) })
            {
                expected += (0..<count).map { .tp(topic, $0) }
            }
            #expect(assigned.sorted() == expected.sorted())
            for (member, partitions) in assignment {
                #expect(partitions.allSatisfy { subscriptions[member]!.contains($0.topic) })
                #expect(partitions == partitions.sorted())
            }
        }
    }

    /// Identical subscriptions are balanced: member loads differ by at most one partition per topic (range) or overall (roundrobin).
    @Test(arguments: PartitionAssignorName.allCases)
    func identicalSubscriptionsAreBalanced(assignor: PartitionAssignorName) {
        let members = (0..<4).map { "m\($0)" }
        let subscriptions = Dictionary(uniqueKeysWithValues: members.map { ($0, Set(["a"])) })
        let assignment = assignor.assignor.assign(partitionsPerTopic: ["a": 11], subscriptions: subscriptions)
        let loads = assignment.values.map(\.count)
        #expect(loads.max()! - loads.min()! <= 1)
        #expect(loads.reduce(0, +) == 11)
    }

    /// The names are Kafka's assignor names.
    @Test func assignorNames() {
        #expect(PartitionAssignorName(rawValue: "range") == .range)
        #expect(PartitionAssignorName(rawValue: "roundrobin") == .roundrobin)
        #expect(RangeAssignor().name == .range)
        #expect(RoundRobinAssignor().name == .roundrobin)
    }
}
