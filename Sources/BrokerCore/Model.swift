/// A topic name and a partition number: the address of one partition log.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition number, 0-based.
    public var partition: Int32

    /// Creates the address of partition `partition` of `topic`.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// `<topic>-<partition>`, which is also the partition's directory name (as in Kafka).
    public var description: String { "\(topic)-\(partition)" }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        lhs.topic == rhs.topic ? lhs.partition < rhs.partition : lhs.topic < rhs.topic
    }
}

/// One record header: a UTF-8 key and an optional byte value (Kafka allows a null header value).
public struct RecordHeader: Hashable, Sendable {
    /// The header key.
    public var key: String
    /// The header value; `nil` is Kafka's null value.
    public var value: [UInt8]?

    /// Creates a header.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// A record as a producer hands it to the broker: no offset yet.
public struct ProducerRecord: Hashable, Sendable {
    /// The key; `nil` is a null key (the partitioner then spreads records).
    public var key: [UInt8]?
    /// The value; `nil` is a null value (a tombstone in Kafka terms).
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [RecordHeader]
    /// Create time in milliseconds since the epoch; `nil` lets the broker stamp the append time.
    public var timestamp: Int64?

    /// Creates a producer record.
    public init(key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [], timestamp: Int64? = nil) {
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}

/// A record read back from a partition log.
public struct Record: Hashable, Sendable {
    /// The record's offset in its partition.
    public var offset: Int64
    /// The record's timestamp in milliseconds since the epoch.
    public var timestamp: Int64
    /// The key, or `nil` for a null key.
    public var key: [UInt8]?
    /// The value, or `nil` for a null value.
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [RecordHeader]
    /// What ``timestamp`` is: the producer's create time, or the broker's append time (the
    /// stored batch's timestamp type, attribute bit 3).
    public var timestampType: TimestampType

    /// Creates a stored record.
    public init(
        offset: Int64, timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [],
        timestampType: TimestampType = .createTime
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampType = timestampType
    }
}

/// Where a read or an offset reset starts, in Kafka's ListOffsets vocabulary.
public enum OffsetSpec: Hashable, Sendable {
    /// The log start offset (low watermark); Kafka's -2.
    case earliest
    /// The log end offset (high watermark); Kafka's -1.
    case latest
    /// An explicit offset.
    case offset(Int64)
    /// The first offset whose timestamp is at or after this time (milliseconds since the epoch).
    case timestamp(Int64)
}
