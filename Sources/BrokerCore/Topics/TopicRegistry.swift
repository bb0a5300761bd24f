import Foundation
import Logging
import Synchronization

/// A topic as the registry holds it: its persisted record, its effective log config and its open
/// partition logs (index = partition number).
struct TopicState: Sendable {
    var record: TopicRecord
    var config: LogConfig
    var partitions: [PartitionLog]
}

/// Owns every topic of a data directory: creates, deletes, grows and reconfigures them,
/// persists their metadata and hands out their partition logs.
///
/// Topic administration is serialized by one lock; produce and fetch only take it to look up a
/// partition log and then work on that log (which has its own lock), so administration of one
/// topic never blocks traffic to others for longer than a dictionary lookup.
public final class TopicRegistry: Sendable {
    /// The most partitions one topic may have.
    public static let maxPartitions: Int32 = 10_000

    let dataDirectory: String
    let io: any StorageIO
    let clock: any BrokerClock
    let defaults: LogConfig
    let logger: Logger
    private let store: TopicMetadataStore
    private let topics: Mutex<[String: TopicState]>

    /// Opens every topic recorded in the data directory's metadata, recovering partition logs
    /// when the last shutdown was not clean, and removes directories left by deleted topics.
    init(
        dataDirectory: String, io: any StorageIO, clock: any BrokerClock, defaults: LogConfig, cleanShutdown: Bool,
        logger: Logger
    ) throws(BrokerError) {
        self.dataDirectory = dataDirectory
        self.io = io
        self.clock = clock
        self.defaults = defaults
        self.logger = logger
        self.store = TopicMetadataStore(dataDirectory: dataDirectory, io: io)
        let records = try store.load()
        let configs = try records.map { record throws(BrokerError) in
            try LogConfig(overrides: record.config, base: defaults)
        }
        // Partitions open in parallel, one worker per core (Kafka's num.recovery.threads.per.data.dir):
        // after a crash each re-reads and checksums its unflushed tail, CPU work that scales with the
        // cores. Each partition has its own directory; the first failure in partition order is thrown.
        let jobs = records.indices.flatMap { r in (0..<records[r].partitionCount).map { (r, $0) } }
        let opened = Mutex<[Result<PartitionLog, BrokerError>?]>(Array(repeating: nil, count: jobs.count))
        let workers = max(1, min(jobs.count, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for j in stride(from: worker, to: jobs.count, by: workers) {
                let (r, p) = jobs[j]
                let result = Result { () throws(BrokerError) in
                    try Self.openPartition(
                        TopicPartition(topic: records[r].name, partition: p), topicId: records[r].topicId,
                        dataDirectory: dataDirectory, config: configs[r], clock: clock, io: io,
                        cleanShutdown: cleanShutdown, logger: logger)
                }
                opened.withLock { $0[j] = result }
            }
        }
        let logs = try opened.withLock { results throws(BrokerError) in
            try results.map { result throws(BrokerError) in try result!.get() }
        }
        var loaded: [String: TopicState] = [:]
        var next = 0
        for (r, record) in records.enumerated() {
            let count = Int(record.partitionCount)
            loaded[record.name] = TopicState(
                record: record, config: configs[r], partitions: Array(logs[next..<next + count]))
            next += count
        }
        self.topics = Mutex(loaded)
        removeStaleDirectories(known: loaded)
    }

    private static func openPartition(
        _ tp: TopicPartition, topicId: UUID, dataDirectory: String, config: LogConfig, clock: any BrokerClock,
        io: any StorageIO, cleanShutdown: Bool, logger: Logger
    ) throws(BrokerError) -> PartitionLog {
        let dir = dataDirectory + "/" + tp.description
        let metaPath = dir + "/partition.metadata"
        if let existing = try io.readWholeFile(metaPath),
            TopicMetadataStore.topicId(fromPartitionMetadata: existing) != topicId
        {
            // A directory of an older topic with the same name: never let it leak into this one.
            logger.warning(
                "removing partition directory of a deleted topic", metadata: ["partition.dir": "\(tp)"])
            try io.removeDirectoryTree(dir)
        }
        let log = try PartitionLog.open(
            dataDirectory: dataDirectory, topicPartition: tp, config: config, clock: clock, io: io,
            cleanShutdown: cleanShutdown, logger: logger)
        if try io.readWholeFile(metaPath) == nil {
            try io.writeFileAtomically(metaPath, TopicMetadataStore.partitionMetadata(topicId: topicId), directory: dir)
        }
        return log
    }

    /// Partition directories whose topic is gone (a crash between the metadata update and the
    /// removal of the files) are removed; directories Skiff did not write are left alone.
    private func removeStaleDirectories(known: [String: TopicState]) {
        guard let entries = try? io.contentsOfDirectory(dataDirectory) else { return }
        for entry in entries {
            guard let dash = entry.lastIndex(of: "-"), let partition = Int32(entry[entry.index(after: dash)...])
            else { continue }
            let topic = String(entry[..<dash])
            let dir = dataDirectory + "/" + entry
            guard let meta = try? io.readWholeFile(dir + "/partition.metadata"),
                let id = TopicMetadataStore.topicId(fromPartitionMetadata: meta)
            else { continue }
            if let state = known[topic], state.record.topicId == id, partition < state.record.partitionCount {
                continue
            }
            logger.info("removing files of deleted partition", metadata: ["partition.dir": "\(entry)"])
            try? io.removeDirectoryTree(dir)
        }
    }

    // MARK: - Queries

    /// The names of all topics, sorted.
    public var topicNames: [String] { topics.withLock { $0.keys.sorted() } }

    /// The persisted record and effective config of `name`.
    public func topic(_ name: String) throws(BrokerError) -> (record: TopicRecord, config: LogConfig) {
        guard let state = topics.withLock({ $0[name] }) else {
            throw .unknownTopicOrPartition(topic: name, partition: nil)
        }
        return (state.record, state.config)
    }

    /// Every partition log of `name`, in partition order.
    public func partitions(of name: String) throws(BrokerError) -> [PartitionLog] {
        guard let state = topics.withLock({ $0[name] }) else {
            throw .unknownTopicOrPartition(topic: name, partition: nil)
        }
        return state.partitions
    }

    /// The partition log of `tp`.
    public func partition(_ tp: TopicPartition) throws(BrokerError) -> PartitionLog {
        let log: PartitionLog? = topics.withLock { topics in
            guard let state = topics[tp.topic], tp.partition >= 0, Int(tp.partition) < state.partitions.count else {
                return nil
            }
            return state.partitions[Int(tp.partition)]
        }
        guard let log else {
            if topics.withLock({ $0[tp.topic] }) == nil {
                throw .unknownTopicOrPartition(topic: tp.topic, partition: nil)
            }
            throw .unknownTopicOrPartition(topic: tp.topic, partition: tp.partition)
        }
        return log
    }

    /// The partition count of `name`, or nil if there is no such topic.
    public func partitionCount(of name: String) -> Int32? {
        topics.withLock { $0[name].map { Int32($0.partitions.count) } }
    }

    /// Every open partition log of every topic.
    var allPartitions: [PartitionLog] { topics.withLock { $0.values.flatMap(\.partitions) } }

    // MARK: - Administration

    /// Creates a topic with `partitionCount` partitions and the given config overrides.
    @discardableResult
    public func createTopic(
        _ name: String, partitionCount: Int32, config overrides: [String: String] = [:]
    )
        throws(BrokerError) -> TopicRecord
    {
        try TopicName.validate(name)
        try Self.validatePartitionCount(partitionCount)
        let config = try LogConfig(overrides: overrides, base: defaults)
        return try topics.withLock { (topics) throws(BrokerError) -> TopicRecord in
            if topics[name] != nil { throw .topicAlreadyExists(name) }
            let record = TopicRecord(
                name: name, topicId: UUID(), partitionCount: partitionCount,
                config: config.overrides(relativeTo: defaults), createdAt: clock.nowMilliseconds())
            // Metadata first: a crash after this point leaves a topic whose empty partition
            // directories are created on the next start, never directories without a topic.
            try store.save(topics.values.map(\.record) + [record])
            var logs: [PartitionLog] = []
            do throws(BrokerError) {
                for p in 0..<partitionCount {
                    logs.append(
                        try Self.openPartition(
                            TopicPartition(topic: name, partition: p), topicId: record.topicId,
                            dataDirectory: dataDirectory, config: config, clock: clock, io: io, cleanShutdown: true,
                            logger: logger))
                }
            } catch {
                // Roll back: the topic was not created.
                try? store.save(topics.values.map(\.record))
                for log in logs { try? log.deleteFiles() }
                throw error
            }
            topics[name] = TopicState(record: record, config: config, partitions: logs)
            logger.info("created topic", metadata: ["topic.name": "\(name)", "partitions": "\(partitionCount)"])
            return record
        }
    }

    /// Deletes a topic and its files.
    public func deleteTopic(_ name: String) throws(BrokerError) {
        let removed = try topics.withLock { (topics) throws(BrokerError) -> TopicState in
            guard let state = topics[name] else { throw .unknownTopicOrPartition(topic: name, partition: nil) }
            var remaining = topics
            remaining[name] = nil
            try store.save(remaining.values.map(\.record))
            topics[name] = nil
            return state
        }
        for log in removed.partitions {
            do { try log.deleteFiles() } catch {
                logger.warning(
                    "could not remove partition files; they are removed on the next start",
                    metadata: ["partition.dir": "\(log.topicPartition)", "error": "\(error)"])
            }
        }
        logger.info("deleted topic", metadata: ["topic.name": "\(name)"])
    }

    /// Grows `name` to `newCount` partitions (never fewer, like Kafka).
    public func addPartitions(_ name: String, totalCount newCount: Int32) throws(BrokerError) {
        try Self.validatePartitionCount(newCount)
        try topics.withLock { (topics) throws(BrokerError) in
            guard var state = topics[name] else { throw .unknownTopicOrPartition(topic: name, partition: nil) }
            let current = state.record.partitionCount
            guard newCount > current else {
                throw .invalidPartitions(
                    "topic '\(name)' has \(current) partitions; the new count must be larger (got \(newCount))")
            }
            state.record.partitionCount = newCount
            var all = topics
            all[name] = state
            try store.save(all.values.map(\.record))
            for p in current..<newCount {
                state.partitions.append(
                    try Self.openPartition(
                        TopicPartition(topic: name, partition: p), topicId: state.record.topicId,
                        dataDirectory: dataDirectory, config: state.config, clock: clock, io: io, cleanShutdown: true,
                        logger: logger))
            }
            topics[name] = state
        }
    }

    /// Sets the config entries in `set` and returns those in `delete` to the broker default.
    public func alterConfig(_ name: String, set: [String: String], delete: [String] = []) throws(BrokerError) {
        try topics.withLock { (topics) throws(BrokerError) in
            guard var state = topics[name] else { throw .unknownTopicOrPartition(topic: name, partition: nil) }
            var overrides = state.record.config
            for key in delete {
                guard LogConfig.supportedKeys.contains(key) else {
                    throw .invalidConfig("unknown topic config '\(key.debugEscaped)'")
                }
                overrides[key] = nil
            }
            for (k, v) in set { overrides[k] = v }
            let config = try LogConfig(overrides: overrides, base: defaults)
            state.record.config = config.overrides(relativeTo: defaults)
            state.config = config
            var all = topics
            all[name] = state
            try store.save(all.values.map(\.record))
            for log in state.partitions { log.updateConfig(config) }
            topics[name] = state
        }
    }

    static func validatePartitionCount(_ count: Int32) throws(BrokerError) {
        guard count >= 1 && count <= maxPartitions else {
            throw .invalidPartitions("partition count must be between 1 and \(maxPartitions), got \(count)")
        }
    }
}

extension LogConfig {
    /// The entries that differ from `base`.
    func overrides(relativeTo base: LogConfig) -> [String: String] {
        let baseEntries = base.entries
        return entries.filter { baseEntries[$0.key] != $0.value }
    }
}
