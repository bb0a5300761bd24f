extension GroupCoordinator {
    /// Every group, sorted by group id: state, member count, topics and total lag.
    public func listGroups() -> [GroupSummary] {
        let now = clock.nowMilliseconds()
        let groups = snapshot(now: now)
        return groups.map { group in
            let topics = Self.topics(of: group).sorted()
            var totalLag: Int64 = 0
            for (topicPartition, committed) in group.offsets {
                if let highWatermark = metadata.highWatermark(of: topicPartition) {
                    totalLag = totalLag.saturatingAdd(
                        Self.lag(committed: committed.offset, highWatermark: highWatermark))
                }
            }
            return GroupSummary(
                groupId: group.machine.groupId, state: group.machine.state, memberCount: group.machine.members.count,
                topics: topics, totalLag: totalLag)
        }
    }

    /// One group in detail: members and, per partition, committed offset, high watermark, lag,
    /// time lag and owning member (see ``GroupPartitionLag`` for how lag is defined).
    /// - Throws: ``BrokerError/groupIdNotFound(_:)``, ``BrokerError/invalidGroupId(_:)``.
    public func describeGroup(_ groupId: String) throws(BrokerError) -> GroupDescription {
        try validate(groupId: groupId)
        let now = clock.nowMilliseconds()
        guard let group = snapshot(now: now, only: groupId).first else {
            throw .groupIdNotFound(groupId)
        }
        let machine = group.machine
        let members = machine.members.values.sorted { $0.memberId < $1.memberId }
        var owners: [TopicPartition: GroupMember] = [:]
        for member in members {
            for topicPartition in member.assignment {
                owners[topicPartition] = member
            }
        }
        let partitions = Set(group.offsets.keys).union(owners.keys).sorted().map { topicPartition in
            partitionLag(
                topicPartition, committed: group.offsets[topicPartition], owner: owners[topicPartition], now: now)
        }
        let totalLag = partitions.reduce(Int64(0)) { $0.saturatingAdd($1.lag ?? 0) }
        return GroupDescription(
            groupId: groupId, state: machine.state, generation: machine.generation, protocolType: Self.protocolType,
            assignor: machine.assignor, leaderId: machine.leaderId,
            members: members.map { member in
                GroupMemberDescription(
                    memberId: member.memberId, clientId: member.clientId, clientHost: member.clientHost,
                    sessionTimeoutMs: member.sessionTimeoutMs, rebalanceTimeoutMs: member.rebalanceTimeoutMs,
                    subscribedTopics: member.topics.sorted(), assignment: member.assignment,
                    lastHeartbeatMs: member.lastHeartbeatMs)
            },
            partitions: partitions, totalLag: totalLag)
    }

    /// Topic name → ids of the groups consuming it (members subscribe to it, or the group has
    /// committed offsets on it), sorted: ListTopics' consumer groups. Topics no group consumes are
    /// left out.
    public func consumingGroups() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for group in snapshot(now: clock.nowMilliseconds()) {
            for topic in Self.topics(of: group) { result[topic, default: []].append(group.machine.groupId) }
        }
        return result.mapValues { $0.sorted() }
    }

    /// The groups consuming `topic` (as in ``consumingGroups()``), sorted by group id, each with
    /// its state and its lag on the topic: the sum of the known lags of the topic's partitions, so
    /// a partition the group never committed counts nothing (``GroupPartitionLag``). DescribeTopic's
    /// consumer groups.
    public func consumers(ofTopic topic: String) -> [TopicConsumerGroup] {
        snapshot(now: clock.nowMilliseconds()).compactMap { group -> TopicConsumerGroup? in
            let groupId = group.machine.groupId
            guard (try? validate(groupId: groupId)) != nil, Self.topics(of: group).contains(topic) else { return nil }
            var lag: Int64 = 0
            for (topicPartition, committed) in group.offsets where topicPartition.topic == topic {
                if let highWatermark = metadata.highWatermark(of: topicPartition) {
                    lag = lag.saturatingAdd(Self.lag(committed: committed.offset, highWatermark: highWatermark))
                }
            }
            return TopicConsumerGroup(groupId: groupId, state: group.machine.state, lag: lag)
        }
    }

    /// How many groups there are (after expiring the sessions that ran out, as every listing does).
    public var groupCount: Int { snapshot(now: clock.nowMilliseconds()).count }

    // MARK: - Helpers

    /// The topics a group consumes: those its members subscribe to and those it committed on.
    private static func topics(of group: ConsumerGroup) -> Set<String> {
        Set(group.machine.members.values.flatMap(\.topics)).union(group.offsets.keys.map(\.topic))
    }

    /// Copies groups out of the lock (after applying the passage of time), sorted by id, so
    /// that lag is computed without holding it.
    private func snapshot(now: Int64, only groupId: String? = nil) -> [ConsumerGroup] {
        withState { state, log in
            let ids = groupId.map { [$0] } ?? state.groups.keys.sorted()
            var groups: [ConsumerGroup] = []
            for id in ids {
                refresh(id, in: &state, now: now, log: &log)
                if let group = state.groups[id] {
                    groups.append(group)
                }
            }
            return groups
        }
    }

    /// Lag and time lag of one partition.
    func partitionLag(
        _ topicPartition: TopicPartition, committed: CommittedOffset?, owner: GroupMember?, now: Int64
    ) -> GroupPartitionLag {
        let logStart = metadata.logStartOffset(of: topicPartition)
        let highWatermark = metadata.highWatermark(of: topicPartition)
        var lag: Int64?
        var timeLag: Int64?
        if let committed, let highWatermark {
            lag = Self.lag(committed: committed.offset, highWatermark: highWatermark)
            // The first unconsumed record still stored.
            let next = max(committed.offset, logStart ?? committed.offset)
            if next >= highWatermark {
                timeLag = 0
            } else if let timestamp = metadata.timestampOfRecord(at: next, in: topicPartition) {
                timeLag = max(0, now.saturatingSubtract(timestamp))
            }
        }
        return GroupPartitionLag(
            topicPartition: topicPartition, committed: committed, logStartOffset: logStart,
            highWatermark: highWatermark, lag: lag, timeLagMs: timeLag, memberId: owner?.memberId,
            clientId: owner?.clientId)
    }

    /// High watermark − committed offset, never negative.
    static func lag(committed: Int64, highWatermark: Int64) -> Int64 {
        max(0, highWatermark.saturatingSubtract(committed))
    }
}

extension Int64 {
    fileprivate func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    fileprivate func saturatingSubtract(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}
