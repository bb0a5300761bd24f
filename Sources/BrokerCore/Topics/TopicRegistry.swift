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
/// persists their metadata (one line of the metadata log per change, see TopicMetadataStore.swift)
/// and hands out their partition logs.
///
/// Topic administration is serialized by one lock; produce and fetch only take it to look up a
/// partition log and then work on that log (which has its own lock), so administration of one
/// topic never blocks traffic to others for longer than a dictionary lookup.
///
/// Nothing in the data directory is deleted on a guess. At start a partition directory whose
/// `partition.metadata` names another topic id, or that no topic of the metadata claims, is moved
/// aside (renamed `<name>.<random>-stray`, as Kafka does) and reported; only the directories of
/// topics the metadata log records as deleted are removed. A damaged `partition.metadata` in a
/// directory the metadata names is rewritten when the directory's segments are intact.
public final class TopicRegistry: Sendable {
    /// The most partitions one topic may have.
    public static let maxPartitions: Int32 = 10_000
    /// The name of Kafka's per-partition topic id file.
    static let partitionMetadataFileName = "partition.metadata"

    let dataDirectory: String
    let io: any StorageIO
    let clock: any BrokerClock
    let defaults: LogConfig
    let logger: Logger
    let files: SegmentFileCache
    let notices: StorageNoticeLog
    private let state: Mutex<State>

    private struct State {
        var topics: [String: TopicState]
        /// Deleted topics whose directories may still exist (a crash during a delete).
        var deleted: [UUID: DeletedTopic]
        /// Topic name with '.' replaced by '_' → the topic's name (Kafka's collision rule).
        var collisionKeys: [String: String]
        var log: TopicMetadataLog
    }

    /// Opens every topic recorded in the data directory's metadata, recovering partition logs
    /// when the last shutdown was not clean, and moves aside (or, for deleted topics, removes)
    /// partition directories the metadata does not explain.
    /// - Throws: ``BrokerError/metadataUnusable(_:)`` when the metadata is missing or damaged while
    ///   partition directories exist; ``BrokerError/storage(_:)`` when the disk fails.
    init(
        dataDirectory: String, io: any StorageIO, clock: any BrokerClock, defaults: LogConfig, cleanShutdown: Bool,
        files: SegmentFileCache, notices: StorageNoticeLog, logger: Logger
    ) throws(BrokerError) {
        self.dataDirectory = dataDirectory
        self.io = io
        self.clock = clock
        self.defaults = defaults
        self.logger = logger
        self.files = files
        self.notices = notices
        let entries = Set(try io.contentsOfDirectory(dataDirectory))
        let log: TopicMetadataLog
        var contents: TopicMetadataContents
        do throws(BrokerError) {
            if let loaded = try TopicMetadataLog.load(dataDirectory: dataDirectory, io: io) {
                contents = loaded
            } else {
                let found = Self.partitionDirectoriesWithData(in: dataDirectory, entries: entries, io: io)
                guard found.isEmpty else {
                    throw BrokerError.metadataUnusable(
                        Self.refusal(
                            dataDirectory: dataDirectory, found: found,
                            problem: "its topic metadata file \(TopicMetadataLog.fileName) is missing"))
                }
                contents = TopicMetadataContents()
            }
        } catch .metadataUnusable(let problem) where !problem.contains("--rebuild-metadata") {
            let found = Self.partitionDirectoriesWithData(in: dataDirectory, entries: entries, io: io)
            throw .metadataUnusable(Self.refusal(dataDirectory: dataDirectory, found: found, problem: problem))
        }
        if contents.fromLegacyFile || !entries.contains(TopicMetadataLog.fileName) {
            log = try TopicMetadataLog.create(
                dataDirectory: dataDirectory, io: io,
                entries: contents.topics.values.sorted { $0.name < $1.name }.map {
                    .topic($0)
                })
            if contents.fromLegacyFile {
                try io.rename(
                    dataDirectory + "/" + TopicMetadataLog.legacyFileName,
                    to: dataDirectory + "/" + TopicMetadataLog.legacyFileName + ".migrated")
                try io.syncDirectory(dataDirectory)
                logger.info(
                    "migrated \(TopicMetadataLog.legacyFileName) to \(TopicMetadataLog.fileName) (the old file is kept as \(TopicMetadataLog.legacyFileName).migrated)"
                )
            }
        } else {
            if contents.tornBytes > 0 {
                logger.warning(
                    "ignoring a torn last line of \(contents.tornBytes) bytes in \(TopicMetadataLog.fileName): a change interrupted by a crash, never acknowledged"
                )
            }
            log = try TopicMetadataLog.open(dataDirectory: dataDirectory, io: io, contents: contents)
        }
        let records = contents.topics.values.sorted { $0.name < $1.name }
        let deleted = contents.deleted
        let configs = try records.map { record throws(BrokerError) in
            try LogConfig(overrides: record.config, base: defaults)
        }
        // Partitions open in parallel, one worker per core (Kafka's num.recovery.threads.per.data.dir):
        // after a crash each re-reads and checksums its unflushed tail, CPU work that scales with the
        // cores. Each partition has its own directory; the first failure in partition order is thrown.
        let jobs = records.indices.flatMap { r in (0..<records[r].partitionCount).map { (r, $0) } }
        let opened = Mutex<[Result<PartitionLog, BrokerError>?]>(Array(repeating: nil, count: jobs.count))
        let workers = max(1, min(jobs.count, ProcessInfo.processInfo.activeProcessorCount))
        let opener = PartitionOpener(
            dataDirectory: dataDirectory, io: io, clock: clock, files: files, notices: notices, deleted: deleted,
            logger: logger)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for j in stride(from: worker, to: jobs.count, by: workers) {
                let (r, p) = jobs[j]
                let tp = TopicPartition(topic: records[r].name, partition: p)
                let result = Result { () throws(BrokerError) in
                    try opener.open(
                        tp, topicId: records[r].topicId, config: configs[r], exists: entries.contains(tp.description),
                        cleanShutdown: cleanShutdown)
                }
                opened.withLock { $0[j] = result }
            }
        }
        let logs = try opened.withLock { results throws(BrokerError) in
            try results.map { result throws(BrokerError) in try result!.get() }
        }
        var loaded: [String: TopicState] = [:]
        var collisionKeys: [String: String] = [:]
        var next = 0
        for (r, record) in records.enumerated() {
            let count = Int(record.partitionCount)
            loaded[record.name] = TopicState(
                record: record, config: configs[r], partitions: Array(logs[next..<next + count]))
            collisionKeys[TopicName.collisionKey(record.name)] = record.name
            next += count
        }
        self.state = Mutex(State(topics: loaded, deleted: deleted, collisionKeys: collisionKeys, log: log))
        try explainUnclaimedDirectories(entries: entries, opener: opener)
        try state.withLock { (s) throws(BrokerError) in try compactIfNeeded(&s) }
    }

    // MARK: - Partition directories

    /// The partition a data directory entry stands for (`<topic>-<partition>`, a valid topic name
    /// and a partition number written without leading zeros), or `nil`.
    public static func partition(ofDirectoryName name: String) -> TopicPartition? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let topic = String(name[..<dash])
        let number = name[name.index(after: dash)...]
        guard let partition = Int32(number), partition >= 0, partition < maxPartitions, String(partition) == number,
            TopicName.isValid(topic)
        else { return nil }
        return TopicPartition(topic: topic, partition: partition)
    }

    /// Entries that look like partition directories and hold something (a `partition.metadata`
    /// or a segment), sorted.
    static func partitionDirectoriesWithData(
        in dataDirectory: String, entries: Set<String>, io: any StorageIO
    )
        -> [String]
    {
        entries.filter { name in
            guard partition(ofDirectoryName: name) != nil,
                let names = try? io.contentsOfDirectory(dataDirectory + "/" + name)
            else { return false }
            return names.contains { $0 == partitionMetadataFileName || $0.hasSuffix(LogSegment.logSuffix) }
        }.sorted()
    }

    /// The message of a refusal to start: what was found, and how to recover.
    static func refusal(dataDirectory: String, found: [String], problem: String) -> String {
        let shown = found.prefix(5).joined(separator: ", ") + (found.count > 5 ? " and \(found.count - 5) more" : "")
        let holding =
            found.isEmpty
            ? "The data directory \(dataDirectory)"
            : "The data directory \(dataDirectory) holds \(found.count) partition director\(found.count == 1 ? "y" : "ies") (\(shown)), but"
        return
            "\(holding) \(problem). Starting anyway would show no topics, so the broker refuses to start; nothing was changed. To rebuild the topic list from the partition directories (topic configs are reset to the defaults), run: skiff broker --data-dir \(dataDirectory) --rebuild-metadata"
    }

    /// Removes the directories of deleted topics, moves aside every other partition directory no
    /// topic claims, and reports strays moved aside by earlier starts.
    private func explainUnclaimedDirectories(entries: Set<String>, opener: PartitionOpener) throws(BrokerError) {
        let topics = state.withLock { $0.topics.mapValues(\.record) }
        for entry in entries.sorted() {
            if entry.hasSuffix("-stray") {
                notices.add(
                    .strayDirectory, path: entry,
                    "\(entry) is a partition directory an earlier start moved aside; its files are untouched. Check it with `skiff storage verify`, then delete it or move it back by hand."
                )
                continue
            }
            guard let tp = Self.partition(ofDirectoryName: entry) else { continue }
            if let record = topics[tp.topic], tp.partition < record.partitionCount { continue }
            guard try io.status(ofPath: dataDirectory + "/" + entry)?.isDirectory == true else { continue }
            let reason =
                topics[tp.topic].map {
                    "topic '\(tp.topic)' has \($0.partitionCount) partition\($0.partitionCount == 1 ? "" : "s") in \(TopicMetadataLog.fileName)"
                } ?? "no topic '\(tp.topic)' is in \(TopicMetadataLog.fileName)"
            try opener.explain(entry, reason: reason)
        }
    }

    // MARK: - Queries

    /// The names of all topics, sorted.
    public var topicNames: [String] { state.withLock { $0.topics.keys.sorted() } }

    /// The persisted record and effective config of `name`.
    public func topic(_ name: String) throws(BrokerError) -> (record: TopicRecord, config: LogConfig) {
        guard let topic = state.withLock({ $0.topics[name] }) else {
            throw .unknownTopicOrPartition(topic: name, partition: nil)
        }
        return (topic.record, topic.config)
    }

    /// The topic id of `name`, or nil if there is no such topic.
    public func topicId(of name: String) -> UUID? { state.withLock { $0.topics[name]?.record.topicId } }

    /// Every partition log of `name`, in partition order.
    public func partitions(of name: String) throws(BrokerError) -> [PartitionLog] {
        guard let topic = state.withLock({ $0.topics[name] }) else {
            throw .unknownTopicOrPartition(topic: name, partition: nil)
        }
        return topic.partitions
    }

    /// The partition log of `tp`.
    public func partition(_ tp: TopicPartition) throws(BrokerError) -> PartitionLog {
        let found: (exists: Bool, log: PartitionLog?) = state.withLock { s in
            guard let topic = s.topics[tp.topic] else { return (false, nil) }
            guard tp.partition >= 0, Int(tp.partition) < topic.partitions.count else { return (true, nil) }
            return (true, topic.partitions[Int(tp.partition)])
        }
        guard let log = found.log else {
            throw .unknownTopicOrPartition(topic: tp.topic, partition: found.exists ? tp.partition : nil)
        }
        return log
    }

    /// The partition count of `name`, or nil if there is no such topic.
    public func partitionCount(of name: String) -> Int32? {
        state.withLock { $0.topics[name].map { Int32($0.partitions.count) } }
    }

    /// Every open partition log of every topic.
    var allPartitions: [PartitionLog] { state.withLock { $0.topics.values.flatMap(\.partitions) } }

    /// The topic whose name collides with `name` once '.' and '_' are treated alike, if any.
    func collidingTopic(_ name: String) -> String? {
        state.withLock { s in
            s.collisionKeys[TopicName.collisionKey(name)].flatMap { $0 == name ? nil : $0 }
        }
    }

    // MARK: - Administration

    /// Creates a topic with `partitionCount` partitions and the given config overrides. One line
    /// is appended to the metadata log (and fsynced) first; the partition directories follow.
    @discardableResult
    public func createTopic(
        _ name: String, partitionCount: Int32, config overrides: [String: String] = [:]
    )
        throws(BrokerError) -> TopicRecord
    {
        try TopicName.validate(name)
        try Self.validatePartitionCount(partitionCount)
        let config = try LogConfig(overrides: overrides, base: defaults)
        let opener = PartitionOpener(
            dataDirectory: dataDirectory, io: io, clock: clock, files: files, notices: notices, deleted: [:],
            logger: logger)
        return try state.withLock { (s) throws(BrokerError) -> TopicRecord in
            if s.topics[name] != nil { throw .topicAlreadyExists(name) }
            if let other = s.collisionKeys[TopicName.collisionKey(name)] {
                throw Self.collision(name, other)
            }
            let record = TopicRecord(
                name: name, topicId: UUID(), partitionCount: partitionCount,
                config: config.overrides(keeping: overrides.keys), createdAt: clock.nowMilliseconds())
            // Metadata first: a crash after this point leaves a topic whose empty partition
            // directories are created on the next start, never directories without a topic.
            try s.log.append(.topic(record))
            var logs: [PartitionLog] = []
            do throws(BrokerError) {
                let deletedOpener = opener.with(deleted: s.deleted)
                for p in 0..<partitionCount {
                    let tp = TopicPartition(topic: name, partition: p)
                    logs.append(
                        try deletedOpener.open(
                            tp, topicId: record.topicId, config: config,
                            exists: io.fileExists(dataDirectory + "/" + tp.description), cleanShutdown: true))
                }
            } catch {
                // Roll back: the topic was not created.
                try? s.log.append(
                    .delete(DeletedTopic(name: name, topicId: record.topicId, partitionCount: partitionCount)))
                for log in logs { try? log.deleteFiles() }
                throw error
            }
            s.topics[name] = TopicState(record: record, config: config, partitions: logs)
            s.collisionKeys[TopicName.collisionKey(name)] = name
            try compactIfNeeded(&s)
            logger.info("created topic", metadata: ["topic.name": "\(name)", "partitions": "\(partitionCount)"])
            return record
        }
    }

    /// Kafka's error for names that collide once '.' and '_' are alike (InvalidTopicException).
    static func collision(_ name: String, _ other: String) -> BrokerError {
        .invalidTopicName(
            name: name,
            reason:
                "it collides with existing topic '\(other)' (Kafka treats '.' and '_' alike in topic metric names)")
    }

    /// Deletes a topic and its files. The delete is recorded (one line) before any file goes; a
    /// crash in between leaves directories the next start recognises and removes.
    public func deleteTopic(_ name: String) throws(BrokerError) {
        let removed = try state.withLock { (s) throws(BrokerError) -> TopicState in
            guard let topic = s.topics[name] else { throw .unknownTopicOrPartition(topic: name, partition: nil) }
            let deleted = DeletedTopic(
                name: name, topicId: topic.record.topicId, partitionCount: topic.record.partitionCount)
            try s.log.append(.delete(deleted))
            s.topics[name] = nil
            s.deleted[deleted.topicId] = deleted
            s.collisionKeys[TopicName.collisionKey(name)] = nil
            return topic
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
        let opener = PartitionOpener(
            dataDirectory: dataDirectory, io: io, clock: clock, files: files, notices: notices, deleted: [:],
            logger: logger)
        try state.withLock { (s) throws(BrokerError) in
            guard var topic = s.topics[name] else { throw .unknownTopicOrPartition(topic: name, partition: nil) }
            let current = topic.record.partitionCount
            guard newCount > current else {
                throw .invalidPartitions(
                    "topic '\(name)' has \(current) partitions; the new count must be larger (got \(newCount))")
            }
            topic.record.partitionCount = newCount
            try s.log.append(.topic(topic.record))
            let deletedOpener = opener.with(deleted: s.deleted)
            for p in current..<newCount {
                let tp = TopicPartition(topic: name, partition: p)
                topic.partitions.append(
                    try deletedOpener.open(
                        tp, topicId: topic.record.topicId, config: topic.config,
                        exists: io.fileExists(dataDirectory + "/" + tp.description), cleanShutdown: true))
            }
            s.topics[name] = topic
            try compactIfNeeded(&s)
        }
    }

    /// Sets the config entries in `set` and returns those in `delete` to the broker default.
    public func alterConfig(_ name: String, set: [String: String], delete: [String] = []) throws(BrokerError) {
        try state.withLock { (s) throws(BrokerError) in
            guard var topic = s.topics[name] else { throw .unknownTopicOrPartition(topic: name, partition: nil) }
            var overrides = topic.record.config
            for key in delete {
                guard LogConfig.supportedKeys.contains(key) else {
                    throw .invalidConfig("unknown topic config '\(key.debugEscaped)'")
                }
                overrides[key] = nil
            }
            for (k, v) in set { overrides[k] = v }
            let config = try LogConfig(overrides: overrides, base: defaults)
            topic.record.config = config.overrides(keeping: overrides.keys)
            topic.config = config
            try s.log.append(.topic(topic.record))
            for log in topic.partitions { log.updateConfig(config) }
            s.topics[name] = topic
            try compactIfNeeded(&s)
        }
    }

    static func validatePartitionCount(_ count: Int32) throws(BrokerError) {
        guard count >= 1 && count <= maxPartitions else {
            throw .invalidPartitions("partition count must be between 1 and \(maxPartitions), got \(count)")
        }
    }

    /// Rewrites the metadata log as a snapshot when it holds more than twice the lines it needs:
    /// the topics, and the deletes whose directories are still on disk.
    private func compactIfNeeded(_ s: inout State) throws(BrokerError) {
        guard s.log.wantsCompaction(needed: s.topics.count + s.deleted.count) else { return }
        let stillThere = s.deleted.values.filter { d in
            (0..<d.partitionCount).contains { io.fileExists(dataDirectory + "/" + "\(d.name)-\($0)") }
        }
        let entries: [TopicMetadataLog.Entry] =
            s.topics.values.sorted { $0.record.name < $1.record.name }.map { .topic($0.record) }
            + stillThere.map { .delete($0) }
        do {
            s.log = try TopicMetadataLog.create(dataDirectory: dataDirectory, io: io, entries: entries)
            s.deleted = Dictionary(uniqueKeysWithValues: stillThere.map { ($0.topicId, $0) })
            logger.info("compacted \(TopicMetadataLog.fileName) to \(entries.count) lines")
        } catch {
            // The old log is still whole; try again after the next change.
            logger.warning("could not compact \(TopicMetadataLog.fileName): \(error)")
        }
    }
}

/// Opens partition directories for the registry, deciding what to do with ones whose
/// `partition.metadata` does not match: the one place where the directory rules live.
struct PartitionOpener: Sendable {
    let dataDirectory: String
    let io: any StorageIO
    let clock: any BrokerClock
    let files: SegmentFileCache
    let notices: StorageNoticeLog
    let deleted: [UUID: DeletedTopic]
    let logger: Logger

    func with(deleted: [UUID: DeletedTopic]) -> PartitionOpener {
        PartitionOpener(
            dataDirectory: dataDirectory, io: io, clock: clock, files: files, notices: notices, deleted: deleted,
            logger: logger)
    }

    /// Opens (or creates) the log of `tp`, which the metadata gives topic id `topicId`.
    func open(
        _ tp: TopicPartition, topicId: UUID, config: LogConfig, exists: Bool, cleanShutdown: Bool
    ) throws(BrokerError) -> PartitionLog {
        let dir = dataDirectory + "/" + tp.description
        let metaPath = dir + "/" + TopicRegistry.partitionMetadataFileName
        var writeMetadata = !exists
        var directoryExists = exists
        if exists {
            let bytes = try io.readWholeFile(metaPath)
            let id = bytes.flatMap(TopicMetadataLog.topicId(fromPartitionMetadata:))
            if let id, id != topicId {
                try explain(
                    tp.description,
                    reason:
                        "its partition.metadata names topic id \(id.uuidString), but \(TopicMetadataLog.fileName) gives topic '\(tp.topic)' the id \(topicId.uuidString)"
                )
                writeMetadata = true
                directoryExists = false
            } else if id == nil {
                let what = bytes == nil ? "is missing" : bytes!.isEmpty ? "is empty" : "does not parse"
                var damage = try StorageVerifier.verifyPartition(directory: dir, io: io).damage
                if !cleanShutdown,
                    let active = try io.contentsOfDirectory(dir).filter({
                        LogSegment.baseOffset(fileName: $0, suffix: LogSegment.logSuffix) != nil
                    }).max(), let size = try io.status(ofPath: dir + "/" + active)?.size
                {
                    // After a crash the end of the active segment may be a torn write, which recovery
                    // cuts (and keeps): no sign that the directory belongs to another topic.
                    damage.removeAll { $0.segmentFileName == active && Int64($0.end) == size }
                }
                if damage.isEmpty {
                    notices.add(
                        .metadataRewritten, path: tp.description + "/" + TopicRegistry.partitionMetadataFileName,
                        "the partition.metadata of \(tp) \(what); its segments are intact, so it was rewritten from \(TopicMetadataLog.fileName) (topic id \(topicId.uuidString))"
                    )
                    try io.writeFileAtomically(
                        metaPath, TopicMetadataLog.partitionMetadata(topicId: topicId), directory: dir)
                } else {
                    try moveAside(
                        tp.description,
                        reason:
                            "its partition.metadata \(what) and its data is damaged too (\(damage.count) damaged stretch\(damage.count == 1 ? "" : "es"), first: \(damage[0].reason)), so it cannot be shown to belong to topic '\(tp.topic)'"
                    )
                    writeMetadata = true
                    directoryExists = false
                }
            }
        }
        let log = try PartitionLog.open(
            dataDirectory: dataDirectory, topicPartition: tp, config: config, clock: clock, io: io, files: files,
            notices: notices, cleanShutdown: cleanShutdown, directoryExists: directoryExists, logger: logger)
        if writeMetadata {
            // Not fsynced: a new partition's directory becomes durable with its first data, and a
            // lost metadata file in a directory the metadata log names is rewritten at start.
            let file = try io.openFile(metaPath, mode: .truncate)
            try TopicMetadataLog.partitionMetadata(topicId: topicId).withBytes { (raw) throws(BrokerError) in
                try io.write(file, raw, at: 0)
            }
        }
        return log
    }

    /// Deals with a partition directory the metadata does not claim as it is: removed when its
    /// `partition.metadata` names a topic the metadata log records as deleted, else moved aside.
    func explain(_ entry: String, reason: String) throws(BrokerError) {
        let dir = dataDirectory + "/" + entry
        let id = (try? io.readWholeFile(dir + "/" + TopicRegistry.partitionMetadataFileName))?
            .flatMap(TopicMetadataLog.topicId(fromPartitionMetadata:))
        if let id, let gone = deleted[id] {
            try io.removeDirectoryTree(dir)
            try io.syncDirectory(dataDirectory)
            notices.add(
                .leftoverRemoved, path: entry,
                "removed \(entry), left behind by topic '\(gone.name)' (id \(id.uuidString)), whose delete \(TopicMetadataLog.fileName) records"
            )
            return
        }
        try moveAside(entry, reason: reason)
    }

    /// Renames a partition directory to `<entry>.<random hex>-stray` and reports it.
    func moveAside(_ entry: String, reason: String) throws(BrokerError) {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let stray = "\(entry).\(suffix)-stray"
        try io.rename(dataDirectory + "/" + entry, to: dataDirectory + "/" + stray)
        try io.syncDirectory(dataDirectory)
        notices.add(
            .strayDirectory, path: stray,
            "moved partition directory \(entry) aside to \(stray): \(reason). Its files are untouched; check them with `skiff storage verify`, then delete the directory or move it back by hand."
        )
    }
}

extension LogConfig {
    /// The entries of `keys`, the ones set on the topic: a key set to the default's value stays
    /// set (as in Kafka, where DescribeConfigs then reports it as the topic's own config).
    func overrides(keeping keys: some Collection<String>) -> [String: String] {
        let keys = Set(keys)
        return entries.filter { keys.contains($0.key) }
    }
}
