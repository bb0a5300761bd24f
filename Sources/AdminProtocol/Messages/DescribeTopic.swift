// DescribeTopic (key 3): `docs/admin-protocol.md`, section 4.4.

import NIOCore

/// Asks for one topic's config, partitions and consumer groups.
public struct DescribeTopicRequest: AdminMessage, Hashable, Sendable {
    /// The DescribeTopic API.
    public static let apiKey = ApiKey.describeTopic

    /// The topic name.
    public var name: String

    /// Creates the request.
    public init(name: String) {
        self.name = name
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        name = try buffer.readWireString("name")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
    }
}

/// One topic: config, partitions with watermarks, consumer group lag.
public struct DescribeTopicResponse: AdminMessage, Hashable, Sendable {
    /// The DescribeTopic API.
    public static let apiKey = ApiKey.describeTopic

    /// The topic name.
    public var name: String
    /// The topic id: a UUID, upper-case with dashes.
    public var topicId: String
    /// Whether the topic is internal (`__consumer_offsets`).
    public var isInternal: Bool
    /// Every config key with its effective value.
    public var config: [ConfigEntry]
    /// One entry per partition, in partition order.
    public var partitions: [PartitionInfo]
    /// Groups with committed offsets or members on this topic.
    public var consumerGroups: [TopicGroupLag]

    /// Creates the response.
    public init(
        name: String, topicId: String, isInternal: Bool, config: [ConfigEntry], partitions: [PartitionInfo],
        consumerGroups: [TopicGroupLag]
    ) {
        self.name = name
        self.topicId = topicId
        self.isInternal = isInternal
        self.config = config
        self.partitions = partitions
        self.consumerGroups = consumerGroups
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        name = try buffer.readWireString("name")
        topicId = try buffer.readWireString("topicId")
        isInternal = try buffer.readWireBool("isInternal")
        config = try buffer.readWireArray("config")
        partitions = try buffer.readWireArray("partitions")
        consumerGroups = try buffer.readWireArray("consumerGroups")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeWireString(topicId)
        buffer.writeWireBool(isInternal)
        buffer.writeWireArray(config)
        buffer.writeWireArray(partitions)
        buffer.writeWireArray(consumerGroups)
    }
}

/// A topic config key with its effective value.
public struct ConfigEntry: Hashable, Sendable {
    /// The config key, in Kafka's spelling (`retention.ms`).
    public var key: String
    /// The effective value as text.
    public var value: String
    /// True when the value is the broker default rather than a topic override.
    public var isDefault: Bool

    /// Creates a config entry.
    public init(key: String, value: String, isDefault: Bool) {
        self.key = key
        self.value = value
        self.isDefault = isDefault
    }
}

extension ConfigEntry: WireElement {
    static var minimumWireSize: Int { 2 + 2 + 1 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        key = try buffer.readWireString("key")
        value = try buffer.readWireString("value")
        isDefault = try buffer.readWireBool("isDefault")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(key)
        buffer.writeWireString(value)
        buffer.writeWireBool(isDefault)
    }
}

/// One partition of a described topic.
public struct PartitionInfo: Hashable, Sendable {
    /// The partition number.
    public var partition: Int32
    /// The leader's broker id.
    public var leader: Int32
    /// The replicas' broker ids.
    public var replicas: [Int32]
    /// The in-sync replicas' broker ids.
    public var inSyncReplicas: [Int32]
    /// The first offset still stored (low watermark).
    public var logStartOffset: Int64
    /// The offset the next record gets.
    public var highWatermark: Int64
    /// Bytes in the partition's log.
    public var sizeBytes: Int64
    /// The first stored record's timestamp in milliseconds since the epoch; -1 = empty.
    public var firstTimestampMs: Int64
    /// The last stored record's timestamp in milliseconds since the epoch; -1 = empty.
    public var lastTimestampMs: Int64

    /// Creates a partition entry.
    public init(
        partition: Int32, leader: Int32, replicas: [Int32], inSyncReplicas: [Int32], logStartOffset: Int64,
        highWatermark: Int64, sizeBytes: Int64, firstTimestampMs: Int64, lastTimestampMs: Int64
    ) {
        self.partition = partition
        self.leader = leader
        self.replicas = replicas
        self.inSyncReplicas = inSyncReplicas
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.sizeBytes = sizeBytes
        self.firstTimestampMs = firstTimestampMs
        self.lastTimestampMs = lastTimestampMs
    }
}

extension PartitionInfo: WireElement {
    static var minimumWireSize: Int { 4 + 4 + 4 + 4 + 8 * 5 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        partition = try buffer.readWireInteger("partition")
        leader = try buffer.readWireInteger("leader")
        replicas = try buffer.readWireArray("replicas")
        inSyncReplicas = try buffer.readWireArray("inSyncReplicas")
        logStartOffset = try buffer.readWireInteger("logStartOffset")
        highWatermark = try buffer.readWireInteger("highWatermark")
        sizeBytes = try buffer.readWireInteger("sizeBytes")
        firstTimestampMs = try buffer.readWireInteger("firstTimestampMs")
        lastTimestampMs = try buffer.readWireInteger("lastTimestampMs")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(partition)
        buffer.writeInteger(leader)
        buffer.writeWireArray(replicas)
        buffer.writeWireArray(inSyncReplicas)
        buffer.writeInteger(logStartOffset)
        buffer.writeInteger(highWatermark)
        buffer.writeInteger(sizeBytes)
        buffer.writeInteger(firstTimestampMs)
        buffer.writeInteger(lastTimestampMs)
    }
}

/// A consumer group's lag on a described topic.
public struct TopicGroupLag: Hashable, Sendable {
    /// The group id.
    public var groupId: String
    /// The group's state (`Stable`, `Empty`, …).
    public var state: String
    /// Lag summed over this topic's partitions with known lag.
    public var lag: Int64

    /// Creates a group lag entry.
    public init(groupId: String, state: String, lag: Int64) {
        self.groupId = groupId
        self.state = state
        self.lag = lag
    }
}

extension TopicGroupLag: WireElement {
    static var minimumWireSize: Int { 2 + 2 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        state = try buffer.readWireString("state")
        lag = try buffer.readWireInteger("lag")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
        buffer.writeWireString(state)
        buffer.writeInteger(lag)
    }
}
