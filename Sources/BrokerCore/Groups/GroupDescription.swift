/// One line of the consumer-group list.
public struct GroupSummary: Hashable, Sendable {
    /// The group id.
    public var groupId: String
    /// The group's state.
    public var state: GroupState
    /// The number of members.
    public var memberCount: Int
    /// The topics the members subscribe to or the group has committed offsets for, sorted.
    public var topics: [String]
    /// The sum of the known per-partition lags (see ``GroupPartitionLag/lag``).
    public var totalLag: Int64

    /// Creates a summary.
    public init(groupId: String, state: GroupState, memberCount: Int, topics: [String], totalLag: Int64) {
        self.groupId = groupId
        self.state = state
        self.memberCount = memberCount
        self.topics = topics
        self.totalLag = totalLag
    }
}

/// A consumer group that consumes one topic, with its lag there (see
/// ``GroupCoordinator/consumers(ofTopic:)``).
public struct TopicConsumerGroup: Hashable, Sendable {
    /// The group id.
    public var groupId: String
    /// The group's state.
    public var state: GroupState
    /// The sum of the known lags of the topic's partitions (see ``GroupPartitionLag/lag``).
    public var lag: Int64

    /// Creates the line.
    public init(groupId: String, state: GroupState, lag: Int64) {
        self.groupId = groupId
        self.state = state
        self.lag = lag
    }
}

/// A consumer group in detail: its members and its position on every partition it consumes.
public struct GroupDescription: Hashable, Sendable {
    /// The group id.
    public var groupId: String
    /// The group's state.
    public var state: GroupState
    /// The current generation (0 before the first rebalance).
    public var generation: Int32
    /// The protocol type; always `consumer`.
    public var protocolType: String
    /// The assignor the group uses.
    public var assignor: PartitionAssignorName
    /// The leader of the current generation, if any.
    public var leaderId: String?
    /// The members, sorted by member id.
    public var members: [GroupMemberDescription]
    /// Every partition the group has a committed offset for or a member is assigned, sorted.
    public var partitions: [GroupPartitionLag]
    /// The sum of the known per-partition lags.
    public var totalLag: Int64

    /// Creates a description.
    public init(
        groupId: String, state: GroupState, generation: Int32, protocolType: String, assignor: PartitionAssignorName,
        leaderId: String?, members: [GroupMemberDescription], partitions: [GroupPartitionLag], totalLag: Int64
    ) {
        self.groupId = groupId
        self.state = state
        self.generation = generation
        self.protocolType = protocolType
        self.assignor = assignor
        self.leaderId = leaderId
        self.members = members
        self.partitions = partitions
        self.totalLag = totalLag
    }
}

/// One member of a group.
public struct GroupMemberDescription: Hashable, Sendable {
    /// The member id the coordinator generated.
    public var memberId: String
    /// The client's `client.id`.
    public var clientId: String
    /// The host the client connected from.
    public var clientHost: String
    /// The member's session timeout.
    public var sessionTimeoutMs: Int32
    /// The member's rebalance timeout.
    public var rebalanceTimeoutMs: Int32
    /// The topics the member subscribes to, sorted.
    public var subscribedTopics: [String]
    /// The member's partitions: those of the current generation, or while a rebalance is being
    /// prepared those it still holds from the previous one.
    public var assignment: [TopicPartition]
    /// When the member last joined or heartbeated, in milliseconds since the epoch.
    public var lastHeartbeatMs: Int64

    /// Creates a member description.
    public init(
        memberId: String, clientId: String, clientHost: String, sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32,
        subscribedTopics: [String], assignment: [TopicPartition], lastHeartbeatMs: Int64
    ) {
        self.memberId = memberId
        self.clientId = clientId
        self.clientHost = clientHost
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.subscribedTopics = subscribedTopics
        self.assignment = assignment
        self.lastHeartbeatMs = lastHeartbeatMs
    }
}

/// A group's position on one partition.
///
/// Lag = high watermark − committed offset (never negative). A partition that is assigned but
/// has no committed offset yet has `nil` committed offset, lag and time lag, like the `-` that
/// `kafka-consumer-groups.sh` prints: where such a consumer starts depends on its
/// `auto.offset.reset`, which the broker does not know. Time lag = now − timestamp of the first
/// unconsumed record (the record at the committed offset, or at the log start offset when
/// retention deleted that one); 0 when caught up, `nil` when that record cannot be read.
public struct GroupPartitionLag: Hashable, Sendable {
    /// The partition.
    public var topicPartition: TopicPartition
    /// The committed offset and its metadata, or `nil` when the group never committed here.
    public var committed: CommittedOffset?
    /// The partition's log start offset, or `nil` when the partition no longer exists.
    public var logStartOffset: Int64?
    /// The partition's high watermark, or `nil` when the partition no longer exists.
    public var highWatermark: Int64?
    /// Records not yet consumed, or `nil` when unknown (see the type's documentation).
    public var lag: Int64?
    /// Milliseconds the group is behind, or `nil` when unknown.
    public var timeLagMs: Int64?
    /// The member that owns the partition, if any.
    public var memberId: String?
    /// The owning member's client id, if any.
    public var clientId: String?

    /// Creates a partition line.
    public init(
        topicPartition: TopicPartition, committed: CommittedOffset?, logStartOffset: Int64?, highWatermark: Int64?,
        lag: Int64?, timeLagMs: Int64?, memberId: String?, clientId: String?
    ) {
        self.topicPartition = topicPartition
        self.committed = committed
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.lag = lag
        self.timeLagMs = timeLagMs
        self.memberId = memberId
        self.clientId = clientId
    }
}
