/// The partition assignors a group can use, by Kafka's names (`partition.assignment.strategy`).
public enum PartitionAssignorName: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Kafka's `RangeAssignor`: contiguous ranges of each topic's partitions.
    case range
    /// Kafka's `RoundRobinAssignor`: all subscribed partitions dealt out in turn.
    case roundrobin

    /// The assignor's name, as Kafka spells it.
    public var description: String { rawValue }

    /// The assignor that implements this name.
    public var assignor: any PartitionAssignor {
        switch self {
        case .range: RangeAssignor()
        case .roundrobin: RoundRobinAssignor()
        }
    }
}

/// Computes which member of a group consumes which partition.
///
/// Every partition of every topic in `partitionsPerTopic` that at least one member subscribes to
/// goes to exactly one member subscribed to its topic; members beyond the partition count get
/// nothing. Topics a member subscribes to that are missing from `partitionsPerTopic` (they do not
/// exist yet) are skipped, as Kafka does.
public protocol PartitionAssignor: Sendable {
    /// The assignor's name.
    var name: PartitionAssignorName { get }

    /// Assigns partitions to members.
    /// - Parameters:
    ///   - partitionsPerTopic: the partition count of each existing topic.
    ///   - subscriptions: the topics each member (by member id) subscribes to.
    /// - Returns: every member id of `subscriptions`, each with its partitions sorted by topic,
    ///   then partition (an empty list for an idle member).
    func assign(
        partitionsPerTopic: [String: Int32],
        subscriptions: [String: Set<String>]
    ) -> [String: [TopicPartition]]
}

/// Kafka's `RangeAssignor`.
///
/// Per topic: the members subscribed to it, sorted by member id, each get a contiguous range of
/// `partitions / members` partitions, and the first `partitions % members` members one more.
/// Two members `C0`, `C1` on topics `t0`, `t1` with 3 partitions each get
/// `C0: [t0p0, t0p1, t1p0, t1p1]` and `C1: [t0p2, t1p2]`.
public struct RangeAssignor: PartitionAssignor {
    /// Creates the assignor.
    public init() {}

    /// ``PartitionAssignorName/range``.
    public var name: PartitionAssignorName { .range }

    /// Assigns contiguous ranges of each topic's partitions; see the type's documentation.
    public func assign(
        partitionsPerTopic: [String: Int32],
        subscriptions: [String: Set<String>]
    ) -> [String: [TopicPartition]] {
        var assignment = subscriptions.mapValues { _ in [TopicPartition]() }
        for (topic, count) in partitionsPerTopic.sorted(by: { $0.key < $1.key }) where count > 0 {
            let consumers = subscriptions.filter { $0.value.contains(topic) }.keys.sorted()
            guard !consumers.isEmpty else { continue }
            let perConsumer = Int(count) / consumers.count
            let extra = Int(count) % consumers.count
            for (index, consumer) in consumers.enumerated() {
                let start = perConsumer * index + min(index, extra)
                let length = perConsumer + (index < extra ? 1 : 0)
                for partition in start..<(start + length) {
                    assignment[consumer, default: []].append(TopicPartition(topic: topic, partition: Int32(partition)))
                }
            }
        }
        return assignment.mapValues { $0.sorted() }
    }
}

/// Kafka's `RoundRobinAssignor`.
///
/// All partitions of all subscribed topics, sorted by topic then partition, are dealt in turn to
/// the members sorted by member id; a member not subscribed to a partition's topic is skipped.
/// Two members `C0`, `C1` on topics `t0`, `t1` with 3 partitions each get
/// `C0: [t0p0, t0p2, t1p1]` and `C1: [t0p1, t1p0, t1p2]`.
public struct RoundRobinAssignor: PartitionAssignor {
    /// Creates the assignor.
    public init() {}

    /// ``PartitionAssignorName/roundrobin``.
    public var name: PartitionAssignorName { .roundrobin }

    /// Deals all subscribed partitions to the members in turn; see the type's documentation.
    public func assign(
        partitionsPerTopic: [String: Int32],
        subscriptions: [String: Set<String>]
    ) -> [String: [TopicPartition]] {
        var assignment = subscriptions.mapValues { _ in [TopicPartition]() }
        let members = subscriptions.keys.sorted()
        guard !members.isEmpty else { return assignment }
        let subscribedTopics = Set(subscriptions.values.flatMap { $0 })
        var next = 0
        for topic in subscribedTopics.sorted() {
            guard let count = partitionsPerTopic[topic], count > 0 else { continue }
            for partition in 0..<count {
                // At least one member subscribes to `topic`, so this loop ends within one lap.
                while subscriptions[members[next], default: []].contains(topic) == false {
                    next = (next + 1) % members.count
                }
                assignment[members[next], default: []].append(TopicPartition(topic: topic, partition: partition))
                next = (next + 1) % members.count
            }
        }
        return assignment
    }
}
