import Foundation
import Logging

/// What ``TopicRegistry/rebuildMetadata(dataDirectory:io:notices:clock:)`` did.
public struct MetadataRebuild: Hashable, Sendable {
    /// One rebuilt topic.
    public struct Topic: Hashable, Sendable {
        /// Its name.
        public var name: String
        /// Its id (from the partition directories, or new when none named one).
        public var topicId: UUID
        /// Its partition count (the highest partition directory + 1).
        public var partitionCount: Int32
        /// Partitions that had no directory and were created empty.
        public var missingPartitions: [Int32]
        /// Whether its config overrides came back from the old metadata file (else: defaults).
        public var configRecovered: Bool
    }

    /// Directories of topics the old metadata file records as deleted, moved aside.
    public var deletedTopicDirectories: [String] = []

    /// The topics written to the new metadata log, sorted by name.
    public var topics: [Topic] = []
    /// Where the old metadata file was moved, if there was one.
    public var oldMetadataMovedTo: String?
}

extension TopicRegistry {
    /// Rebuilds the topic metadata log of `dataDirectory` from its partition directories: each
    /// `<topic>-<partition>` directory names its topic, its `partition.metadata` the topic id
    /// (the id most directories of a name agree on wins; the others are moved aside as strays, and
    /// directories without a readable id adopt it). Partition counts are the highest partition
    /// found plus one. Configs are reset to the broker defaults (`__consumer_offsets` gets its
    /// own). An existing metadata file is moved aside (`<name>.damaged-<ms>`), never deleted.
    public static func rebuildMetadata(
        dataDirectory: String, io: any StorageIO, notices: StorageNoticeLog, clock: any BrokerClock
    ) throws(BrokerError) -> MetadataRebuild {
        var result = MetadataRebuild()
        let entries = Set(try io.contentsOfDirectory(dataDirectory))
        let now = clock.nowMilliseconds()
        // Whatever the old files still say (lines that pass their CRC): configs and deletes.
        var salvaged = TopicMetadataContents()
        for name in [TopicMetadataLog.legacyFileName, TopicMetadataLog.fileName] where entries.contains(name) {
            if let bytes = try io.readWholeFile(dataDirectory + "/" + name) {
                let more = TopicMetadataLog.salvage(bytes)
                salvaged.topics.merge(more.topics) { _, new in new }
                salvaged.deleted.merge(more.deleted) { _, new in new }
            }
        }
        for name in [TopicMetadataLog.fileName, TopicMetadataLog.legacyFileName] where entries.contains(name) {
            let aside = "\(name).damaged-\(now)"
            try io.rename(dataDirectory + "/" + name, to: dataDirectory + "/" + aside)
            result.oldMetadataMovedTo = aside
        }
        struct Found {
            var partition: Int32
            var id: UUID?
            var newest: Int64
        }
        var byTopic: [String: [Found]] = [:]
        for entry in entries {
            guard let tp = partition(ofDirectoryName: entry),
                try io.status(ofPath: dataDirectory + "/" + entry)?.isDirectory == true
            else { continue }
            let dir = dataDirectory + "/" + entry
            let id = try io.readWholeFile(dir + "/" + partitionMetadataFileName)
                .flatMap(TopicMetadataLog.topicId(fromPartitionMetadata:))
            let newest =
                try io.contentsOfDirectory(dir).compactMap { name -> Int64? in
                    guard name.hasSuffix(LogSegment.logSuffix) else { return nil }
                    return (try? io.status(ofPath: dir + "/" + name))??.modificationTime
                }.max() ?? 0
            byTopic[tp.topic, default: []].append(Found(partition: tp.partition, id: id, newest: newest))
        }
        let opener = PartitionOpener(
            dataDirectory: dataDirectory, io: io, clock: clock, files: SegmentFileCache(capacity: 4),
            notices: notices, deleted: [:], logger: Logger(label: "skiff.rebuild"))
        var records: [TopicRecord] = []
        for (name, found) in byTopic.sorted(by: { $0.key < $1.key }) {
            // The id most directories agree on (not counting ids the old file records as deleted);
            // ties go to the one with the newest data.
            var votes: [UUID: (count: Int, newest: Int64)] = [:]
            for f in found
            where f.id.map({ salvaged.deleted[$0] == nil || salvaged.topics[name]?.topicId == $0 }) ?? false {
                if let id = f.id { votes[id] = ((votes[id]?.count ?? 0) + 1, max(votes[id]?.newest ?? 0, f.newest)) }
            }
            let id =
                votes.max { a, b in
                    a.value.count != b.value.count ? a.value.count < b.value.count : a.value.newest < b.value.newest
                }?
                .key ?? UUID()
            var kept: [Int32] = []
            for f in found {
                let entry = "\(name)-\(f.partition)"
                let dir = dataDirectory + "/" + entry
                if let gone = f.id.flatMap({ salvaged.deleted[$0] }), salvaged.topics[name]?.topicId != f.id {
                    try opener.moveAside(
                        entry,
                        reason:
                            "while rebuilding the metadata: the old metadata file records topic '\(gone.name)' (id \(gone.topicId.uuidString)) as deleted"
                    )
                    result.deletedTopicDirectories.append(entry)
                    continue
                }
                if let other = f.id, other != id {
                    try opener.moveAside(
                        entry,
                        reason:
                            "while rebuilding the metadata, its partition.metadata names topic id \(other.uuidString) but most directories of '\(name)' name \(id.uuidString)"
                    )
                    continue
                }
                if f.id == nil {
                    try io.writeFileAtomically(
                        dir + "/" + partitionMetadataFileName, TopicMetadataLog.partitionMetadata(topicId: id),
                        directory: dir)
                }
                kept.append(f.partition)
            }
            guard let highest = kept.max() else { continue }
            let count = highest + 1
            let old = salvaged.topics[name].flatMap { $0.topicId == id ? $0 : nil }
            let config =
                old?.config ?? (name == ConsumerOffsetsStore.topicName ? ConsumerOffsetsStore.topicConfig : [:])
            records.append(
                TopicRecord(
                    name: name, topicId: id, partitionCount: max(count, old?.partitionCount ?? 0), config: config,
                    createdAt: old?.createdAt ?? now))
            result.topics.append(
                MetadataRebuild.Topic(
                    name: name, topicId: id, partitionCount: max(count, old?.partitionCount ?? 0),
                    missingPartitions: (0..<max(count, old?.partitionCount ?? 0)).filter { !kept.contains($0) },
                    configRecovered: old != nil))
        }
        _ = try TopicMetadataLog.create(dataDirectory: dataDirectory, io: io, entries: records.map { .topic($0) })
        let recovered = result.topics.filter(\.configRecovered).count
        let configNote =
            recovered == result.topics.count && recovered > 0
            ? "every topic's config came back from the old metadata file"
            : recovered > 0
                ? "\(recovered) topic config\(recovered == 1 ? "" : "s") came back from the old metadata file, the others were reset to the defaults"
                : "topic configs were reset to the defaults"
        let summary = result.topics.map { "\($0.name) (\($0.partitionCount))" }.joined(separator: ", ")
        notices.add(
            .metadataRebuilt, path: TopicMetadataLog.fileName,
            "rebuilt \(TopicMetadataLog.fileName) from the partition directories: \(result.topics.count) topic\(result.topics.count == 1 ? "" : "s")\(summary.isEmpty ? "" : ": " + summary); \(configNote)\(result.oldMetadataMovedTo.map { "; the old metadata file was moved to \($0)" } ?? "")"
        )
        return result
    }
}
