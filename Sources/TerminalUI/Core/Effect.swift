import AdminProtocol

/// Work for the outside world, returned by ``update(_:_:)``; the ``EffectRunner`` performs it
/// against an ``AdminService`` and feeds the result back as an ``Action``.
public enum Effect: Hashable, Sendable {
    /// List all topics (internal ones included; the UI hides them).
    case loadTopics
    /// Describe one topic.
    case describeTopic(String)
    /// Fetch records of one or more partitions.
    case fetchMessages(MessageFetch)
    /// Scan one partition for a key.
    case findByKey(KeySearchRequest)
    /// Publish records.
    case produce(topic: String, records: [ProduceRecord])
    /// Create a topic.
    case createTopic(name: String, partitions: Int32, config: [String: String])
    /// Delete a topic.
    case deleteTopic(String)
    /// List consumer groups.
    case loadGroups
    /// Describe one consumer group.
    case describeGroup(String)
    /// Plan (`dryRun`) or apply an offset reset of the partitions `scope` names.
    case resetOffsets(groupId: String, scope: ResetScope, target: ResetTarget, dryRun: Bool)
    /// Commit explicit offsets as a standalone client (generation -1): the undo of a reset.
    case restoreOffsets(groupId: String, offsets: [CommitOffset])
    /// Broker identity, disk and rates.
    case loadClusterInfo
    /// Start a live tail of `partitions` and/or lag snapshots of `lagGroupId` (empty = none).
    case subscribe(id: Int, partitions: [SubscribePartition], lagGroupId: String)
    /// Stop a subscription.
    case unsubscribe(id: Int)
    /// Leave the app.
    case quit

    // Topic and group management (forms and dialogs).
    /// Set topic config overrides and return `delete` keys to their default.
    case alterTopicConfig(topic: String, set: [String: String], delete: [String])
    /// Grow a topic to `totalCount` partitions.
    case addPartitions(topic: String, totalCount: Int32)
    /// Delete the records before each partition's offset (purge).
    case deleteRecords(topic: String, partitions: [DeleteRecordsPartition])
    /// Delete a consumer group with no members, and its committed offsets.
    case deleteGroup(String)
}

/// A fetch of one page of records from one or more partitions.
public struct MessageFetch: Hashable, Sendable {
    /// Matches the result to the request; stale results are dropped.
    public var requestId: Int
    /// The topic.
    public var topic: String
    /// What to read from each partition.
    public var partitions: [PartitionFetch]

    /// Creates a fetch.
    public init(requestId: Int, topic: String, partitions: [PartitionFetch]) {
        self.requestId = requestId
        self.topic = topic
        self.partitions = partitions
    }
}

/// Where and how much to read from one partition.
public struct PartitionFetch: Hashable, Sendable {
    /// The partition.
    public var partition: Int32
    /// Where to start.
    public var start: FetchStart
    /// The most records to return.
    public var maxRecords: Int32

    /// Creates a partition fetch.
    public init(partition: Int32, start: FetchStart, maxRecords: Int32) {
        self.partition = partition
        self.start = start
        self.maxRecords = maxRecords
    }
}

/// A find-by-key scan: newest records first, stopping after `scanLimit` records or `maxMatches` hits.
public struct KeySearchRequest: Hashable, Sendable {
    /// Matches the result to the request.
    public var requestId: Int
    /// The topic.
    public var topic: String
    /// The partition the key hashes to.
    public var partition: Int32
    /// The key's bytes.
    public var key: [UInt8]
    /// The most records to read.
    public var scanLimit: Int64
    /// The most matches to keep (the newest).
    public var maxMatches: Int

    /// Creates a search.
    public init(requestId: Int, topic: String, partition: Int32, key: [UInt8], scanLimit: Int64, maxMatches: Int) {
        self.requestId = requestId
        self.topic = topic
        self.partition = partition
        self.key = key
        self.scanLimit = scanLimit
        self.maxMatches = maxMatches
    }
}
