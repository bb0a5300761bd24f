import Foundation
import Logging
import Synchronization

/// How a broker is set up.
public struct BrokerConfig: Sendable {
    /// The data directory; created if missing.
    public var dataDirectory: String
    /// The broker id shown as leader and replica of every partition (single node).
    public var brokerId: Int32 = 0
    /// Log config defaults for new topics (Kafka's defaults unless changed).
    public var logDefaults = LogConfig()
    /// Consumer-group coordinator settings.
    public var groups = GroupCoordinatorConfig()
    /// How many keyless records go to one partition before the sticky partitioner moves on.
    public var stickyBatchSize = 100
    /// The most segment `.log` files kept open at once; `nil` = half the process's open-file
    /// limit, which the broker raises to the hard limit at start.
    public var maxOpenSegmentFiles: Int?
    /// Bytes set aside in the data directory so that deleting topics and records works on a full
    /// disk (`.skiff-reserve`); 0 = none.
    public var diskReserveBytes = 4 << 20
    /// Rebuild the topic metadata from the partition directories before starting (`skiff broker
    /// --rebuild-metadata`): for a data directory whose metadata is missing or damaged.
    public var rebuildMetadata = false

    /// A config for `dataDirectory` with Kafka's defaults.
    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }
}

/// Where one produced record landed.
public struct ProduceResult: Hashable, Sendable {
    /// The partition the record was appended to.
    public var partition: Int32
    /// The record's offset in that partition.
    public var offset: Int64
    /// The record's timestamp as stored: the producer's, or the append time the broker stamped
    /// (on records without one, and on every record of a LogAppendTime topic).
    public var timestamp: Int64
}

/// Records read from a partition, with the partition's watermarks at the time of the read.
public struct FetchResult: Hashable, Sendable {
    /// The records, in offset order.
    public var records: [Record]
    /// The partition's log start offset (low watermark).
    public var logStartOffset: Int64
    /// The partition's high watermark.
    public var highWatermark: Int64
}

/// One partition of a topic as `describe` shows it.
public struct PartitionDescription: Hashable, Sendable {
    /// The partition number.
    public var partition: Int32
    /// The leader broker (always this broker).
    public var leader: Int32
    /// Replica brokers (this broker only).
    public var replicas: [Int32]
    /// In-sync replicas (this broker only).
    public var inSyncReplicas: [Int32]
    /// Low watermark.
    public var logStartOffset: Int64
    /// High watermark.
    public var highWatermark: Int64
    /// Size of the partition's log files in bytes.
    public var sizeBytes: Int64
    /// Timestamp of the first stored record, if any.
    public var firstTimestamp: Int64?
    /// Timestamp of the last stored record, if any.
    public var lastTimestamp: Int64?
    /// Number of stored records: high − low watermark.
    public var messageCount: Int64 { highWatermark - logStartOffset }
}

/// A topic as `describe` shows it.
public struct TopicDescription: Hashable, Sendable {
    /// The topic name.
    public var name: String
    /// The topic's UUID.
    public var topicId: UUID
    /// Whether it is an internal topic (`__consumer_offsets`).
    public var isInternal: Bool
    /// Every config entry, Kafka names.
    public var config: [String: String]
    /// The entries that differ from the broker defaults.
    public var configOverrides: [String: String]
    /// Per-partition details.
    public var partitions: [PartitionDescription]
}

/// A topic as `list` shows it.
public struct TopicSummary: Hashable, Sendable {
    /// The topic name.
    public var name: String
    /// Number of partitions.
    public var partitionCount: Int32
    /// Records stored over all partitions.
    public var messageCount: Int64
    /// Bytes on disk over all partitions.
    public var sizeBytes: Int64
    /// Wall-clock time of the last append to any partition, if any.
    public var lastWriteTime: Int64?
    /// Whether it is an internal topic.
    public var isInternal: Bool
}

/// The single-node broker: topics and their partition logs, the Kafka partitioner, the internal
/// `__consumer_offsets` topic and the consumer-group coordinator, over one data directory.
///
/// Safe to use from many threads at once; see docs/codebase-guide.md ("Concurrency").
public final class Broker: Sendable {
    /// The configuration the broker was opened with.
    public let config: BrokerConfig
    /// Topics and partition logs.
    public let topics: TopicRegistry
    /// Consumer groups and committed offsets.
    public let groups: GroupCoordinator
    /// The broker's clock.
    public let clock: any BrokerClock
    /// When the broker was opened (milliseconds since the epoch).
    public let startedAt: Int64
    /// Whether the previous run shut down cleanly (false means logs were recovered).
    public let recoveredFromCleanShutdown: Bool

    /// What the storage found wrong and did about it (strays, rewritten metadata, damage, …).
    public let notices: StorageNoticeLog
    /// The process's open-file limit after the start raised it, if it could be read.
    public let openFileLimit: Int?
    /// What `rebuildMetadata` did, when it was asked for.
    public let metadataRebuild: MetadataRebuild?

    let partitioner: DefaultPartitioner
    let io: any StorageIO
    let logger: Logger
    let files: SegmentFileCache
    let reserve: DiskReserve
    private let lock: DataDirectoryLock
    private let closed = Mutex(false)
    private let counters = Mutex(TrafficCounters())

    /// The cluster id and node id kept in the data directory (`meta.properties`).
    public let identity: ClusterIdentity

    /// The name of the marker file written by a clean shutdown.
    public static let cleanShutdownMarker = ".skiff_cleanshutdown"

    /// Opens (or creates) the data directory, recovering logs if the last shutdown was not clean.
    /// - Throws: ``BrokerError/storage(_:)`` if the directory cannot be used, including when
    ///   another broker already has it open.
    public init(
        config: BrokerConfig, clock: any BrokerClock = SystemClock(), io: any StorageIO = PosixStorageIO(),
        logger: Logger = Logger(label: "skiff.broker")
    ) throws(BrokerError) {
        self.config = config
        self.clock = clock
        self.io = io
        self.logger = logger
        self.partitioner = DefaultPartitioner(stickyBatchSize: config.stickyBatchSize)
        let dir = config.dataDirectory
        try io.createDirectory(dir)
        self.lock = try DataDirectoryLock(directory: dir)
        let markerPath = dir + "/" + Self.cleanShutdownMarker
        let clean = io.fileExists(markerPath)
        self.recoveredFromCleanShutdown = clean
        if !clean && io.fileExists(TopicMetadataLog.path(in: dir)) {
            logger.info("no clean-shutdown marker: recovering partition logs", metadata: ["data.dir": "\(dir)"])
        }
        let notices = StorageNoticeLog(logger: logger, clock: clock)
        self.notices = notices
        let limit = OpenFileLimit.raiseToHardLimit()
        self.openFileLimit = limit
        let files = SegmentFileCache(
            capacity: config.maxOpenSegmentFiles ?? OpenFileLimit.segmentFileBudget(forLimit: limit))
        self.files = files
        self.metadataRebuild =
            config.rebuildMetadata
            ? try TopicRegistry.rebuildMetadata(dataDirectory: dir, io: io, notices: notices, clock: clock) : nil
        let registry = try TopicRegistry(
            dataDirectory: dir, io: io, clock: clock, defaults: config.logDefaults, cleanShutdown: clean,
            files: files, notices: notices, logger: logger)
        if registry.partitionCount(of: ConsumerOffsetsStore.topicName) == nil {
            try registry.createTopic(
                ConsumerOffsetsStore.topicName, partitionCount: 1, config: ConsumerOffsetsStore.topicConfig)
        }
        self.topics = registry
        let offsetsLog = try registry.partition(TopicPartition(topic: ConsumerOffsetsStore.topicName, partition: 0))
        self.groups = try GroupCoordinator(
            clock: clock, offsetStore: ConsumerOffsetsStore(log: offsetsLog, logger: logger), metadata: registry,
            config: config.groups, logger: logger)
        self.reserve = DiskReserve(dataDirectory: dir, size: config.diskReserveBytes, io: io, notices: notices)
        self.identity = try ClusterIdentity.load(directory: dir, nodeId: config.brokerId, io: io)
        reserve.replenishIfRoom()
        // From here on the directory is in use: a crash must trigger recovery next time.
        if clean {
            try io.removeFile(markerPath)
            try io.syncDirectory(dir)
        }
        self.startedAt = clock.nowMilliseconds()
    }

    // MARK: - Topics

    /// Creates a topic; see ``TopicRegistry/createTopic(_:partitionCount:config:)``.
    @discardableResult
    public func createTopic(
        _ name: String, partitions: Int32, config: [String: String] = [:]
    ) throws(BrokerError)
        -> TopicDescription
    {
        try checkOpen()
        try validateNewTopic(name, partitions: partitions, config: config)
        try topics.createTopic(name, partitionCount: partitions, config: config)
        groups.topicPartitionsChanged(name)
        return try describeTopic(name)
    }

    /// Checks everything ``createTopic(_:partitions:config:)`` would check, creating nothing.
    public func validateNewTopic(_ name: String, partitions: Int32, config: [String: String]) throws(BrokerError) {
        try TopicName.validate(name)
        if TopicName.isInternal(name) {
            throw .invalidTopicName(name: name, reason: "names starting with '__' are reserved for internal topics")
        }
        try TopicRegistry.validatePartitionCount(partitions)
        _ = try LogConfig(overrides: config, base: self.config.logDefaults)
        if topics.partitionCount(of: name) != nil { throw .topicAlreadyExists(name) }
        if let other = topics.collidingTopic(name) { throw TopicRegistry.collision(name, other) }
    }

    /// Deletes a topic, its files and the committed offsets of every group on it.
    public func deleteTopic(_ name: String) throws(BrokerError) {
        try checkOpen()
        try refuseInternal(name, "deleted")
        try reserve.relieving("deleting topic '\(name)'") { () throws(BrokerError) in try topics.deleteTopic(name) }
        try groups.topicDeleted(name)
    }

    /// Grows a topic to `totalCount` partitions.
    public func addPartitions(_ name: String, totalCount: Int32) throws(BrokerError) {
        try checkOpen()
        try refuseInternal(name, "changed")
        try topics.addPartitions(name, totalCount: totalCount)
        groups.topicPartitionsChanged(name)
    }

    /// Sets and removes topic config entries.
    public func alterTopicConfig(_ name: String, set: [String: String], delete: [String] = []) throws(BrokerError) {
        try checkOpen()
        try refuseInternal(name, "reconfigured")
        try topics.alterConfig(name, set: set, delete: delete)
    }

    /// Every topic with its totals, sorted by name.
    public func listTopics(includeInternal: Bool = true) -> [TopicSummary] {
        topics.topicNames.compactMap { name -> TopicSummary? in
            guard includeInternal || !TopicName.isInternal(name), let logs = try? topics.partitions(of: name) else {
                return nil
            }
            var summary = TopicSummary(
                name: name, partitionCount: Int32(logs.count), messageCount: 0, sizeBytes: 0, lastWriteTime: nil,
                isInternal: TopicName.isInternal(name))
            for log in logs {
                summary.messageCount += log.logEndOffset - log.logStartOffset
                summary.sizeBytes += log.sizeInBytes
                if let t = log.lastAppendTime { summary.lastWriteTime = max(summary.lastWriteTime ?? t, t) }
            }
            return summary
        }
    }

    /// A topic's config and per-partition watermarks, sizes and timestamps.
    public func describeTopic(_ name: String) throws(BrokerError) -> TopicDescription {
        let (record, config) = try topics.topic(name)
        let logs = try topics.partitions(of: name)
        let id = self.config.brokerId
        var partitions: [PartitionDescription] = []
        partitions.reserveCapacity(logs.count)
        for (index, log) in logs.enumerated() {
            let stats = try log.stats()
            partitions.append(
                PartitionDescription(
                    partition: Int32(index), leader: id, replicas: [id], inSyncReplicas: [id],
                    logStartOffset: stats.logStartOffset, highWatermark: stats.logEndOffset,
                    sizeBytes: stats.sizeInBytes, firstTimestamp: stats.firstRecordTimestamp,
                    lastTimestamp: stats.lastRecordTimestamp))
        }
        return TopicDescription(
            name: name, topicId: record.topicId, isInternal: TopicName.isInternal(name), config: config.entries,
            configOverrides: record.config, partitions: partitions)
    }

    // MARK: - Records

    /// Appends records to `topic`. A record goes to `partition` when one is given, otherwise the
    /// key decides (Kafka's murmur2 partitioner) and keyless records are spread. Records for one
    /// partition keep their order and are appended as one batch. A timestamp below -1 refuses the
    /// whole request with ``BrokerError/invalidTimestamp(_:)`` before anything is appended.
    /// - Returns: where each record landed, in the order of `records`.
    public func produce(
        topic: String, records: [(partition: Int32?, record: ProducerRecord)]
    ) throws(BrokerError)
        -> [ProduceResult]
    {
        try checkOpen()
        try refuseInternal(topic, "written to")
        let logs = try topics.partitions(of: topic)
        let count = Int32(logs.count)
        var partitions = [Int32]()
        partitions.reserveCapacity(records.count)
        for (index, item) in records.enumerated() {
            if let timestamp = item.record.timestamp, timestamp < -1 {
                throw .invalidTimestamp(
                    "timestamp \(timestamp) of record \(index) is not valid: a timestamp is milliseconds since the epoch (0 or more), or -1 for none"
                )
            }
            if let explicit = item.partition {
                guard explicit >= 0 && explicit < count else {
                    throw .unknownTopicOrPartition(topic: topic, partition: explicit)
                }
                partitions.append(explicit)
            } else {
                partitions.append(partitioner.partition(forKey: item.record.key, partitionCount: count))
            }
        }
        var results = [ProduceResult]()
        results.reserveCapacity(records.count)
        if let first = partitions.first, partitions.allSatisfy({ $0 == first }) {
            // The common case (and the hot path): one batch to one partition, no regrouping.
            let info = try logs[Int(first)].append(records.map(\.record))
            for (i, item) in records.enumerated() {
                results.append(
                    ProduceResult(
                        partition: first, offset: info.firstOffset + Int64(i),
                        timestamp: Self.storedTimestamp(of: item.record, info)))
            }
        } else {
            var byPartition: [Int32: [Int]] = [:]
            var order: [Int32] = []
            for (index, p) in partitions.enumerated() {
                if byPartition[p] == nil { order.append(p) }
                byPartition[p, default: []].append(index)
            }
            results = [ProduceResult](
                repeating: ProduceResult(partition: 0, offset: 0, timestamp: 0), count: records.count)
            for p in order {
                let indexes = byPartition[p]!
                let info = try logs[Int(p)].append(indexes.map { records[$0].record })
                for (i, index) in indexes.enumerated() {
                    results[index] = ProduceResult(
                        partition: p, offset: info.firstOffset + Int64(i),
                        timestamp: Self.storedTimestamp(of: records[index].record, info))
                }
            }
        }
        counters.withLock { $0.producedRecords += Int64(records.count) }
        return results
    }

    /// The timestamp `record` has once appended as part of `info`'s batch: the append time under
    /// LogAppendTime or when the producer left it out, else the producer's.
    private static func storedTimestamp(of record: ProducerRecord, _ info: AppendInfo) -> Int64 {
        info.timestampType == .logAppendTime ? info.logAppendTime : record.timestamp ?? info.logAppendTime
    }

    /// Appends `records` to one partition, or to the partition the partitioner picks for the first record.
    public func produce(
        topic: String, partition: Int32?, records: [ProducerRecord]
    ) throws(BrokerError)
        -> [ProduceResult]
    {
        try produce(topic: topic, records: records.map { (partition, $0) })
    }

    /// Appends a record batch exactly as a Kafka client sent it (see
    /// ``PartitionLog/appendBatch(_:)``): the Kafka listener's Produce.
    public func appendBatch(_ tp: TopicPartition, _ bytes: [UInt8]) throws(BrokerError) -> AppendInfo {
        try checkOpen()
        try refuseInternal(tp.topic, "written to")
        let info = try topics.partition(tp).appendBatch(bytes)
        counters.withLock { $0.producedRecords += info.lastOffset - info.firstOffset + 1 }
        return info
    }

    /// The stored batches of `tp` from the one holding `offset`, whole, up to about `maxBytes`
    /// but at least one (see ``PartitionLog/readBatches(from:maxBytes:)``), with the partition's
    /// watermarks: the Kafka listener's Fetch.
    public func readBatches(
        _ tp: TopicPartition, from offset: Int64, maxBytes: Int
    ) throws(BrokerError) -> (bytes: [UInt8], logStartOffset: Int64, highWatermark: Int64) {
        let log = try topics.partition(tp)
        let start = log.logStartOffset
        let end = log.logEndOffset
        let bytes = try log.readBatches(from: offset, maxBytes: maxBytes)
        return (bytes, start, max(end, log.logEndOffset))
    }

    /// Reads up to `maxRecords` records (and about `maxBytes` bytes, but at least one record when
    /// one exists) starting at `offset`.
    public func fetch(
        _ tp: TopicPartition, from offset: Int64, maxRecords: Int = 500, maxBytes: Int = 1 << 20
    )
        throws(BrokerError) -> FetchResult
    {
        let log = try topics.partition(tp)
        let start = log.logStartOffset
        let end = log.logEndOffset
        let records = try log.read(from: offset, maxRecords: maxRecords, maxBytes: maxBytes)
        counters.withLock { $0.fetchedRecords += Int64(records.count) }
        return FetchResult(
            records: records, logStartOffset: start, highWatermark: max(end, (records.last?.offset ?? -1) + 1))
    }

    /// The offset an ``OffsetSpec`` resolves to in `tp` (Kafka's ListOffsets).
    public func offset(_ tp: TopicPartition, for spec: OffsetSpec) throws(BrokerError) -> Int64 {
        try topics.partition(tp).offset(for: spec)
    }

    /// Kafka's ListOffsets for one partition: `-2` the log start offset, `-1` the log end offset,
    /// `-3` the record with the largest timestamp, any other value the first record whose
    /// timestamp is at least it. Returns the offset and that record's timestamp (-1 for the
    /// watermarks), or nil when no record is that recent.
    ///
    /// `-3` answers the newest record: the log does not track the largest timestamp apart from
    /// the newest, which is the same record unless clients wrote timestamps out of order.
    public func listOffset(
        _ tp: TopicPartition, timestamp: Int64
    ) throws(BrokerError) -> (offset: Int64, timestamp: Int64)? {
        let log = try topics.partition(tp)
        switch timestamp {
        case -2: return (log.logStartOffset, -1)
        case -1: return (log.logEndOffset, -1)
        case -3:
            let stats = try log.stats()
            guard let last = stats.lastRecordTimestamp else { return nil }
            return (stats.logEndOffset - 1, last)
        default:
            guard let offset = try log.offset(forTimestamp: timestamp) else { return nil }
            return (offset, try log.timestamp(ofOffset: offset) ?? -1)
        }
    }

    /// Moves the log start offset of `tp` to `offset` (Kafka's DeleteRecords).
    public func deleteRecords(_ tp: TopicPartition, before offset: Int64) throws(BrokerError) -> Int64 {
        try checkOpen()
        let log = try topics.partition(tp)
        return try reserve.relieving("deleting records of \(tp)") { () throws(BrokerError) in
            try log.deleteRecords(before: offset)
        }
    }

    // MARK: - Maintenance and lifecycle

    /// Periodic work: retention, time-based flushing and group session expiry. Call every few
    /// hundred milliseconds (``runMaintenance(every:)`` does).
    public func tick() {
        groups.tick()
        for log in topics.allPartitions {
            do {
                _ = try log.applyRetention()
                _ = try log.flushIfDue()
            } catch {
                logger.error(
                    "maintenance failed", metadata: ["partition.dir": "\(log.topicPartition)", "error": "\(error)"])
            }
        }
    }

    /// Calls ``tick()`` every `interval` until the task is cancelled or the broker shuts down.
    public func runMaintenance(every interval: Duration = .milliseconds(250)) async {
        var ticks = 0
        while !Task.isCancelled && !isClosed {
            // Groups and time-based flushing every tick; retention and the disk reserve every 20th
            // (5 s by default): walking 50,000 partitions four times a second would be idle work.
            if ticks % 20 == 0 {
                tick()
                reserve.replenishIfRoom()
            } else {
                groups.tick()
                for log in topics.allPartitions {
                    do { _ = try log.flushIfDue() } catch {
                        logger.error(
                            "flush failed", metadata: ["partition.dir": "\(log.topicPartition)", "error": "\(error)"])
                    }
                }
            }
            ticks += 1
            try? await Task.sleep(for: interval)
        }
    }

    /// The storage's state for the broker screen: notices, open segment files, the descriptor
    /// limit and the disk reserve.
    public var storageStatus: StorageStatus {
        StorageStatus(
            notices: notices.all, segmentFiles: files.statistics, openFileLimit: openFileLimit,
            diskReserveBytes: Int64(reserve.size), diskReserveHeld: reserve.isHeld)
    }

    /// Total records produced and fetched since start (for rates).
    public var trafficCounters: TrafficCounters { counters.withLock { $0 } }

    /// Bytes on disk over all partitions.
    public var dataSizeBytes: Int64 { topics.allPartitions.reduce(0) { $0 + $1.sizeInBytes } }

    /// Whether ``shutdown()`` has run.
    public var isClosed: Bool { closed.withLock { $0 } }

    /// Flushes and closes every log, then writes the clean-shutdown marker so the next start
    /// skips recovery. Safe to call more than once.
    public func shutdown() throws(BrokerError) {
        let wasClosed = closed.withLock { c in
            defer { c = true }
            return c
        }
        guard !wasClosed else { return }
        var firstError: BrokerError?
        for log in topics.allPartitions {
            do { try log.close() } catch {
                logger.error("close failed", metadata: ["partition.dir": "\(log.topicPartition)", "error": "\(error)"])
                firstError = firstError ?? error
            }
        }
        if let firstError {
            lock.release()
            throw firstError
        }
        let marker = config.dataDirectory + "/" + Self.cleanShutdownMarker
        try io.writeFileAtomically(marker, [], directory: config.dataDirectory)
        lock.release()
        logger.info("broker shut down cleanly", metadata: ["data.dir": "\(config.dataDirectory)"])
    }

    private func checkOpen() throws(BrokerError) {
        if isClosed { throw .storage("the broker is shut down") }
    }

    private func refuseInternal(_ name: String, _ verb: String) throws(BrokerError) {
        if TopicName.isInternal(name) && topics.partitionCount(of: name) != nil {
            throw .invalidRequest("'\(name)' is an internal topic and cannot be \(verb)")
        }
    }
}

/// The storage's state, for the broker screen and `skiff broker`.
public struct StorageStatus: Hashable, Sendable {
    /// What the storage found wrong and did about it, oldest first.
    public var notices: [StorageNotice]
    /// Open segment files and the cache's limit.
    public var segmentFiles: SegmentFileCacheStatistics
    /// The process's open-file limit, if known.
    public var openFileLimit: Int?
    /// Bytes reserved for relief on a full disk (0 = no reserve).
    public var diskReserveBytes: Int64
    /// Whether the reserve is in place now (false after it was used, until the disk has room).
    public var diskReserveHeld: Bool
}

/// Totals of records produced and fetched since the broker started.
public struct TrafficCounters: Hashable, Sendable {
    /// Records appended through ``Broker/produce(topic:records:)``.
    public var producedRecords: Int64 = 0
    /// Records returned by ``Broker/fetch(_:from:maxRecords:maxBytes:)``.
    public var fetchedRecords: Int64 = 0
}

extension Broker {
    /// Whether a running broker holds `directory` (its `.lock` is locked by another process).
    public static func isDataDirectoryInUse(_ directory: String) -> Bool {
        let fd = open(directory + "/.lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}

/// An exclusive `flock` on `<data-dir>/.lock`: one broker per data directory, like Kafka's lock.
final class DataDirectoryLock: Sendable {
    private let descriptor: Mutex<Int32>

    init(directory: String) throws(BrokerError) {
        let path = directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .storage("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw .storage("data directory \(directory) is in use by another Skiff broker")
            }
            throw .storage("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        descriptor = Mutex(fd)
    }

    func release() {
        descriptor.withLock { fd in
            if fd >= 0 {
                close(fd)
                fd = -1
            }
        }
    }

    deinit { release() }
}
