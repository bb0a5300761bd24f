import Foundation
import Logging

/// What ``StorageVerifier`` found in one partition directory.
public struct PartitionVerification: Hashable, Sendable {
    /// The directory name (`<topic>-<partition>`).
    public var directoryName: String
    /// The partition the name stands for, when it is one.
    public var topicPartition: TopicPartition?
    /// The topic id in `partition.metadata`, when it parses.
    public var topicId: UUID?
    /// Number of segments.
    public var segmentCount = 0
    /// Batches that passed every check.
    public var validBatches = 0
    /// Records in those batches.
    public var records: Int64 = 0
    /// Bytes of `.log` files.
    public var logBytes: Int64 = 0
    /// The first segment's base offset.
    public var firstOffset: Int64?
    /// One past the last valid batch's last offset.
    public var endOffset: Int64?
    /// Damaged stretches of the `.log` files.
    public var damage: [DamagedRange] = []
    /// Other problems: indexes, checkpoints, `partition.metadata`.
    public var problems: [String] = []
    /// Files that keep bytes recovery cut from a log (`<log>.cut-at-<position>`).
    public var cutFiles: [String] = []

    /// No damage and no problem (kept cut tails are not damage: they are what recovery set aside).
    public var isIntact: Bool { damage.isEmpty && problems.isEmpty }
}

/// What ``StorageVerifier/verify(dataDirectory:io:)`` found in a data directory.
public struct StorageVerification: Hashable, Sendable {
    /// Every partition directory, sorted by name.
    public var partitions: [PartitionVerification] = []
    /// Problems of the topic metadata (`topics.log`) and of the directory as a whole.
    public var problems: [String] = []
    /// Directories moved aside as strays (`…-stray`).
    public var strays: [String] = []

    /// No damage anywhere.
    public var isIntact: Bool { problems.isEmpty && partitions.allSatisfy(\.isIntact) }
}

/// Checks every batch of every segment and every index of a data directory without changing a
/// byte (Kafka's `kafka-dump-log --deep-iteration`, for a whole directory): each batch's header,
/// length, offset continuity and CRC; that every offset index entry points at the start of a
/// batch ending at its offset; that time index entries stay in the segment; that checkpoints
/// parse and lie within the log; that `partition.metadata` names the topic id the metadata log
/// gives. Used by `skiff storage verify` and by the broker before it adopts a partition directory
/// whose `partition.metadata` is damaged.
public enum StorageVerifier {
    /// Verifies a whole data directory. It must not be in use by a running broker, or the
    /// figures of the active segments may be a moment old.
    public static func verify(
        dataDirectory: String, io: any StorageIO = PosixStorageIO()
    ) throws(BrokerError)
        -> StorageVerification
    {
        var result = StorageVerification()
        var topics: [String: TopicRecord] = [:]
        let names = try io.contentsOfDirectory(dataDirectory).sorted()
        do {
            if let contents = try TopicMetadataLog.load(dataDirectory: dataDirectory, io: io) {
                topics = contents.topics
                if contents.tornBytes > 0 {
                    result.problems.append(
                        "\(TopicMetadataLog.fileName): a torn last line of \(contents.tornBytes) bytes (an interrupted change; the broker ignores it)"
                    )
                }
            } else {
                let found = TopicRegistry.partitionDirectoriesWithData(
                    in: dataDirectory, entries: Set(names), io: io)
                if !found.isEmpty {
                    result.problems.append(
                        "\(TopicMetadataLog.fileName) is missing, but \(found.count) partition director\(found.count == 1 ? "y holds" : "ies hold") data; the broker refuses to start until `skiff broker --rebuild-metadata` rebuilds it"
                    )
                }
            }
        } catch {
            result.problems.append("\(error)")
        }
        for name in names {
            if name.hasSuffix("-stray") {
                result.strays.append(name)
                continue
            }
            guard let tp = TopicRegistry.partition(ofDirectoryName: name),
                try io.status(ofPath: dataDirectory + "/" + name)?.isDirectory == true
            else { continue }
            var verification = try verifyPartition(directory: dataDirectory + "/" + name, io: io)
            if let topic = topics[tp.topic] {
                if tp.partition >= topic.partitionCount {
                    verification.problems.append(
                        "topic '\(tp.topic)' has \(topic.partitionCount) partitions in \(TopicMetadataLog.fileName); this directory is not one of them"
                    )
                } else if let id = verification.topicId, id != topic.topicId {
                    verification.problems.append(
                        "partition.metadata names topic id \(id.uuidString), \(TopicMetadataLog.fileName) says \(topic.topicId.uuidString)"
                    )
                }
            } else if !topics.isEmpty {
                verification.problems.append("topic '\(tp.topic)' is not in \(TopicMetadataLog.fileName)")
            }
            result.partitions.append(verification)
        }
        return result
    }

    /// One past the last offset the segment's batch headers claim from byte `position` on
    /// (headers only, unchecked), or nil when the first header does not parse.
    static func claimedEnd(of segment: LogSegment, from position: Int = 0) throws(BrokerError) -> Int64? {
        var reader = try SegmentReader(segment: segment, limit: segment.size, chunkSize: 1 << 20)
        var position = position
        var end: Int64?
        while position < segment.size, case .valid(let header) = try reader.inspect(at: position, verify: false) {
            end = header.lastOffset + 1
            position += header.totalSize
        }
        return end
    }

    /// Verifies one partition directory (`<data dir>/<topic>-<partition>`), read-only.
    public static func verifyPartition(
        directory: String, io: any StorageIO = PosixStorageIO()
    ) throws(BrokerError)
        -> PartitionVerification
    {
        let directoryName = String(directory.split(separator: "/").last ?? "")
        var v = PartitionVerification(
            directoryName: directoryName, topicPartition: TopicRegistry.partition(ofDirectoryName: directoryName))
        let names = try io.contentsOfDirectory(directory)
        if let meta = try io.readWholeFile(directory + "/partition.metadata") {
            v.topicId = TopicMetadataLog.topicId(fromPartitionMetadata: meta)
            if v.topicId == nil { v.problems.append("partition.metadata does not parse") }
        } else {
            v.problems.append("partition.metadata is missing")
        }
        v.cutFiles = names.filter { $0.contains(LogSegment.cutInfix) }.sorted()
        let bases = names.compactMap { LogSegment.baseOffset(fileName: $0, suffix: LogSegment.logSuffix) }.sorted()
        v.segmentCount = bases.count
        v.firstOffset = bases.first
        let files = SegmentFileCache(capacity: 4)
        var end: Int64?
        for (i, base) in bases.enumerated() {
            let segment = try LogSegment.open(in: directory, baseOffset: base, io: io, files: files, now: 0)
            defer { segment.closeFile() }
            let isLast = i == bases.count - 1
            // The last segment is walked to its end, past damage, as recovery does; damage with
            // nothing valid after it hides what the batch headers there claim (what the broker
            // would serve up to).
            let nextBase = isLast ? LogSegment.maxOffset : bases[i + 1]
            v.logBytes += Int64(segment.size)
            var batchEnds: [Int: Int64] = [:]
            var lastValidEnd: Int64?
            _ = try segment.walk(from: base, limit: segment.size, endOffset: nextBase, chunkSize: 1 << 20) {
                (visit) throws(BrokerError) -> Bool in
                if case .batch(let header, _, let position) = visit {
                    v.validBatches += 1
                    v.records += Int64(header.recordsCount)
                    lastValidEnd = header.lastOffset + 1
                    batchEnds[position] = header.lastOffset
                }
                return true
            }
            var claimedEnd: Int64?
            for var d in segment.knownDamage {
                if isLast && d.lastOffset >= LogSegment.maxOffset - 1 {
                    let claimed = try Self.claimedEnd(of: segment, from: d.position) ?? d.firstOffset
                    d.lastOffset = max(claimed, d.firstOffset) - 1
                    d.reason += " (to the end of the file)"
                    claimedEnd = d.lastOffset + 1
                }
                v.damage.append(d)
            }
            end = max(lastValidEnd ?? end ?? base, claimedEnd ?? base)
            let name = segment.logFileName.dropLast(LogSegment.logSuffix.count)
            // The indexes are judged against what the segment holds, damaged or not: an entry for
            // a batch that is damaged now is no fault of the index.
            let damagedHere = v.damage.filter { $0.segmentFileName == segment.logFileName }
            let held = max(lastValidEnd ?? base, damagedHere.map { $0.lastOffset + 1 }.max() ?? base)
            if let bytes = try io.readWholeFile(segment.offsetIndexPath) {
                do {
                    let index = try OffsetIndex(baseOffset: base, contents: bytes, logSize: max(segment.size, 1))
                    for entry in index.entries {
                        let offset = base + Int64(entry.relativeOffset)
                        let position = Int(entry.position)
                        if damagedHere.contains(where: { $0.position <= position && position < $0.end }) { continue }
                        if batchEnds[position] != offset {
                            v.problems.append(
                                "\(name).index: the entry for offset \(offset) points at byte \(entry.position), where no valid batch ending at that offset starts"
                            )
                            break
                        }
                    }
                } catch {
                    v.problems.append("\(name).index: \(error)")
                }
            } else {
                v.problems.append("\(name).index is missing")
            }
            if let bytes = try io.readWholeFile(segment.timeIndexPath) {
                do {
                    let index = try TimeIndex(baseOffset: base, contents: bytes)
                    if let last = index.lastEntry, lastValidEnd != nil || !damagedHere.isEmpty, last.offset >= held {
                        v.problems.append("\(name).timeindex points at offset \(last.offset), past the segment's end")
                    }
                } catch {
                    v.problems.append("\(name).timeindex: \(error)")
                }
            } else {
                v.problems.append("\(name).timeindex is missing")
            }
        }
        v.endOffset = end
        if let tp = v.topicPartition {
            let quiet = Logger(label: "skiff.verify", factory: { _ in SwiftLogNoOpLogHandler() })
            for checkpoint in [PartitionLog.logStartOffsetFileName, PartitionLog.recoveryPointFileName] {
                guard io.fileExists(directory + "/" + checkpoint) else { continue }
                if let offset = try PartitionLog.readCheckpoint(
                    checkpoint, directory: directory, topicPartition: tp, io: io, logger: quiet)
                {
                    if let end, offset > end {
                        v.problems.append("\(checkpoint) says \(offset), past the end of the log (\(end))")
                    }
                } else {
                    v.problems.append("\(checkpoint) does not parse")
                }
            }
        }
        return v
    }
}
