import AdminProtocol
import SkiffText

/// Work for the outside world, returned by ``update(_:_:)``; the ``EffectRunner`` performs it
/// against an ``AdminService`` and feeds the result back as an ``Action``.
public enum Effect: Hashable, Sendable {
    /// List all topics (internal ones included; the UI hides them).
    case loadTopics
    /// Describe one topic.
    case describeTopic(String)
    /// Fetch records of one or more partitions.
    case fetchMessages(MessageFetch)
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
    /// Search a topic on the broker; its events arrive like a subscription's (``Effect/unsubscribe(id:)`` cancels it).
    case search(id: Int, SearchRequest)
    /// Stop a subscription (or a search).
    case unsubscribe(id: Int)
    /// Put bytes on the terminal's clipboard (OSC 52); the app does this itself, on the terminal.
    case copyToClipboard([UInt8])
    /// Write records to a new file as JSON lines (``RecordJSON``), reading a range from the broker
    /// first when asked to.
    case saveRecords(path: String, SaveRequest)
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

/// A record to save, with its partition.
public struct SavedRecord: Hashable, Sendable {
    /// The record's partition.
    public var partition: Int32
    /// The record.
    public var record: FetchedRecord

    /// Creates one.
    public init(partition: Int32, record: FetchedRecord) {
        self.partition = partition
        self.record = record
    }
}

/// What `w` saves.
public enum SaveRequest: Hashable, Sendable {
    /// These records (already in the window).
    case records(topic: String, [SavedRecord])
    /// Every record of a partition from one offset through another, read from the broker (the
    /// range may be far larger than the window).
    case range(topic: String, partition: Int32, from: Int64, through: Int64)

    /// `1 record`, `offsets 100–1995 of partition 1`.
    public var summary: String {
        switch self {
        case .records(_, let records): Format.plural(records.count, "record")
        case .range(_, let partition, let from, let through): "offsets \(from)-\(through) of partition \(partition)"
        }
    }
}

/// Why a save failed, as a person reads it.
public struct SaveError: Error, Hashable, Sendable {
    /// `"orders.jsonl exists: choose another name"`, `"No space left on device"`.
    public var message: String

    /// Creates one.
    public init(_ message: String) { self.message = message }
}
