import AdminClient
import AdminProtocol

/// Everything that can happen to the UI: a key, a clock tick, a resize, or the result of an
/// effect. ``update(_:_:)`` turns actions into state changes and new effects.
public enum Action: Hashable, Sendable {
    /// The app started: load the first screen.
    case start
    /// A key press.
    case key(Key)
    /// The wall clock, in milliseconds since the epoch; drives auto-refresh, retries and expiry.
    case tick(nowMs: Int64)
    /// The terminal's new size.
    case resize(TerminalSize)

    /// ``Effect/loadTopics`` finished.
    case topicsLoaded(Result<[TopicListing], AdminClientError>)
    /// ``Effect/describeTopic(_:)`` finished.
    case topicDescribed(name: String, Result<DescribeTopicResponse, AdminClientError>)
    /// ``Effect/fetchMessages(_:)`` finished.
    case messagesFetched(requestId: Int, Result<[FetchedPartition], AdminClientError>)
    /// ``Effect/search(id:_:)`` was accepted: the broker will look at this many offsets.
    case searchStarted(id: Int, totalOffsets: Int64)
    /// Records were saved to a file (how many), or why not.
    case recordsSaved(path: String, Result<Int, SaveError>)
    /// ``Effect/produce(topic:records:)`` finished.
    case produced(topic: String, Result<[ProducedOffset], AdminClientError>)
    /// ``Effect/createTopic(name:partitions:config:)`` finished.
    case topicCreated(name: String, Result<String, AdminClientError>)
    /// ``Effect/deleteTopic(_:)`` finished; nil = deleted.
    case topicDeleted(name: String, error: AdminClientError?)
    /// ``Effect/loadGroups`` finished.
    case groupsLoaded(Result<[GroupListing], AdminClientError>)
    /// ``Effect/describeGroup(_:)`` finished.
    case groupDescribed(groupId: String, Result<DescribeGroupResponse, AdminClientError>)
    /// ``Effect/resetOffsets(groupId:scope:target:dryRun:)`` finished.
    case offsetsReset(groupId: String, dryRun: Bool, Result<[OffsetResetInfo], AdminClientError>)
    /// ``Effect/restoreOffsets(groupId:offsets:)`` finished; nil = restored.
    case offsetsRestored(groupId: String, count: Int, error: AdminClientError?)
    /// ``Effect/loadClusterInfo`` finished.
    case clusterInfoLoaded(Result<ClusterInfoResponse, AdminClientError>)
    /// The storage part of ``Effect/loadClusterInfo`` finished (an older broker may not have it).
    case storageLoaded(Result<DescribeStorageResponse, AdminClientError>)
    /// A subscription delivered an event.
    case subscriptionEvent(id: Int, SubscriptionEvent)
    /// A subscription could not start, or its stream broke.
    case subscriptionFailed(id: Int, AdminClientError)

    // Topic and group management (forms and dialogs).
    /// ``Effect/alterTopicConfig(topic:set:delete:)`` finished; nil = changed.
    case topicConfigAltered(topic: String, set: [String: String], delete: [String], error: AdminClientError?)
    /// ``Effect/addPartitions(topic:totalCount:)`` finished; nil = added.
    case partitionsAdded(topic: String, totalCount: Int32, error: AdminClientError?)
    /// ``Effect/deleteRecords(topic:partitions:)`` finished: one result per partition.
    case recordsDeleted(topic: String, Result<[DeleteRecordsResult], AdminClientError>)
    /// ``Effect/deleteGroup(_:)`` finished; nil = deleted.
    case groupDeleted(groupId: String, error: AdminClientError?)
}

/// The records one partition returned for a messages fetch.
public struct FetchedPartition: Hashable, Sendable {
    /// The partition.
    public var partition: Int32
    /// The partition's low watermark at fetch time.
    public var logStartOffset: Int64
    /// The partition's high watermark at fetch time.
    public var highWatermark: Int64
    /// The records, in offset order.
    public var records: [FetchedRecord]

    /// Creates a fetched partition.
    public init(partition: Int32, logStartOffset: Int64, highWatermark: Int64, records: [FetchedRecord]) {
        self.partition = partition
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.records = records
    }
}
