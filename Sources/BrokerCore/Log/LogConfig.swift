import TopicConfigRules

/// A topic's log configuration, with Kafka's names and Kafka's defaults.
///
/// Topic configs travel as `[String: String]` (like `kafka-configs.sh --add-config k=v`);
/// ``init(overrides:base:)`` validates them and ``entries`` gives them back.
public struct LogConfig: Hashable, Sendable {
    /// The cleanup policy of a topic. Only `delete` is supported for now; the accepted spellings
    /// are ``TopicConfigKeys``' (its `cleanup.policy` choices), which this enum must cover.
    public enum CleanupPolicy: String, Hashable, Sendable, CaseIterable {
        /// Delete whole segments by time and size retention.
        case delete
    }

    /// `retention.ms`: delete segments whose newest record is older than this; -1 = keep forever.
    public var retentionMs: Int64 = 604_800_000
    /// `retention.bytes`: delete the oldest segments while the partition is larger; -1 = no limit.
    public var retentionBytes: Int64 = -1
    /// `segment.bytes`: roll to a new segment when the active one would grow past this.
    public var segmentBytes: Int = 1_073_741_824
    /// `segment.ms`: roll when the active segment's first record is older than this.
    public var segmentMs: Int64 = 604_800_000
    /// `cleanup.policy`.
    public var cleanupPolicy: CleanupPolicy = .delete
    /// `max.message.bytes`: the largest record batch accepted.
    public var maxMessageBytes: Int = 1_048_588
    /// `flush.messages`: fsync after this many appended records; 1 = fsync every append batch.
    public var flushMessages: Int64 = Int64.max
    /// `flush.ms`: fsync when the oldest unflushed append is older than this.
    public var flushMs: Int64 = Int64.max
    /// `index.interval.bytes`: add an offset/time index entry after this many log bytes.
    public var indexIntervalBytes: Int = 4096
    /// `segment.index.bytes`: maximum size of a segment's offset index; a full index rolls the segment.
    public var segmentIndexBytes: Int = 10_485_760
    /// `message.timestamp.type`: `CreateTime` keeps the timestamps producers send, `LogAppendTime`
    /// stamps every appended batch with the broker's clock (Kafka's LogValidator; see
    /// ``RecordBatchHeader/setTimestampType(_:maxTimestamp:in:)``).
    public var messageTimestampType: TimestampType = .createTime

    /// Kafka's defaults.
    public init() {}

    /// The config keys a topic accepts, in display order (``TopicConfigKeys``, the list the UI checks with too).
    public static let supportedKeys: [String] = TopicConfigKeys.names

    /// Applies `overrides` on top of `base`, validating every key and value.
    /// - Throws: ``BrokerError/invalidConfig(_:)`` naming the bad key or value.
    public init(overrides: [String: String], base: LogConfig = LogConfig()) throws(BrokerError) {
        self = base
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try set(key, value)
        }
    }

    /// Sets one config entry by its Kafka name, checked by the rules of ``TopicConfigKeys``.
    public mutating func set(_ key: String, _ value: String) throws(BrokerError) {
        let parsed: TopicConfigValue
        switch TopicConfigKeys.check(key: key, value: value) {
        case .failure(let problem): throw .invalidConfig(problem.message(quote: \.debugEscaped))
        case .success(let v): parsed = v
        }
        switch (key, parsed) {
        case ("retention.ms", .integer(let v)): retentionMs = v
        case ("retention.bytes", .integer(let v)): retentionBytes = v
        case ("segment.bytes", .integer(let v)): segmentBytes = Int(v)
        case ("segment.ms", .integer(let v)): segmentMs = v
        case ("max.message.bytes", .integer(let v)): maxMessageBytes = Int(v)
        case ("flush.messages", .integer(let v)): flushMessages = v
        case ("flush.ms", .integer(let v)): flushMs = v
        case ("index.interval.bytes", .integer(let v)): indexIntervalBytes = Int(v)
        case ("segment.index.bytes", .integer(let v)): segmentIndexBytes = Int(v)
        case ("message.timestamp.type", .choice(let word)):
            guard let type = TimestampType(configName: word) else {
                throw .invalidConfig("message.timestamp.type '\(word.debugEscaped)' is not implemented by this broker")
            }
            messageTimestampType = type
        case ("cleanup.policy", .choice(let word)):
            guard let policy = CleanupPolicy(rawValue: word) else {
                // TopicConfigKeys offers a policy this enum lacks: the two must be changed together.
                throw .invalidConfig("cleanup.policy '\(word.debugEscaped)' is not implemented by this broker")
            }
            cleanupPolicy = policy
        default:
            throw .invalidConfig("topic config '\(key.debugEscaped)' is known but not implemented by this broker")
        }
    }

    /// Every config entry by its Kafka name, values as strings.
    public var entries: [String: String] {
        [
            "cleanup.policy": cleanupPolicy.rawValue,
            "flush.messages": String(flushMessages),
            "flush.ms": String(flushMs),
            "index.interval.bytes": String(indexIntervalBytes),
            "max.message.bytes": String(maxMessageBytes),
            "message.timestamp.type": messageTimestampType.configName,
            "retention.bytes": String(retentionBytes),
            "retention.ms": String(retentionMs),
            "segment.bytes": String(segmentBytes),
            "segment.index.bytes": String(segmentIndexBytes),
            "segment.ms": String(segmentMs),
        ]
    }

    /// The entries that differ from Kafka's defaults.
    public var overrides: [String: String] {
        let defaults = LogConfig().entries
        return entries.filter { defaults[$0.key] != $0.value }
    }
}

extension TimestampType: CaseIterable {
    public static let allCases: [TimestampType] = [.createTime, .logAppendTime]

    /// Kafka's name, as `message.timestamp.type` spells it and Kafka's tools print it:
    /// `CreateTime`, `LogAppendTime`.
    public var configName: String {
        switch self {
        case .createTime: "CreateTime"
        case .logAppendTime: "LogAppendTime"
        }
    }

    /// The type Kafka's name stands for (case-sensitive, as Kafka reads the config), nil for any other word.
    public init?(configName: String) {
        guard let type = Self.allCases.first(where: { $0.configName == configName }) else { return nil }
        self = type
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
