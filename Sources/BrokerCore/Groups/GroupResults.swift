/// What ``GroupCoordinator/join(groupId:memberId:clientId:clientHost:sessionTimeoutMs:rebalanceTimeoutMs:topics:assignor:)``
/// tells the member.
///
/// Joining never hands out an assignment: the member then heartbeats until it receives
/// ``HeartbeatResult/assigned(_:)``.
public struct JoinResult: Hashable, Sendable {
    /// The member's id; a new member must send it with every later request.
    public var memberId: String
    /// The group's generation after the join. While ``state`` is
    /// ``GroupState/preparingRebalance`` this is still the previous generation; heartbeats with it
    /// are accepted until the member has collected its assignment of the next one.
    public var generation: Int32
    /// The group's state after the join.
    public var state: GroupState
    /// The group leader, once a generation has started.
    public var leaderId: String?
    /// The assignor the group uses.
    public var assignor: PartitionAssignorName

    /// Creates a join result.
    public init(
        memberId: String, generation: Int32, state: GroupState, leaderId: String?, assignor: PartitionAssignorName
    ) {
        self.memberId = memberId
        self.generation = generation
        self.state = state
        self.leaderId = leaderId
        self.assignor = assignor
    }
}

/// A member's partitions in one generation.
public struct MemberAssignment: Hashable, Sendable {
    /// The generation the assignment belongs to; send it with later heartbeats and commits.
    public var generation: Int32
    /// The partitions the member consumes, sorted by topic, then partition (may be empty).
    public var partitions: [TopicPartition]
    /// The group leader of this generation.
    public var leaderId: String
    /// The assignor that computed the assignment.
    public var assignor: PartitionAssignorName

    /// Creates an assignment.
    public init(generation: Int32, partitions: [TopicPartition], leaderId: String, assignor: PartitionAssignorName) {
        self.generation = generation
        self.partitions = partitions
        self.leaderId = leaderId
        self.assignor = assignor
    }
}

/// What a heartbeat tells the member to do.
public enum HeartbeatResult: Hashable, Sendable {
    /// The group is preparing a rebalance that this member has not joined: it must stop
    /// consuming, commit what it has processed, and call `join` again with its member id.
    /// (Kafka's `REBALANCE_IN_PROGRESS`.)
    case rejoinRequired
    /// The member has joined the rebalance in progress and waits for the others (or for the
    /// assignment of the new generation): keep heartbeating.
    case awaitingAssignment
    /// The member's assignment of the current generation; consume these partitions.
    case assigned(MemberAssignment)
}

/// An offset a client commits for one partition.
public struct OffsetAndMetadata: Hashable, Sendable {
    /// The next offset to consume (the offset after the last processed record).
    public var offset: Int64
    /// The leader epoch the client saw, or -1.
    public var leaderEpoch: Int32
    /// Free-form client metadata (at most `offset.metadata.max.bytes`).
    public var metadata: String

    /// Creates an offset to commit.
    public init(offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "") {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
    }
}

/// An offset a group has committed for one partition.
public struct CommittedOffset: Hashable, Sendable {
    /// The next offset the group will consume.
    public var offset: Int64
    /// The leader epoch the client saw, or -1.
    public var leaderEpoch: Int32
    /// The client's commit metadata.
    public var metadata: String
    /// When the offset was committed, in milliseconds since the epoch.
    public var commitTimestamp: Int64

    /// Creates a committed offset.
    public init(offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "", commitTimestamp: Int64) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestamp = commitTimestamp
    }
}

/// Where an offset reset moves a group's committed offsets (`kafka-consumer-groups.sh
/// --reset-offsets --to-earliest | --to-latest | --to-offset | --to-datetime | --shift-by`).
public enum OffsetResetTarget: Hashable, Sendable {
    /// The log start offset.
    case earliest
    /// The high watermark.
    case latest
    /// An explicit offset, clamped to `[log start, high watermark]`.
    case offset(Int64)
    /// The first offset whose record timestamp is at or after this time (milliseconds since the
    /// epoch); the high watermark when there is none.
    case timestamp(Int64)
    /// The committed offset moved by this many records (negative = back), clamped to
    /// `[log start, high watermark]`. Refused for a partition without a committed offset.
    case shift(by: Int64)
}

/// One partition of an offset reset: the committed offset before and after.
public struct OffsetResetEntry: Hashable, Sendable {
    /// The partition.
    public var topicPartition: TopicPartition
    /// The committed offset before the reset, or `nil` when there was none.
    public var oldOffset: Int64?
    /// The committed offset after the reset.
    public var newOffset: Int64

    /// Creates a reset entry.
    public init(topicPartition: TopicPartition, oldOffset: Int64?, newOffset: Int64) {
        self.topicPartition = topicPartition
        self.oldOffset = oldOffset
        self.newOffset = newOffset
    }
}
