// A partition's directory, `<data directory>/<topic>-<partition>/`, holds:
//
//   <20-digit base offset>.log / .index / .timeindex   one triple per segment (LogSegment.swift)
//   recovery-point-offset-checkpoint                   offsets below it were fsynced with their indexes
//   log-start-offset-checkpoint                        the log start offset (moved by deleteRecords
//                                                      and retention)
//
// Both checkpoint files use the text format of Kafka's offset checkpoint files, with one entry:
//
//   0\n                                 version
//   1\n                                 number of entries
//   <topic> <partition> <offset>\n
//
// and are replaced atomically (write `<name>.tmp`, fsync, rename, fsync the directory).

import Logging
import Synchronization

/// What ``PartitionLog/append(_:)`` and ``PartitionLog/appendBatch(_:)`` stored.
public struct AppendInfo: Hashable, Sendable {
    /// Offset of the first record appended.
    public var firstOffset: Int64
    /// Offset of the last record appended.
    public var lastOffset: Int64
    /// The broker's clock when the batch was appended (ms since the epoch).
    public var logAppendTime: Int64
    /// The largest record timestamp of the batch (the append time under LogAppendTime).
    public var maxTimestamp: Int64
    /// The timestamp type the batch was stored with: the topic's `message.timestamp.type`.
    public var timestampType: TimestampType

    /// Creates an append result.
    public init(
        firstOffset: Int64, lastOffset: Int64, logAppendTime: Int64, maxTimestamp: Int64,
        timestampType: TimestampType = .createTime
    ) {
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.logAppendTime = logAppendTime
        self.maxTimestamp = maxTimestamp
        self.timestampType = timestampType
    }

    /// What Kafka's Produce response reports as `log_append_time_ms`: the append time when the
    /// topic uses LogAppendTime (every record of the batch has it as its timestamp), else -1.
    public var kafkaLogAppendTimeMs: Int64 { timestampType == .logAppendTime ? logAppendTime : -1 }

    /// Number of records appended.
    public var recordCount: Int { Int(lastOffset - firstOffset + 1) }
}

/// A partition's numbers, for listings and the UI.
public struct PartitionLogStats: Hashable, Sendable {
    /// The low watermark: the first offset that can be read.
    public var logStartOffset: Int64
    /// The high watermark: the offset the next record gets.
    public var logEndOffset: Int64
    /// Bytes of record batches on disk (the `.log` files).
    public var sizeInBytes: Int64
    /// Number of segments.
    public var segmentCount: Int
    /// Timestamp of the record at ``logStartOffset``, `nil` when the partition is empty.
    public var firstRecordTimestamp: Int64?
    /// Timestamp of the record at ``logEndOffset`` − 1, `nil` when the partition is empty.
    public var lastRecordTimestamp: Int64?
    /// Wall time of the last append, or after a restart the modification time of the newest
    /// non-empty segment file; `nil` when the partition is empty and nothing was appended.
    public var lastAppendTime: Int64?

    /// Number of records between the watermarks.
    public var recordCount: Int64 { logEndOffset - logStartOffset }
}

/// One partition: a segmented log in Kafka's on-disk format (Kafka's UnifiedLog).
///
/// Thread safety: every method may be called from any thread. Appends and other changes are
/// serialized by a lock; reads take the lock only to snapshot the segment list and the end
/// offset, then read the files outside it, so they run concurrently with appends, retention
/// and each other. A segment deleted by retention while a reader is in it stays readable for
/// that reader (its file descriptor is closed when the last reference goes away).
///
/// Durability: every acknowledged append was written to the operating system (`pwrite`
/// returned). It is `fsync`ed according to `flush.messages` and `flush.ms`, when a segment
/// rolls, and on ``flush()`` and ``close()``. After a crash, ``open(dataDirectory:topicPartition:config:clock:io:cleanShutdown:logger:)``
/// re-checks everything after the recovery point and cuts a torn or corrupt tail.
public final class PartitionLog: Sendable {
    /// Name of the recovery point checkpoint file in the partition directory.
    public static let recoveryPointFileName = "recovery-point-offset-checkpoint"
    /// Name of the log start offset checkpoint file in the partition directory.
    public static let logStartOffsetFileName = "log-start-offset-checkpoint"

    /// The partition.
    public let topicPartition: TopicPartition
    /// The partition directory, `<data directory>/<topic>-<partition>`.
    public let directory: String
    let dataDirectory: String
    let io: any StorageIO
    /// Where the segments' `.log` descriptors are kept open (shared by every partition of a broker).
    let files: SegmentFileCache
    /// Where damage found while reading is reported (the broker's notices), besides the log.
    let notices: StorageNoticeLog?
    let clock: any BrokerClock
    let logger: Logger
    private let state: Mutex<State>

    struct State {
        enum Status { case open, closed, deleted }
        var status = Status.open
        var config: LogConfig
        /// Sorted by base offset; the last one is the active segment. Never empty while open.
        var segments: [LogSegment]
        var logStartOffset: Int64
        var logEndOffset: Int64
        /// Every offset below it is fsynced, together with the indexes of the segments before the
        /// one that holds it.
        var recoveryPoint: Int64
        var checkpointedRecoveryPoint: Int64?
        var checkpointedLogStartOffset: Int64?
        var unflushedMessages: Int64 = 0
        var lastFlushTime: Int64
        var lastAppendTime: Int64?
        /// The partition directory (or its entry in the data directory) was created and not yet
        /// `fsync`ed: the first flush of data syncs the directories first, so a new partition
        /// costs no `fsync` until it holds something worth keeping.
        var directoryUnsynced = false

        func requireOpen(_ topicPartition: TopicPartition) throws(BrokerError) {
            switch status {
            case .open: return
            case .closed: throw .storage("partition \(topicPartition) is closed")
            case .deleted:
                throw .unknownTopicOrPartition(topic: topicPartition.topic, partition: topicPartition.partition)
            }
        }

        /// Index in ``segments`` of the segment that holds `offset`: the last one whose base
        /// offset is at most `offset` (the first one when there is none).
        func segmentIndex(for offset: Int64) -> Int { PartitionLog.segmentIndex(in: segments, for: offset) }
    }

    init(
        topicPartition: TopicPartition, directory: String, dataDirectory: String, io: any StorageIO,
        files: SegmentFileCache, notices: StorageNoticeLog?, clock: any BrokerClock, logger: Logger, state: State
    ) {
        self.notices = notices
        self.topicPartition = topicPartition
        self.directory = directory
        self.dataDirectory = dataDirectory
        self.io = io
        self.files = files
        self.clock = clock
        self.logger = logger
        self.state = Mutex(state)
    }

    // MARK: Watermarks and numbers

    /// The low watermark: the first offset that can be read.
    public var logStartOffset: Int64 { state.withLock { $0.logStartOffset } }

    /// The high watermark (a single node has no replicas to wait for): the offset the next record gets.
    public var logEndOffset: Int64 { state.withLock { $0.logEndOffset } }

    /// The configuration in force.
    public var config: LogConfig { state.withLock { $0.config } }

    /// Bytes of record batches on disk.
    public var sizeInBytes: Int64 { state.withLock { $0.segments.reduce(0) { $0 + Int64($1.size) } } }

    /// Number of segments.
    public var segmentCount: Int { state.withLock { $0.segments.count } }

    /// Base offsets of the segments, oldest first (the last is the active segment).
    var segmentBaseOffsets: [Int64] { state.withLock { $0.segments.map(\.baseOffset) } }

    /// Wall time of the last append (or the newest segment file's modification time after a restart).
    public var lastAppendTime: Int64? { state.withLock { $0.lastAppendTime } }

    /// The partition's numbers, including the timestamps of its first and last records.
    public func stats() throws(BrokerError) -> PartitionLogStats {
        let (snapshot, lastAppendTime) = try state.withLock { (s) throws(BrokerError) in
            try s.requireOpen(topicPartition)
            return (Snapshot(s), s.lastAppendTime)
        }
        let empty = snapshot.logEndOffset <= snapshot.logStartOffset
        return PartitionLogStats(
            logStartOffset: snapshot.logStartOffset, logEndOffset: snapshot.logEndOffset,
            sizeInBytes: snapshot.segments.reduce(0) { $0 + Int64($1.size) }, segmentCount: snapshot.segments.count,
            firstRecordTimestamp: empty ? nil : try timestamp(ofOffset: snapshot.logStartOffset, in: snapshot),
            lastRecordTimestamp: empty ? nil : try timestamp(ofOffset: snapshot.logEndOffset - 1, in: snapshot),
            lastAppendTime: lastAppendTime)
    }

    // MARK: Appending

    /// Appends `records` as one uncompressed batch, stamping the broker's clock on records
    /// without a timestamp; under `message.timestamp.type=LogAppendTime` every record's timestamp
    /// is the append time.
    /// - Throws: ``BrokerError/recordTooLarge(size:limit:)`` when the batch is larger than
    ///   `max.message.bytes`, ``BrokerError/invalidRequest(_:)`` for no records,
    ///   ``BrokerError/storage(_:)`` when the disk fails (nothing is appended then).
    @discardableResult
    public func append(_ records: [ProducerRecord]) throws(BrokerError) -> AppendInfo {
        guard !records.isEmpty else { throw .invalidRequest("an append needs at least one record") }
        let now = clock.nowMilliseconds()
        let size = RecordBatchEncoder.encodedSize(of: records, defaultTimestamp: now)
        let limit = state.withLock { $0.config.maxMessageBytes }
        guard size <= limit else { throw .recordTooLarge(size: size, limit: limit) }
        // Encoded outside the lock: the offsets go in under it (baseOffset is outside the CRC).
        var batch = [UInt8].uninitialized(count: size)
        let header = try batch.withMutableBytes { (buffer) throws(BrokerError) in
            try RecordBatchEncoder.encode(records, baseOffset: 0, defaultTimestamp: now, into: buffer)
        }
        return try append(&batch, header: header, now: now)
    }

    /// Appends a magic-2 record batch as a client sent it: checks it with
    /// ``RecordBatchDecoder/validateClientBatch(_:)-([UInt8])`` (length, magic, CRC, record count,
    /// and its records, decompressed when compressed), assigns its offsets and stores it as
    /// received, compression included, except that the batch takes the topic's
    /// `message.timestamp.type` (with LogAppendTime its max timestamp becomes the append time, and
    /// its CRC is recomputed): Kafka's LogValidator. ``AppendInfo/kafkaLogAppendTimeMs`` is what
    /// the Produce response reports. The base offset and leader epoch, outside the CRC, are
    /// rewritten too.
    /// - Throws: ``BrokerError/corruptRecord(_:)``, ``BrokerError/invalidRecord(_:)`` and
    ///   ``BrokerError/uncompressedBatchTooLarge(codec:limit:)`` for an invalid batch,
    ///   ``BrokerError/recordTooLarge(size:limit:)``, ``BrokerError/storage(_:)``.
    @discardableResult
    public func appendBatch(_ bytes: [UInt8]) throws(BrokerError) -> AppendInfo {
        let (header, recordsMax) = try bytes.withBytes { (raw) throws(BrokerError) in
            try RecordBatchDecoder.checkClientBatch(raw)
        }
        var batch = bytes
        return try append(&batch, header: header, now: clock.nowMilliseconds(), recordsMaxTimestamp: recordsMax)
    }

    /// Assigns offsets to a checked batch and writes it, rolling and flushing as configured.
    private func append(
        _ batch: inout [UInt8], header: RecordBatchHeader, now: Int64, recordsMaxTimestamp: Int64? = nil
    ) throws(BrokerError)
        -> AppendInfo
    {
        try state.withLock { (s) throws(BrokerError) -> AppendInfo in
            try s.requireOpen(topicPartition)
            guard batch.count <= s.config.maxMessageBytes else {
                throw .recordTooLarge(size: batch.count, limit: s.config.maxMessageBytes)
            }
            var header = header
            header.baseOffset = s.logEndOffset
            header.partitionLeaderEpoch = 0
            let timestampType = s.config.messageTimestampType
            batch.withUnsafeMutableBytes { raw in
                // The timestamp type first: it recomputes the CRC, which baseOffset and the epoch are outside of.
                header = header.setTimestampType(
                    timestampType, maxTimestamp: now, recordsMaxTimestamp: recordsMaxTimestamp, in: raw)
                raw.writeBigEndian(header.baseOffset, at: 0)
                raw.writeBigEndian(header.partitionLeaderEpoch, at: 12)
            }
            try rollIfNeeded(&s, batchSize: batch.count, header: header, now: now)
            let active = s.segments[s.segments.count - 1]
            let count = Int64(header.recordsCount)
            let sync =
                count >= s.config.flushMessages - s.unflushedMessages || now &- s.lastFlushTime >= s.config.flushMs
            let interval = s.config.indexIntervalBytes
            if sync { try syncDirectoriesIfNeeded(&s) }
            try batch.withBytes { (raw) throws(BrokerError) in
                try active.append(raw, header: header, indexIntervalBytes: interval, sync: sync)
            }
            s.logEndOffset = header.lastOffset + 1
            s.lastAppendTime = now
            if sync {
                // Older segments were fsynced when they rolled.
                s.recoveryPoint = s.logEndOffset
                s.unflushedMessages = 0
                s.lastFlushTime = now
            } else {
                s.unflushedMessages += count
            }
            return AppendInfo(
                firstOffset: header.baseOffset, lastOffset: header.lastOffset, logAppendTime: now,
                maxTimestamp: header.maxTimestamp, timestampType: timestampType)
        }
    }

    /// Rolls to a new segment when the batch would push the active one past `segment.bytes`,
    /// when the active one is older than `segment.ms`, when its index is full, or when the
    /// batch's last offset no longer fits a relative offset. An empty segment never rolls.
    private func rollIfNeeded(
        _ s: inout State, batchSize: Int, header: RecordBatchHeader, now: Int64
    )
        throws(BrokerError)
    {
        let active = s.segments[s.segments.count - 1]
        let status = active.rollStatus
        guard status.size > 0 else { return }
        var reason: String?
        if status.size > s.config.segmentBytes - batchSize {
            reason = "segment.bytes"
        } else if let first = status.firstBatchTimestamp, first >= 0 {
            // Kafka measures segment.ms in record time: from the first batch's timestamp to the
            // incoming batch's largest timestamp (records without one carry the broker's clock).
            if header.maxTimestamp &- first > s.config.segmentMs { reason = "segment.ms" }
        } else if now &- status.createdTime > s.config.segmentMs {
            reason = "segment.ms"
        }
        if reason == nil {
            if status.offsetIndexEntries >= s.config.segmentIndexBytes / OffsetIndex.entrySize
                || status.timeIndexEntries >= s.config.segmentIndexBytes / TimeIndex.entrySize
            {
                reason = "full index"
            } else if header.lastOffset - active.baseOffset > Int64(Int32.max) {
                reason = "relative offset overflow"
            }
        }
        if let reason { try roll(&s, now: now, reason: reason) }
    }

    /// Finishes the active segment (final time index entry, indexes written, everything
    /// fsynced) and starts a new empty one at the log end offset.
    private func roll(_ s: inout State, now: Int64, reason: String) throws(BrokerError) {
        let old = s.segments[s.segments.count - 1]
        old.finalizeTimeIndex()
        try old.flush(includingIndexes: true)
        let new = try LogSegment.create(in: directory, baseOffset: s.logEndOffset, io: io, files: files, now: now)
        do {
            try syncDirectoriesIfNeeded(&s)
            try io.syncDirectory(directory)
        } catch {
            try? new.deleteFiles()
            throw error
        }
        s.segments.append(new)
        s.recoveryPoint = s.logEndOffset
        s.unflushedMessages = 0
        s.lastFlushTime = now
        writeRecoveryPointCheckpoint(&s)
        logger.debug(
            "rolled to a new segment",
            metadata: ["segment.base_offset": "\(new.baseOffset)", "roll.reason": "\(reason)"])
    }

    // MARK: Flushing

    /// `fsync`s everything appended so far (log and index files) and records the recovery point.
    public func flush() throws(BrokerError) {
        try state.withLock { (s) throws(BrokerError) in
            try s.requireOpen(topicPartition)
            try flush(&s)
        }
    }

    /// Flushes when `flush.ms` has passed since the last flush and something is unflushed; a
    /// broker timer calls this. Returns whether it flushed.
    @discardableResult
    public func flushIfDue() throws(BrokerError) -> Bool {
        let now = clock.nowMilliseconds()
        return try state.withLock { (s) throws(BrokerError) -> Bool in
            guard s.status == .open, s.unflushedMessages > 0, now &- s.lastFlushTime >= s.config.flushMs else {
                return false
            }
            try flush(&s)
            return true
        }
    }

    /// Makes the partition directory's own entry and its files' entries durable, once.
    private func syncDirectoriesIfNeeded(_ s: inout State) throws(BrokerError) {
        guard s.directoryUnsynced else { return }
        try io.syncDirectory(directory)
        try io.syncDirectory(dataDirectory)
        s.directoryUnsynced = false
    }

    private func flush(_ s: inout State) throws(BrokerError) {
        if s.segments.contains(where: \.hasUnsyncedWrites) { try syncDirectoriesIfNeeded(&s) }
        let first = s.segmentIndex(for: s.recoveryPoint)
        for index in first..<s.segments.count {
            // The active segment's index is rebuilt by recovery anyway; the others must be on disk.
            try s.segments[index].flush(includingIndexes: index < s.segments.count - 1)
        }
        s.recoveryPoint = s.logEndOffset
        s.unflushedMessages = 0
        s.lastFlushTime = clock.nowMilliseconds()
        // Recovery starts at the segment holding the checkpoint, so only a move to another segment
        // is worth a write.
        if let written = s.checkpointedRecoveryPoint,
            s.segmentIndex(for: written) == s.segmentIndex(for: s.recoveryPoint)
        {
            return
        }
        writeRecoveryPointCheckpoint(&s)
    }

    /// Writes the recovery point checkpoint; a failure is logged, not thrown (the older
    /// checkpoint only makes the next recovery check more).
    private func writeRecoveryPointCheckpoint(_ s: inout State) {
        do {
            try writeCheckpoint(Self.recoveryPointFileName, s.recoveryPoint)
            s.checkpointedRecoveryPoint = s.recoveryPoint
        } catch {
            logger.warning("could not write the recovery point checkpoint: \(error)")
        }
    }

    private func persistLogStartOffset(_ s: inout State) throws(BrokerError) {
        guard s.checkpointedLogStartOffset != s.logStartOffset else { return }
        if s.checkpointedLogStartOffset == nil && s.logStartOffset == s.segments.first?.baseOffset { return }
        try writeCheckpoint(Self.logStartOffsetFileName, s.logStartOffset)
        s.checkpointedLogStartOffset = s.logStartOffset
    }

    private func writeCheckpoint(_ name: String, _ offset: Int64) throws(BrokerError) {
        try Self.writeCheckpoint(name, offset, directory: directory, topicPartition: topicPartition, io: io)
    }

    // MARK: Reading

    /// The segments, start and end offset at one instant; reads work on this outside the lock.
    struct Snapshot {
        var segments: [LogSegment]
        var logStartOffset: Int64
        var logEndOffset: Int64

        init(_ state: State) {
            segments = state.segments
            logStartOffset = state.logStartOffset
            logEndOffset = state.logEndOffset
        }
    }

    private func snapshot() throws(BrokerError) -> Snapshot {
        try state.withLock { (s) throws(BrokerError) in
            try s.requireOpen(topicPartition)
            return Snapshot(s)
        }
    }

    private func outOfRange(_ offset: Int64, _ snapshot: Snapshot) -> BrokerError {
        .offsetOutOfRange(
            topicPartition: topicPartition, offset: offset, logStartOffset: snapshot.logStartOffset,
            logEndOffset: snapshot.logEndOffset)
    }

    /// Reads up to `maxRecords` records starting at `offset`; records of compressed batches are
    /// decompressed (the stored batch is not changed).
    ///
    /// `maxBytes` bounds the records' encoded (uncompressed) size, but the first record is returned
    /// whatever its size (as Kafka does, so a large record cannot block a consumer); `maxBytes` 0
    /// returns just that record. Reading at the log end offset returns no records. Every batch read
    /// has passed its CRC: records before damage are returned, and a read that starts in damaged
    /// offsets fails. So does a read that starts in a batch whose records cannot be read (stored
    /// compressed by an older Skiff that did not look into them); one before it returns the records
    /// up to it.
    /// - Throws: ``BrokerError/offsetOutOfRange(topicPartition:offset:logStartOffset:logEndOffset:)``
    ///   when `offset` is outside `[logStartOffset, logEndOffset]`;
    ///   ``BrokerError/corruptBatch(_:)`` when the first batch to read is damaged;
    ///   ``BrokerError/corruptRecord(_:)`` or ``BrokerError/uncompressedBatchTooLarge(codec:limit:)``
    ///   when its records cannot be read.
    public func read(from offset: Int64, maxRecords: Int, maxBytes: Int) throws(BrokerError) -> [Record] {
        let snapshot = try snapshot()
        guard offset >= snapshot.logStartOffset, offset <= snapshot.logEndOffset else {
            throw outOfRange(offset, snapshot)
        }
        guard offset < snapshot.logEndOffset, maxRecords > 0 else { return [] }
        var records: [Record] = []
        records.reserveCapacity(Int(min(Int64(maxRecords), snapshot.logEndOffset - offset, 4096)))
        var budget = maxBytes
        try forEachBatch(from: offset, in: snapshot, chunkSize: Self.chunkSize(for: maxBytes)) {
            (visit) throws(BrokerError) -> Bool in
            switch visit {
            case .batch(let header, let bytes, _):
                let before = records.count
                do throws(BrokerError) {
                    let stopped = try RecordBatchDecoder.decodeRecords(
                        in: bytes, header: header, from: offset, maxRecords: maxRecords, byteBudget: &budget,
                        into: &records)
                    return !stopped
                } catch {
                    // Return what was read before a batch whose records cannot be read; the next read throws.
                    guard before > 0 else { throw error }
                    records.removeSubrange(before...)
                    return false
                }
            case .damaged(let damage, _):
                if records.isEmpty { throw .corruptBatch(CorruptBatch(topicPartition: topicPartition, damage: damage)) }
                return false
            }
        }
        return records
    }

    /// The stored batches, byte for byte, starting with the batch that holds `offset` (which may
    /// begin before it: Kafka consumers skip the earlier records), whole batches only, up to
    /// `maxBytes` but always at least one batch. For a Kafka protocol listener's Fetch. Every
    /// batch returned has passed its CRC; the batches before damage are returned, and a read
    /// that starts in damaged offsets fails.
    /// - Throws: ``BrokerError/offsetOutOfRange(topicPartition:offset:logStartOffset:logEndOffset:)``,
    ///   ``BrokerError/corruptBatch(_:)``.
    public func readBatches(from offset: Int64, maxBytes: Int) throws(BrokerError) -> [UInt8] {
        let snapshot = try snapshot()
        guard offset >= snapshot.logStartOffset, offset <= snapshot.logEndOffset else {
            throw outOfRange(offset, snapshot)
        }
        var output: [UInt8] = []
        guard offset < snapshot.logEndOffset else { return output }
        try forEachBatch(from: offset, in: snapshot, chunkSize: Self.chunkSize(for: maxBytes)) {
            (visit) throws(BrokerError) -> Bool in
            switch visit {
            case .batch(_, let bytes, _):
                if !output.isEmpty && bytes.count > maxBytes - output.count { return false }
                output.append(contentsOf: bytes)
                return output.count < maxBytes
            case .damaged(let damage, _):
                if output.isEmpty { throw .corruptBatch(CorruptBatch(topicPartition: topicPartition, damage: damage)) }
                return false
            }
        }
        return output
    }

    /// The first offset whose record timestamp is at least `timestamp`, or `nil` when no record
    /// is that recent (Kafka's ListOffsets by timestamp). Damaged batches are stepped over.
    public func offset(forTimestamp timestamp: Int64) throws(BrokerError) -> Int64? {
        let snapshot = try snapshot()
        guard snapshot.logEndOffset > snapshot.logStartOffset else { return nil }
        let first = Self.segmentIndex(in: snapshot.segments, for: snapshot.logStartOffset)
        for index in first..<snapshot.segments.count where snapshot.segments[index].maxTimestamp >= timestamp {
            let segment = snapshot.segments[index]
            if let found = try segment.findOffset(
                forTimestamp: timestamp, startingOffset: snapshot.logStartOffset,
                endOffset: Self.endOffset(ofSegment: index, in: snapshot), reportNew: reportDamage)
            {
                return found
            }
        }
        return nil
    }

    /// Resolves an ``OffsetSpec`` to an offset in `[logStartOffset, logEndOffset]`: explicit
    /// offsets are clamped, and a timestamp later than every record gives the log end offset.
    public func offset(for spec: OffsetSpec) throws(BrokerError) -> Int64 {
        switch spec {
        case .earliest:
            return try snapshot().logStartOffset
        case .latest:
            return try snapshot().logEndOffset
        case .offset(let offset):
            let snapshot = try snapshot()
            return min(max(offset, snapshot.logStartOffset), snapshot.logEndOffset)
        case .timestamp(let timestamp):
            let end = try snapshot().logEndOffset
            return try offset(forTimestamp: timestamp) ?? end
        }
    }

    /// The timestamp of the record at `offset`, or `nil` when the offset is not in the log or its
    /// batch is damaged. For a compressed batch it is the batch's largest timestamp.
    public func timestamp(ofOffset offset: Int64) throws(BrokerError) -> Int64? {
        try timestamp(ofOffset: offset, in: snapshot())
    }

    private func timestamp(ofOffset offset: Int64, in snapshot: Snapshot) throws(BrokerError) -> Int64? {
        guard offset >= snapshot.logStartOffset, offset < snapshot.logEndOffset else { return nil }
        var result: Int64?
        try forEachBatch(from: offset, in: snapshot, chunkSize: 16 * 1024) { (visit) throws(BrokerError) in
            if case .batch(let header, let bytes, _) = visit, header.baseOffset <= offset {
                result = try RecordBatchDecoder.timestamp(ofOffset: offset, in: bytes, header: header)
            }
            return false
        }
        return result
    }

    /// Logs damage found for the first time (and adds it to the broker's notices).
    func reportDamage(_ damage: DamagedRange) {
        let message = CorruptBatch(topicPartition: topicPartition, damage: damage).description
        if let notices {
            notices.add(.damagedData, path: "\(topicPartition)/\(damage.segmentFileName)", message)
        } else {
            logger.warning("\(message)")
        }
    }

    /// Every damaged stretch found so far (by recovery or by readers), oldest segment first.
    public var knownDamage: [CorruptBatch] {
        let segments = state.withLock { $0.segments }
        return segments.flatMap(\.knownDamage).map { CorruptBatch(topicPartition: topicPartition, damage: $0) }
    }

    private static func chunkSize(for maxBytes: Int) -> Int {
        min(max(maxBytes, 16 * 1024), 1 << 20)
    }

    /// Index of the last segment whose base offset is at most `offset` (0 when there is none).
    static func segmentIndex(in segments: [LogSegment], for offset: Int64) -> Int {
        var low = 0
        var high = segments.count - 1
        guard high > 0 else { return 0 }
        while low < high {
            let middle = (low + high + 1) / 2
            if segments[middle].baseOffset <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// One past the last offset segment `index` of the snapshot can hold: the next segment's base
    /// offset, or the snapshot's log end offset for the last one.
    private static func endOffset(ofSegment index: Int, in snapshot: Snapshot) -> Int64 {
        index + 1 < snapshot.segments.count ? snapshot.segments[index + 1].baseOffset : snapshot.logEndOffset
    }

    /// Calls `body` with each checked batch (and each damaged stretch) below the snapshot's end
    /// offset, in offset order, starting with the batch that holds `offset` (or the first one
    /// after it), until `body` returns `false`. Damage found for the first time is logged.
    private func forEachBatch(
        from offset: Int64, in snapshot: Snapshot, chunkSize: Int,
        _ body: (LogSegment.Visit) throws(BrokerError) -> Bool
    ) throws(BrokerError) {
        var index = Self.segmentIndex(in: snapshot.segments, for: offset)
        var target = offset
        while index < snapshot.segments.count && target < snapshot.logEndOffset {
            let segment = snapshot.segments[index]
            let end = Self.endOffset(ofSegment: index, in: snapshot)
            index += 1
            let completed = try segment.walk(
                from: target, limit: segment.size, endOffset: end, chunkSize: chunkSize, reportNew: reportDamage
            ) { (visit) throws(BrokerError) -> Bool in
                switch visit {
                case .batch(let header, _, _):
                    target = header.lastOffset + 1
                case .damaged(let damage, _):
                    target = damage.lastOffset + 1
                }
                return try body(visit)
            }
            if !completed { return }
            target = max(target, end)
        }
    }

    // MARK: Retention

    /// Deletes whole segments that retention no longer keeps, oldest first, and moves the log
    /// start offset to the first remaining segment: segments entirely below the log start
    /// offset; segments whose largest timestamp is older than `retention.ms`; the oldest
    /// segments while the partition would still be at least `retention.bytes` without them.
    /// When the active segment itself expires, an empty segment is rolled first (as Kafka does)
    /// so it can go too. Returns the number of segments deleted.
    @discardableResult
    public func applyRetention() throws(BrokerError) -> Int {
        let now = clock.nowMilliseconds()
        return try state.withLock { (s) throws(BrokerError) -> Int in
            try s.requireOpen(topicPartition)
            let start = s.logStartOffset
            var deleted = try deleteOldestSegments(&s, now: now, reason: "below the log start offset") {
                (segment) throws(BrokerError) in segment.nextOffset <= start
            }
            let retentionMs = s.config.retentionMs
            if retentionMs >= 0 {
                deleted += try deleteOldestSegments(&s, now: now, reason: "retention.ms") {
                    (segment) throws(BrokerError) in
                    now &- (try segment.largestTimestampForRetention()) > retentionMs
                }
            }
            let retentionBytes = s.config.retentionBytes
            if retentionBytes >= 0 {
                var excess = s.segments.reduce(0) { $0 + Int64($1.size) } - retentionBytes
                deleted += try deleteOldestSegments(&s, now: now, reason: "retention.bytes") {
                    (segment) throws(BrokerError) in
                    let size = Int64(segment.size)
                    guard excess - size >= 0 else { return false }
                    excess -= size
                    return true
                }
            }
            return deleted
        }
    }

    /// Moves the log start offset (low watermark) up to `offset` (Kafka's DeleteRecords; -1 means
    /// the high watermark), deleting the segments entirely below it, and persists it. An offset
    /// at or below the current log start offset changes nothing. Returns the new log start offset.
    /// - Throws: ``BrokerError/offsetOutOfRange(topicPartition:offset:logStartOffset:logEndOffset:)``
    ///   for an offset past the log end offset.
    @discardableResult
    public func deleteRecords(before offset: Int64) throws(BrokerError) -> Int64 {
        let now = clock.nowMilliseconds()
        return try state.withLock { (s) throws(BrokerError) -> Int64 in
            try s.requireOpen(topicPartition)
            let target = offset == -1 ? s.logEndOffset : offset
            guard target >= 0, target <= s.logEndOffset else {
                throw .offsetOutOfRange(
                    topicPartition: topicPartition, offset: offset, logStartOffset: s.logStartOffset,
                    logEndOffset: s.logEndOffset)
            }
            guard target > s.logStartOffset else { return s.logStartOffset }
            let previous = s.logStartOffset
            s.logStartOffset = target
            do throws(BrokerError) {
                try persistLogStartOffset(&s)
            } catch {
                s.logStartOffset = previous
                throw error
            }
            _ = try deleteOldestSegments(&s, now: now, reason: "deleteRecords") { (segment) throws(BrokerError) in
                segment.nextOffset <= target
            }
            logger.info("deleted records before offset \(target)")
            return s.logStartOffset
        }
    }

    /// Deletes the longest prefix of segments that `predicate` accepts (never an empty active
    /// segment; a non-empty active one only after rolling a new one), persisting the new log
    /// start offset before any file goes.
    private func deleteOldestSegments(
        _ s: inout State, now: Int64, reason: String, _ predicate: (LogSegment) throws(BrokerError) -> Bool
    ) throws(BrokerError) -> Int {
        var count = 0
        for (index, segment) in s.segments.enumerated() {
            if index == s.segments.count - 1 && segment.size == 0 { break }
            guard try predicate(segment) else { break }
            count += 1
        }
        guard count > 0 else { return 0 }
        if count == s.segments.count { try roll(&s, now: now, reason: reason) }
        let previousStart = s.logStartOffset
        s.logStartOffset = max(s.logStartOffset, s.segments[count].baseOffset)
        do {
            try persistLogStartOffset(&s)
        } catch {
            s.logStartOffset = previousStart
            throw error
        }
        let doomed = s.segments[..<count]
        s.segments.removeFirst(count)
        for segment in doomed {
            do {
                try segment.deleteFiles()
            } catch {
                // The segment is below the log start offset: the next open deletes what is left.
                logger.error("could not delete segment \(segment.baseOffset): \(error)")
            }
        }
        logger.info(
            "deleted \(count) segment(s) (\(reason)); log start offset is now \(s.logStartOffset)",
            metadata: ["retention.reason": "\(reason)"])
        return count
    }

    // MARK: Configuration and lifecycle

    /// Replaces the configuration; it applies from the next append or retention run.
    public func updateConfig(_ config: LogConfig) {
        state.withLock { $0.config = config }
    }

    /// Flushes everything, writes the indexes and both checkpoints, and closes the partition;
    /// later calls fail. Readers still holding segments finish their reads. (The broker writes
    /// the data directory's clean-shutdown marker once every partition is closed.)
    public func close() throws(BrokerError) {
        try state.withLock { (s) throws(BrokerError) in
            guard s.status == .open else { return }
            s.segments[s.segments.count - 1].finalizeTimeIndex()
            if s.segments.contains(where: \.hasUnsyncedWrites) { try syncDirectoriesIfNeeded(&s) }
            for segment in s.segments { try segment.flush(includingIndexes: true) }
            s.recoveryPoint = s.logEndOffset
            s.unflushedMessages = 0
            // A partition that never held a record has nothing to checkpoint: an absent file means
            // "from the first segment", which is where it is.
            let untouched = s.checkpointedRecoveryPoint == nil && s.recoveryPoint == s.segments[0].baseOffset
            if s.checkpointedRecoveryPoint != s.recoveryPoint && !untouched {
                try writeCheckpoint(Self.recoveryPointFileName, s.recoveryPoint)
                s.checkpointedRecoveryPoint = s.recoveryPoint
            }
            try persistLogStartOffset(&s)
            for segment in s.segments { segment.closeFile() }
            s.status = .closed
            s.segments = []
        }
    }

    /// Deletes the partition directory and everything in it (the topic is being deleted); later
    /// calls fail with ``BrokerError/unknownTopicOrPartition(topic:partition:)``.
    public func deleteFiles() throws(BrokerError) {
        try state.withLock { (s) throws(BrokerError) in
            s.status = .deleted
            for segment in s.segments { segment.closeFile() }
            s.segments = []
            try io.removeDirectoryTree(directory)
            try io.syncDirectory(dataDirectory)
        }
    }
}
