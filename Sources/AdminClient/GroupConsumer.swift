import AdminProtocol

/// A record a ``GroupConsumer`` consumed, with where it came from.
public struct ConsumedRecord: Hashable, Sendable {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The record.
    public var record: FetchedRecord
}

/// Where a consumer starts on a partition its group never committed (Kafka's `auto.offset.reset`).
public enum AutoOffsetReset: String, Sendable, CaseIterable {
    /// From the low watermark.
    case earliest
    /// From the high watermark (only new records).
    case latest
    /// Fail instead.
    case none
}

/// A Skiff consumer in a consumer group: joins, follows rebalances, fetches its assigned
/// partitions, and commits what it consumed (at an interval and on close).
///
/// Drive it by calling ``poll(maxRecords:)`` in a loop; each call heartbeats when due (like
/// Kafka's poll loop), so a consumer that stops polling for longer than its session timeout is
/// expired by the broker and its partitions move to the other members.
public actor GroupConsumer {
    /// The group id.
    public let groupId: String
    /// Subscribed topics.
    public let topics: [String]
    /// The member id the broker assigned (empty before the first join).
    public private(set) var memberId = ""
    /// The current generation (-1 before the first assignment).
    public private(set) var generation: Int32 = -1
    /// The partitions assigned in the current generation.
    public private(set) var assignment: [TopicPartitionRef] = []

    private let client: AdminClient
    private let clientId: String
    private let autoOffsetReset: AutoOffsetReset
    private let sessionTimeoutMs: Int32
    private let heartbeatInterval: Duration
    private let autoCommitInterval: Duration?
    private let assignor: String
    private var positions: [TopicPartitionRef: Int64] = [:]
    private var committed: [TopicPartitionRef: Int64] = [:]
    /// The generation the broker last told this member (join or heartbeat): what heartbeats
    /// carry. It runs ahead of ``generation`` until the member collects that generation's assignment.
    private var knownGeneration: Int32 = -1
    private var lastHeartbeat: ContinuousClock.Instant?
    private var lastCommit = ContinuousClock.now
    private var needsJoin = true
    private var nextPartition = 0
    private var closed = false

    /// Creates a consumer of `topics` in `groupId`; nothing is sent until the first poll.
    public init(
        client: AdminClient, groupId: String, topics: [String], clientId: String = "skiff-consumer",
        autoOffsetReset: AutoOffsetReset = .latest, sessionTimeoutMs: Int32 = 10_000,
        heartbeatInterval: Duration = .seconds(1), autoCommitInterval: Duration? = .seconds(1), assignor: String = ""
    ) {
        self.client = client
        self.groupId = groupId
        self.topics = topics
        self.clientId = clientId
        self.autoOffsetReset = autoOffsetReset
        self.sessionTimeoutMs = sessionTimeoutMs
        self.heartbeatInterval = heartbeatInterval
        self.autoCommitInterval = autoCommitInterval
        self.assignor = assignor
    }

    /// Returns the next records of the assigned partitions (possibly none), after heartbeating
    /// and rebalancing as needed. Records are marked consumed when returned.
    public func poll(maxRecords: Int32 = 500) async throws(AdminClientError) -> [ConsumedRecord] {
        guard !closed else { throw .closed }
        try await keepMembership()
        if let interval = autoCommitInterval, ContinuousClock.now - lastCommit >= interval {
            try await commit()
        }
        guard !assignment.isEmpty else { return [] }
        // Round-robin over the assigned partitions so one busy partition cannot starve the others.
        for step in 0..<assignment.count {
            let tp = assignment[(nextPartition + step) % assignment.count]
            guard let position = positions[tp] else { continue }
            let response: FetchResponse
            do {
                response = try await client.fetch(
                    topic: tp.topic, partition: tp.partition, from: .offset(position), maxRecords: maxRecords)
            } catch .broker(.offsetOutOfRange, _) {
                positions[tp] = try await startOffset(tp)
                continue
            }
            guard let last = response.records.last else { continue }
            positions[tp] = last.offset + 1
            nextPartition = (nextPartition + step + 1) % assignment.count
            return response.records.map { ConsumedRecord(topic: tp.topic, partition: tp.partition, record: $0) }
        }
        return []
    }

    /// Commits the position of every assigned partition that moved since the last commit.
    public func commit() async throws(AdminClientError) {
        lastCommit = .now
        let offsets = positions.filter { committed[$0.key] != $0.value }
        guard !offsets.isEmpty, generation >= 0 else { return }
        do {
            try await client.commitOffsets(
                groupId: groupId, memberId: memberId, generation: generation,
                offsets: offsets.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map {
                    CommitOffset(topic: $0.topic, partition: $0.partition, offset: offsets[$0]!, metadata: "")
                })
            for (tp, offset) in offsets { committed[tp] = offset }
        } catch .broker(let code, _)
            where code == .rebalanceInProgress || code == .illegalGeneration || code == .unknownMemberId
        {
            // The partitions may belong to someone else now; rejoin and resume from committed offsets.
            needsJoin = true
        }
    }

    /// Commits, then leaves the group so its partitions move to the other members at once.
    public func close() async {
        guard !closed else { return }
        try? await commit()
        closed = true
        if !memberId.isEmpty {
            try? await client.leaveGroup(groupId: groupId, memberId: memberId)
        }
    }

    // MARK: - Membership

    private func keepMembership() async throws(AdminClientError) {
        if needsJoin {
            try await join()
        } else if let last = lastHeartbeat, ContinuousClock.now - last < heartbeatInterval {
            return
        }
        try await heartbeatUntilSettled()
    }

    private func join() async throws(AdminClientError) {
        let request = JoinGroupRequest(
            groupId: groupId, memberId: memberId, clientId: clientId, sessionTimeoutMs: sessionTimeoutMs,
            rebalanceTimeoutMs: sessionTimeoutMs, topics: topics, assignor: assignor)
        do {
            let response = try await client.joinGroup(request)
            memberId = response.memberId
            knownGeneration = response.generation
        } catch .broker(.unknownMemberId, _) {
            // Expired while away: join as a new member.
            memberId = ""
            let response = try await client.joinGroup(
                JoinGroupRequest(
                    groupId: groupId, memberId: "", clientId: clientId, sessionTimeoutMs: sessionTimeoutMs,
                    rebalanceTimeoutMs: sessionTimeoutMs, topics: topics, assignor: assignor))
            memberId = response.memberId
            knownGeneration = response.generation
        }
        needsJoin = false
    }

    /// Heartbeats until the member holds an assignment of the current generation (rejoining
    /// when told to), or returns after one heartbeat when nothing changed.
    private func heartbeatUntilSettled() async throws(AdminClientError) {
        for _ in 0..<200 {
            let response: HeartbeatResponse
            do {
                response = try await client.heartbeat(
                    groupId: groupId, memberId: memberId, generation: knownGeneration)
            } catch .broker(let code, _) where code == .unknownMemberId || code == .illegalGeneration {
                memberId = code == .unknownMemberId ? "" : memberId
                generation = -1
                knownGeneration = -1
                try await join()
                continue
            } catch .broker(.rebalanceInProgress, _) {
                try await join()
                continue
            }
            lastHeartbeat = .now
            switch response.status {
            case .assigned:
                knownGeneration = response.generation
                if response.generation != generation {
                    try await adopt(response.assignment, generation: response.generation)
                }
                return
            case .awaitingAssignment:
                try? await Task.sleep(for: .milliseconds(20))
            case .rejoinRequired:
                try? await commit()
                try await join()
            }
        }
    }

    private func adopt(_ partitions: [TopicPartitionRef], generation: Int32) async throws(AdminClientError) {
        self.generation = generation
        assignment = partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        nextPartition = 0
        let offsets = try await client.fetchOffsets(groupId: groupId)
        var byPartition: [TopicPartitionRef: Int64] = [:]
        for o in offsets { byPartition[TopicPartitionRef(topic: o.topic, partition: o.partition)] = o.offset }
        positions = [:]
        committed = [:]
        for tp in assignment {
            if let offset = byPartition[tp] {
                positions[tp] = offset
                committed[tp] = offset
            } else {
                positions[tp] = try await startOffset(tp)
            }
        }
    }

    private func startOffset(_ tp: TopicPartitionRef) async throws(AdminClientError) -> Int64 {
        switch autoOffsetReset {
        case .earliest:
            return try await client.fetch(topic: tp.topic, partition: tp.partition, from: .earliest, maxRecords: 1)
                .logStartOffset
        case .latest:
            return try await client.fetch(topic: tp.topic, partition: tp.partition, from: .latest, maxRecords: 1)
                .highWatermark
        case .none:
            throw .broker(
                code: .offsetOutOfRange,
                message:
                    "group '\(groupId)' has no committed offset for \(tp.topic)-\(tp.partition) and auto.offset.reset is none"
            )
        }
    }
}
