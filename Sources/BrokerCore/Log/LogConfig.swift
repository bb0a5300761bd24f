/// A topic's log configuration, with Kafka's names and Kafka's defaults.
///
/// Topic configs travel as `[String: String]` (like `kafka-configs.sh --add-config k=v`);
/// ``init(overrides:base:)`` validates them and ``entries`` gives them back.
public struct LogConfig: Hashable, Sendable {
    /// The cleanup policy of a topic. Only `delete` is supported for now.
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

    /// Kafka's defaults.
    public init() {}

    /// The config keys a topic accepts, in display order.
    public static let supportedKeys: [String] = [
        "cleanup.policy", "flush.messages", "flush.ms", "index.interval.bytes", "max.message.bytes",
        "retention.bytes", "retention.ms", "segment.bytes", "segment.index.bytes", "segment.ms",
    ]

    /// Applies `overrides` on top of `base`, validating every key and value.
    /// - Throws: ``BrokerError/invalidConfig(_:)`` naming the bad key or value.
    public init(overrides: [String: String], base: LogConfig = LogConfig()) throws(BrokerError) {
        self = base
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try set(key, value)
        }
    }

    /// Sets one config entry by its Kafka name.
    public mutating func set(_ key: String, _ value: String) throws(BrokerError) {
        func int64(min: Int64, allowMinusOne: Bool = false) throws(BrokerError) -> Int64 {
            guard let v = Int64(value.trimmingWhitespace) else {
                throw .invalidConfig("\(key) must be an integer, got '\(value.debugEscaped)'")
            }
            if allowMinusOne && v == -1 { return v }
            guard v >= min else {
                throw .invalidConfig("\(key) must be at least \(min)\(allowMinusOne ? " (or -1)" : ""), got \(v)")
            }
            return v
        }
        func int(min: Int, max: Int = Int(Int32.max)) throws(BrokerError) -> Int {
            let v = try int64(min: Int64(min))
            guard v <= Int64(max) else { throw .invalidConfig("\(key) must be at most \(max), got \(v)") }
            return Int(v)
        }
        switch key {
        case "retention.ms": retentionMs = try int64(min: 0, allowMinusOne: true)
        case "retention.bytes": retentionBytes = try int64(min: 0, allowMinusOne: true)
        case "segment.bytes": segmentBytes = try int(min: 14)
        case "segment.ms": segmentMs = try int64(min: 1)
        case "max.message.bytes": maxMessageBytes = try int(min: 0)
        case "flush.messages": flushMessages = try int64(min: 1)
        case "flush.ms": flushMs = try int64(min: 0)
        case "index.interval.bytes": indexIntervalBytes = try int(min: 0)
        case "segment.index.bytes": segmentIndexBytes = try int(min: 8)
        case "cleanup.policy":
            guard let policy = CleanupPolicy(rawValue: String(value.trimmingWhitespace)) else {
                throw .invalidConfig(
                    "cleanup.policy '\(value.debugEscaped)' is not supported; Skiff supports: delete")
            }
            cleanupPolicy = policy
        default:
            throw .invalidConfig(
                "unknown topic config '\(key.debugEscaped)'; known keys: \(Self.supportedKeys.joined(separator: ", "))")
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

extension String {
    var trimmingWhitespace: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
