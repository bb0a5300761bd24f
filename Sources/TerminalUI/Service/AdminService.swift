import AdminClient
import AdminProtocol

/// What the terminal UI needs from a broker: one async method per admin API it uses.
/// ``AdminClient`` conforms; tests use an in-memory fake.
public protocol AdminService: Sendable {
    /// Broker id, version, uptime, disk, connections and rates.
    func clusterInfo() async throws(AdminClientError) -> ClusterInfoResponse
    /// The broker's storage: notices of what it found wrong, open files, the disk reserve.
    func describeStorage() async throws(AdminClientError) -> DescribeStorageResponse
    /// Every topic (internal ones too when asked).
    func listTopics(includeInternal: Bool) async throws(AdminClientError) -> [TopicListing]
    /// A topic's config, partitions with watermarks, and consuming groups.
    func describeTopic(_ name: String) async throws(AdminClientError) -> DescribeTopicResponse
    /// Creates a topic; returns its id.
    func createTopic(
        _ name: String, partitions: Int32, config: [String: String], validateOnly: Bool
    ) async throws(AdminClientError) -> String
    /// Deletes a topic.
    func deleteTopic(_ name: String) async throws(AdminClientError)
    /// Appends records; returns where each landed.
    func produce(topic: String, records: [ProduceRecord]) async throws(AdminClientError) -> [ProducedOffset]
    /// Reads records of one partition.
    func fetch(
        topic: String, partition: Int32, from start: FetchStart, maxRecords: Int32, maxBytes: Int32
    ) async throws(AdminClientError) -> FetchResponse
    /// Every consumer group.
    func listGroups() async throws(AdminClientError) -> [GroupListing]
    /// A group's members, assignments and lag.
    func describeGroup(_ groupId: String) async throws(AdminClientError) -> DescribeGroupResponse
    /// Plans (`dryRun`) or applies an offset reset of every partition of `topics` and of each of
    /// `partitions` (both empty: every topic the group has offsets for).
    func resetGroupOffsets(
        _ groupId: String, topics: [String], partitions: [TopicPartitionRef], to target: ResetTarget, dryRun: Bool
    ) async throws(AdminClientError) -> [OffsetResetInfo]
    /// Commits offsets (standalone with an empty member id and generation -1).
    func commitOffsets(
        groupId: String, memberId: String, generation: Int32, offsets: [CommitOffset]
    ) async throws(AdminClientError)
    /// Searches a topic on the broker: the offsets it will look at and its events (matches as
    /// `records`, `searchProgress`, one final `searchDone`); dropping the stream cancels it.
    func search(
        _ request: SearchRequest
    ) async throws(AdminClientError) -> (totalOffsets: Int64, events: AsyncThrowingStream<SubscriptionEvent, any Error>)
    /// Sets topic config overrides and returns `delete` keys to their default.
    func alterTopicConfig(_ name: String, set: [String: String], delete: [String]) async throws(AdminClientError)
    /// Grows a topic to `totalCount` partitions.
    func addPartitions(_ name: String, totalCount: Int32) async throws(AdminClientError)
    /// Deletes the records before each partition's offset (-1 = all); one result per partition.
    func deleteRecords(
        topic: String, partitions: [DeleteRecordsPartition]
    ) async throws(AdminClientError) -> [DeleteRecordsResult]
    /// Deletes a group with no active members, and its committed offsets.
    func deleteGroup(_ groupId: String) async throws(AdminClientError)
    /// Live tail of partitions and/or lag snapshots of a group, until the stream is dropped.
    func subscribe(
        partitions: [SubscribePartition], lagGroupId: String, lagInterval: Duration
    ) async throws(AdminClientError) -> AsyncThrowingStream<SubscriptionEvent, any Error>
}

extension AdminClient: AdminService {}
