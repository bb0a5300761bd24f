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
    }

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
            // The id most directories agree on; ties go to the one with the newest data.
            var votes: [UUID: (count: Int, newest: Int64)] = [:]
            for f in found {
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
            let config = name == ConsumerOffsetsStore.topicName ? ConsumerOffsetsStore.topicConfig : [:]
            records.append(TopicRecord(name: name, topicId: id, partitionCount: count, config: config, createdAt: now))
            result.topics.append(
                MetadataRebuild.Topic(
                    name: name, topicId: id, partitionCount: count,
                    missingPartitions: (0..<count).filter { !kept.contains($0) }))
        }
        _ = try TopicMetadataLog.create(dataDirectory: dataDirectory, io: io, entries: records.map { .topic($0) })
        let summary = result.topics.map { "\($0.name) (\($0.partitionCount))" }.joined(separator: ", ")
        notices.add(
            .metadataRebuilt, path: TopicMetadataLog.fileName,
            "rebuilt \(TopicMetadataLog.fileName) from \(records.reduce(0) { $0 + Int($1.partitionCount) }) partition directories: \(result.topics.count) topic\(result.topics.count == 1 ? "" : "s")\(summary.isEmpty ? "" : ": " + summary); topic configs were reset to the defaults\(result.oldMetadataMovedTo.map { "; the old metadata file was moved to \($0)" } ?? "")"
        )
        return result
    }
}
