/// Every error the broker core reports. Each case maps onto one of Kafka's error codes
/// (``kafkaErrorCode``) and carries a message a person understands (``description``).
public enum BrokerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The topic or partition does not exist.
    case unknownTopicOrPartition(topic: String, partition: Int32?)
    /// A topic with this name already exists.
    case topicAlreadyExists(String)
    /// The name breaks Kafka's topic name rules; `reason` says which.
    case invalidTopicName(name: String, reason: String)
    /// A partition count or partition number outside the allowed range.
    case invalidPartitions(String)
    /// A topic config key or value that is not accepted.
    case invalidConfig(String)
    /// A requested offset is outside `[logStartOffset, logEndOffset]`.
    case offsetOutOfRange(topicPartition: TopicPartition, offset: Int64, logStartOffset: Int64, logEndOffset: Int64)
    /// A record timestamp below -1 (Kafka's INVALID_TIMESTAMP); `message` names the record.
    case invalidTimestamp(String)
    /// A batch or record larger than `max.message.bytes`.
    case recordTooLarge(size: Int, limit: Int)
    /// Bytes that are not a valid record batch (bad length, magic or CRC, or compressed records
    /// that do not decompress).
    case corruptRecord(String)
    /// A client's batch whose records contradict its header or do not parse (a record count that
    /// is not its offset range, offset deltas other than 0, 1, 2 …, a record length that does not
    /// add up): Kafka's INVALID_RECORD.
    case invalidRecord(String)
    /// A compressed batch whose records decompress to more than `limit` bytes, the most the broker
    /// reads from one batch (a decompression bomb, or a batch to split): Kafka's MESSAGE_TOO_LARGE.
    case uncompressedBatchTooLarge(codec: String, limit: Int)
    /// Stored data that failed its checks: the offsets it hides cannot be read (later ones can).
    case corruptBatch(CorruptBatch)
    /// The disk failed us: a write, read, sync or rename returned an error.
    case storage(String)
    /// A compression codec (named by Kafka's `compression.type` value) the request may not use,
    /// such as zstd in a Kafka Produce request older than version 7. The core reads all four codecs.
    case unsupportedCompression(String)
    /// A group id that is empty or otherwise not acceptable.
    case invalidGroupId(String)
    /// The group does not exist.
    case groupIdNotFound(String)
    /// The group has active members, so the operation (delete, offset reset) is refused.
    case nonEmptyGroup(String)
    /// The member is not (or no longer) part of the group.
    case unknownMemberId(group: String, memberId: String)
    /// The member's generation is not the group's current generation.
    case illegalGeneration(group: String, generation: Int32, current: Int32)
    /// The group is rebalancing; the member must rejoin.
    case rebalanceInProgress(String)
    /// The session timeout is outside the broker's allowed bounds.
    case invalidSessionTimeout(Int32)
    /// An argument that is not valid for the request; `message` explains.
    case invalidRequest(String)
    /// The data directory's topic metadata is missing or damaged while partition data is there;
    /// the broker refuses to start rather than show (or lose) nothing. `message` says how to recover.
    case metadataUnusable(String)

    /// The Kafka protocol error code closest to this error.
    public var kafkaErrorCode: Int16 {
        switch self {
        case .offsetOutOfRange: 1
        case .corruptRecord, .corruptBatch: 2
        case .unknownTopicOrPartition: 3
        case .recordTooLarge, .uncompressedBatchTooLarge: 10
        case .invalidTopicName: 17
        case .invalidGroupId: 24
        case .illegalGeneration: 22
        case .unknownMemberId: 25
        case .invalidSessionTimeout: 26
        case .rebalanceInProgress: 27
        case .invalidTimestamp: 32
        case .topicAlreadyExists: 36
        case .invalidPartitions: 37
        case .invalidConfig: 40
        case .invalidRequest: 42
        case .nonEmptyGroup: 68
        case .groupIdNotFound: 69
        case .storage, .metadataUnusable: 56
        case .unsupportedCompression: 76
        case .invalidRecord: 87
        }
    }

    public var description: String {
        switch self {
        case .unknownTopicOrPartition(let topic, let partition?):
            "topic '\(topic)' has no partition \(partition)"
        case .unknownTopicOrPartition(let topic, nil):
            "topic '\(topic)' does not exist"
        case .topicAlreadyExists(let name):
            "topic '\(name)' already exists"
        case .invalidTopicName(let name, let reason):
            "invalid topic name '\(name.debugEscaped)': \(reason)"
        case .invalidPartitions(let message):
            message
        case .invalidConfig(let message):
            message
        case .offsetOutOfRange(let tp, let offset, let start, let end):
            "offset \(offset) is out of range for \(tp): valid offsets are \(start) to \(end)"
        case .invalidTimestamp(let message):
            message
        case .recordTooLarge(let size, let limit):
            "record batch of \(size) bytes is larger than max.message.bytes (\(limit))"
        case .corruptRecord(let message):
            "corrupt record batch: \(message)"
        case .invalidRecord(let message):
            "invalid record batch: \(message)"
        case .uncompressedBatchTooLarge(let codec, let limit):
            "the batch's \(codec) records decompress to more than \(Self.size(limit)), the most the broker reads from one batch"
        case .corruptBatch(let batch):
            batch.description
        case .storage(let message):
            "storage error: \(message)"
        case .unsupportedCompression(let codec):
            "compression \(codec) is not allowed in this request"
        case .invalidGroupId(let message):
            message
        case .groupIdNotFound(let group):
            "consumer group '\(group)' does not exist"
        case .nonEmptyGroup(let group):
            "consumer group '\(group)' has active members; stop its consumers first"
        case .unknownMemberId(let group, let member):
            "member '\(member)' is not part of consumer group '\(group)'"
        case .illegalGeneration(let group, let generation, let current):
            "generation \(generation) of consumer group '\(group)' is stale (current generation is \(current))"
        case .rebalanceInProgress(let group):
            "consumer group '\(group)' is rebalancing; rejoin the group"
        case .invalidSessionTimeout(let ms):
            "session timeout \(ms) ms is outside the allowed range"
        case .invalidRequest(let message):
            message
        case .metadataUnusable(let message):
            message
        }
    }
}

extension BrokerError {
    /// `bytes` in MiB when it is a whole number of them, else in bytes.
    fileprivate static func size(_ bytes: Int) -> String {
        bytes > 0 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}

/// Where stored data of a partition is damaged: the answer to a read that reaches it.
public struct CorruptBatch: Hashable, Sendable, CustomStringConvertible {
    /// The partition.
    public var topicPartition: TopicPartition
    /// The damaged stretch of the segment file and the offsets it hides.
    public var damage: DamagedRange

    /// Creates the description of damage in `topicPartition`.
    public init(topicPartition: TopicPartition, damage: DamagedRange) {
        self.topicPartition = topicPartition
        self.damage = damage
    }

    public var description: String {
        let d = damage
        let offsets =
            d.lastOffset > d.firstOffset ? "offsets \(d.firstOffset)–\(d.lastOffset)" : "offset \(d.firstOffset)"
        return
            "corrupt data in partition \(topicPartition): \(offsets) cannot be read (segment \(d.segmentFileName), bytes \(d.position)–\(d.end - 1): \(d.reason)); offsets from \(d.lastOffset + 1) on can be read"
    }
}

extension String {
    /// The string with control and non-printable characters escaped, safe to put in a message.
    var debugEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += scalar.escaped(asASCII: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
