// Figures computed from the broker's state that every listener reports: the admin protocol's
// handlers and the Kafka listener call these, so both answer with one implementation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The size of the file system holding a directory and the space left on it.
public struct DiskSpace: Hashable, Sendable {
    /// Bytes the file system holds in all.
    public var totalBytes: Int64
    /// Bytes unprivileged writers (the broker) may still use.
    public var freeBytes: Int64

    /// Creates the figures.
    public init(totalBytes: Int64, freeBytes: Int64) {
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
    }

    /// The file system of `path` (`statvfs`), or nil when it cannot be asked.
    public static func of(path: String) -> DiskSpace? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let blockSize = Int64(info.f_frsize)
        return DiskSpace(totalBytes: Int64(info.f_blocks) * blockSize, freeBytes: Int64(info.f_bavail) * blockSize)
    }
}

/// How many topics, partitions and consumer groups a broker holds.
public struct BrokerCounts: Hashable, Sendable {
    /// Topics, internal ones included.
    public var topics: Int
    /// Partitions over all those topics.
    public var partitions: Int
    /// Consumer groups.
    public var groups: Int

    /// Creates the counts.
    public init(topics: Int, partitions: Int, groups: Int) {
        self.topics = topics
        self.partitions = partitions
        self.groups = groups
    }
}

/// One config entry of a topic, and whether the topic sets it or takes the broker default.
public struct TopicConfigEntry: Hashable, Sendable {
    /// The key, Kafka's name.
    public var key: String
    /// The value in force.
    public var value: String
    /// True when the topic overrides the broker default (Kafka's config source
    /// `DYNAMIC_TOPIC_CONFIG`), false for the default (`DEFAULT_CONFIG`).
    public var isOverride: Bool

    /// Creates an entry.
    public init(key: String, value: String, isOverride: Bool) {
        self.key = key
        self.value = value
        self.isOverride = isOverride
    }
}

extension TopicDescription {
    /// Every config entry, sorted by key, each marked whether the topic overrides the default: what
    /// DescribeTopic lists, and Kafka's DescribeConfigs and CreateTopics with their config sources.
    public var sortedConfig: [TopicConfigEntry] {
        config.keys.sorted().map {
            TopicConfigEntry(key: $0, value: config[$0]!, isOverride: configOverrides[$0] != nil)
        }
    }
}

extension Broker {
    /// The file system holding the data directory, or nil when it cannot be asked (ClusterInfo's
    /// disk figures, Kafka's DescribeLogDirs `total_bytes` and `usable_bytes`).
    public func diskSpace() -> DiskSpace? { DiskSpace.of(path: config.dataDirectory) }

    /// Topics (internal ones included), their partitions and the consumer groups: ClusterInfo's counts.
    public func counts() -> BrokerCounts {
        var topicCount = 0
        var partitionCount = 0
        for name in topics.topicNames {
            guard let partitions = topics.partitionCount(of: name) else { continue }  // deleted meanwhile
            topicCount += 1
            partitionCount += Int(partitions)
        }
        return BrokerCounts(topics: topicCount, partitions: partitionCount, groups: groups.groupCount)
    }
}
