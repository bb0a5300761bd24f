import AdminProtocol

/// One method per admin API; each throws ``AdminClientError`` with a sentence a person understands.
extension AdminClient {
    /// Broker id, version, uptime, disk, connections and rates.
    public func clusterInfo() async throws(AdminClientError) -> ClusterInfoResponse {
        guard case .clusterInfo(let r) = try await send(.clusterInfo(ClusterInfoRequest())) else { throw unexpected() }
        return r
    }

    /// The storage's notices (strays moved aside, damage, …), open segment files and disk reserve.
    public func describeStorage() async throws(AdminClientError) -> DescribeStorageResponse {
        guard case .describeStorage(let r) = try await send(.describeStorage(DescribeStorageRequest())) else {
            throw unexpected()
        }
        return r
    }

    /// Every topic with partitions, messages, size, last write and consuming groups.
    public func listTopics(includeInternal: Bool = false) async throws(AdminClientError) -> [TopicListing] {
        guard case .listTopics(let r) = try await send(.listTopics(ListTopicsRequest(includeInternal: includeInternal)))
        else { throw unexpected() }
        return r.topics
    }

    /// A topic's config, partitions with watermarks, and consuming groups.
    public func describeTopic(_ name: String) async throws(AdminClientError) -> DescribeTopicResponse {
        guard case .describeTopic(let r) = try await send(.describeTopic(DescribeTopicRequest(name: name))) else {
            throw unexpected()
        }
        return r
    }

    /// Creates a topic (or, with `validateOnly`, checks that it could be created); returns its id.
    @discardableResult
    public func createTopic(
        _ name: String, partitions: Int32, config: [String: String] = [:], validateOnly: Bool = false
    ) async throws(AdminClientError) -> String {
        let request = CreateTopicRequest(
            name: name, partitionCount: partitions,
            config: config.keys.sorted().map { ConfigPair(key: $0, value: config[$0]!) }, validateOnly: validateOnly)
        guard case .createTopic(let r) = try await send(.createTopic(request)) else { throw unexpected() }
        return r.topicId
    }

    /// Deletes a topic.
    public func deleteTopic(_ name: String) async throws(AdminClientError) {
        guard case .deleteTopic = try await send(.deleteTopic(DeleteTopicRequest(name: name))) else {
            throw unexpected()
        }
    }

    /// Sets and removes topic config entries.
    public func alterTopicConfig(
        _ name: String, set: [String: String], delete: [String] = []
    )
        async throws(AdminClientError)
    {
        let request = AlterTopicConfigRequest(
            name: name, set: set.keys.sorted().map { ConfigPair(key: $0, value: set[$0]!) }, delete: delete)
        guard case .alterTopicConfig = try await send(.alterTopicConfig(request)) else { throw unexpected() }
    }

    /// Grows a topic to `totalCount` partitions.
    public func addPartitions(_ name: String, totalCount: Int32) async throws(AdminClientError) {
        guard
            case .addPartitions = try await send(
                .addPartitions(AddPartitionsRequest(name: name, totalCount: totalCount)))
        else { throw unexpected() }
    }

    /// Appends records to `topic`; returns where each landed, in order.
    public func produce(topic: String, records: [ProduceRecord]) async throws(AdminClientError) -> [ProducedOffset] {
        guard case .produce(let r) = try await send(.produce(ProduceRequest(topic: topic, records: records))) else {
            throw unexpected()
        }
        return r.results
    }

    /// Reads records of one partition.
    public func fetch(
        topic: String, partition: Int32, from start: FetchStart, maxRecords: Int32 = 500, maxBytes: Int32 = 1 << 20
    ) async throws(AdminClientError) -> FetchResponse {
        let request = FetchRequest(
            topic: topic, partition: partition, start: start, maxRecords: maxRecords, maxBytes: maxBytes)
        guard case .fetch(let r) = try await send(.fetch(request)) else { throw unexpected() }
        return r
    }

    /// Every consumer group with state, members, topics and total lag.
    public func listGroups() async throws(AdminClientError) -> [GroupListing] {
        guard case .listGroups(let r) = try await send(.listGroups(ListGroupsRequest())) else { throw unexpected() }
        return r.groups
    }

    /// A group's members, assignments and per-partition lag.
    public func describeGroup(_ groupId: String) async throws(AdminClientError) -> DescribeGroupResponse {
        guard case .describeGroup(let r) = try await send(.describeGroup(DescribeGroupRequest(groupId: groupId))) else {
            throw unexpected()
        }
        return r
    }

    /// Plans (`dryRun`) or applies an offset reset for a group with no active members: of every
    /// partition of `topics` and of each of `partitions`, or with both empty of every topic the
    /// group has committed offsets for. Naming partitions needs a broker with ResetGroupOffsets v2
    /// (an older one is refused here with ``AdminClientError/incompatible(_:)``, nothing is sent).
    public func resetGroupOffsets(
        _ groupId: String, topics: [String] = [], partitions: [TopicPartitionRef] = [], to target: ResetTarget,
        dryRun: Bool
    )
        async throws(AdminClientError) -> [OffsetResetInfo]
    {
        let request = ResetGroupOffsetsRequest(
            groupId: groupId, topics: topics, partitions: partitions, target: target, dryRun: dryRun)
        guard case .resetGroupOffsets(let r) = try await send(.resetGroupOffsets(request)) else { throw unexpected() }
        return r.entries
    }

    /// Deletes a group with no active members.
    public func deleteGroup(_ groupId: String) async throws(AdminClientError) {
        guard case .deleteGroup = try await send(.deleteGroup(DeleteGroupRequest(groupId: groupId))) else {
            throw unexpected()
        }
    }

    /// Joins (or rejoins) a group as a Skiff consumer.
    public func joinGroup(_ request: JoinGroupRequest) async throws(AdminClientError) -> JoinGroupResponse {
        guard case .joinGroup(let r) = try await send(.joinGroup(request)) else { throw unexpected() }
        return r
    }

    /// Heartbeats a member; returns its assignment or tells it to rejoin.
    public func heartbeat(
        groupId: String, memberId: String, generation: Int32
    ) async throws(AdminClientError)
        -> HeartbeatResponse
    {
        let request = HeartbeatRequest(groupId: groupId, memberId: memberId, generation: generation)
        guard case .heartbeat(let r) = try await send(.heartbeat(request)) else { throw unexpected() }
        return r
    }

    /// Commits offsets (as a member, or standalone with an empty member id and generation -1).
    public func commitOffsets(
        groupId: String, memberId: String = "", generation: Int32 = -1, offsets: [CommitOffset]
    )
        async throws(AdminClientError)
    {
        let request = CommitOffsetsRequest(
            groupId: groupId, memberId: memberId, generation: generation, offsets: offsets)
        guard case .commitOffsets = try await send(.commitOffsets(request)) else { throw unexpected() }
    }

    /// Leaves a group.
    public func leaveGroup(groupId: String, memberId: String) async throws(AdminClientError) {
        guard case .leaveGroup = try await send(.leaveGroup(LeaveGroupRequest(groupId: groupId, memberId: memberId)))
        else { throw unexpected() }
    }

    /// A group's committed offsets.
    public func fetchOffsets(groupId: String) async throws(AdminClientError) -> [CommittedOffsetInfo] {
        guard case .fetchOffsets(let r) = try await send(.fetchOffsets(FetchOffsetsRequest(groupId: groupId))) else {
            throw unexpected()
        }
        return r.offsets
    }

    /// Moves the low watermark of partitions of `topic` to the given offsets (-1 = the high
    /// watermark), deleting the records before them (Kafka's DeleteRecords). Returns one result per
    /// partition, in order: the new low watermark, or the partition's own error.
    public func deleteRecords(
        topic: String, partitions: [DeleteRecordsPartition]
    ) async throws(AdminClientError) -> [DeleteRecordsResult] {
        let request = DeleteRecordsRequest(topic: topic, partitions: partitions)
        guard case .deleteRecords(let r) = try await send(.deleteRecords(request)) else { throw unexpected() }
        return r.partitions
    }

    func unexpected() -> AdminClientError {
        .malformedResponse("the broker answered with a response of another API")
    }
}
