// One segment of a partition log: three files named after the segment's base offset (the first
// offset it may hold), zero-padded to 20 digits so that `ls` sorts them:
//
//   00000000000000368769.log        the record batches, back to back, exactly as in
//                                   RecordBatch.swift (no file header, no padding)
//   00000000000000368769.index      offset → position index, see OffsetIndex.swift
//   00000000000000368769.timeindex  timestamp → offset index, see TimeIndex.swift
//
// Within a segment, batches are contiguous: each batch's baseOffset is the previous batch's last
// offset + 1, and every offset − baseOffset fits in an Int32 (like Kafka, which reads relative
// offsets as signed). Only the active (last) segment of a partition is appended to.
//
// Damage. Every batch is checked before it is served: its header parses, its length fits, its
// offsets continue the previous batch (the base offset and length are outside the CRC) and its
// CRC-32C matches. A stretch of the file that fails is never served; readers find the next valid
// batch after it (trying the length the damaged header claims, then every byte position up to the
// next index entry) and the offsets in between are reported as damaged (`CORRUPT_MESSAGE`). The
// bytes stay where they are. Only recovery after a crash may cut the end of the active segment
// (a torn write): the bytes it cuts are first copied beside the log as
//
//   00000000000000368769.log.cut-at-<byte position>     the cut bytes, exactly as they were
//
// so that nothing that was once written is thrown away; Skiff never reads these files again.

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One segment: a `.log` file plus its in-memory indexes.
///
/// All mutation happens under the owning ``PartitionLog``'s lock; the segment's own lock only
/// makes its mutable state visible to readers, which run outside the partition lock and never
/// read past ``size``. The `.log` file is opened through the partition's ``SegmentFileCache`` for
/// each piece of work, so an idle segment holds no descriptor.
final class LogSegment: Sendable {
    static let logSuffix = ".log"
    static let offsetIndexSuffix = ".index"
    static let timeIndexSuffix = ".timeindex"
    /// Infix of the files that keep bytes cut from a log (see the file comment).
    static let cutInfix = ".log.cut-at-"

    /// The first offset the segment may hold; also its name.
    let baseOffset: Int64
    /// The partition directory.
    let directory: String
    /// The file system.
    let io: any StorageIO
    /// Where the `.log` file's descriptor lives while it is open.
    let files: SegmentFileCache
    /// The segment's key in ``files``.
    let fileId = SegmentFileCache.makeId()
    /// Set once the files are deleted: the descriptor readers still in the segment read from.
    private let pinned = Mutex<StorageFile?>(nil)
    private let state: Mutex<State>

    /// What a segment knows about itself, beyond its files' names.
    struct State {
        /// Bytes of complete batches in the `.log` file; readers never read past it.
        var size: Int
        /// One past the last offset in the segment (the base offset when empty).
        var nextOffset: Int64
        var offsetIndex: OffsetIndex
        var timeIndex: TimeIndex
        /// Log bytes appended since the last index entry.
        var bytesSinceLastIndexEntry = 0
        /// The largest batch timestamp, -1 when none (Kafka's "no timestamp").
        var maxTimestamp: Int64 = -1
        /// The last offset of the batch holding ``maxTimestamp``.
        var offsetOfMaxTimestamp: Int64
        /// The first batch's maxTimestamp, which `segment.ms` rolling measures from.
        var firstBatchTimestamp: Int64?
        /// When this segment object was created (clock time), for rolling segments without timestamps.
        var createdTime: Int64
        /// Bytes were written to the `.log` file since the last `fsync`.
        var logUnsynced = false
        /// A failed append may have left bytes past ``size`` in the file; cut them before the next write.
        var mayHaveTailGarbage = false
        /// The index files do not hold a prefix of the in-memory entries; rewrite them whole.
        var indexFilesStale = false
        /// Damage found by recovery or by readers, sorted by position.
        var damage: [DamagedRange] = []

        init(baseOffset: Int64, size: Int, createdTime: Int64) {
            self.size = size
            nextOffset = baseOffset
            offsetIndex = OffsetIndex(baseOffset: baseOffset)
            timeIndex = TimeIndex(baseOffset: baseOffset)
            offsetOfMaxTimestamp = baseOffset
            self.createdTime = createdTime
        }

        /// Accounts for a batch written at `position`, adding index entries like Kafka's
        /// LogSegment.append: an entry for this batch when more than `indexIntervalBytes` were
        /// written since the previous entry.
        mutating func record(_ header: RecordBatchHeader, at position: Int, indexIntervalBytes: Int) {
            if firstBatchTimestamp == nil { firstBatchTimestamp = header.maxTimestamp }
            if header.maxTimestamp > maxTimestamp {
                maxTimestamp = header.maxTimestamp
                offsetOfMaxTimestamp = header.lastOffset
            }
            if bytesSinceLastIndexEntry > indexIntervalBytes {
                offsetIndex.append(offset: header.lastOffset, position: position)
                timeIndex.maybeAppend(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp)
                bytesSinceLastIndexEntry = 0
            }
            bytesSinceLastIndexEntry += header.totalSize
            size = position + header.totalSize
            nextOffset = header.lastOffset + 1
        }
    }

    private init(directory: String, baseOffset: Int64, io: any StorageIO, files: SegmentFileCache, state: State) {
        self.directory = directory
        self.baseOffset = baseOffset
        self.io = io
        self.files = files
        self.state = Mutex(state)
    }

    // MARK: Names

    /// `<baseOffset zero-padded to 20 digits><suffix>`.
    static func fileName(baseOffset: Int64, suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The largest offset Skiff accepts from disk (file names, checkpoints), far below `Int64.max`
    /// so that offset arithmetic can never overflow.
    static let maxOffset: Int64 = 1 << 62

    /// The base offset in a segment file name with `suffix`, or `nil` when the name is not one.
    static func baseOffset(fileName: String, suffix: String) -> Int64? {
        let bytes = fileName.utf8
        // 20 digits, the first a 0: anything larger is past maxOffset (and would overflow).
        guard bytes.count == 20 + suffix.utf8.count, bytes.first == 0x30, fileName.hasSuffix(suffix) else {
            return nil
        }
        var offset: Int64 = 0
        for byte in bytes.prefix(20) {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            offset = offset * 10 + Int64(byte - 0x30)
        }
        guard offset <= maxOffset else { return nil }
        return offset
    }

    /// Whether a batch's offsets may sit in this segment: its last offset fits a relative offset
    /// (an Int32, as Kafka reads it) and, when `expected` is given, it starts exactly there.
    /// Written without `lastOffset` so that corrupt values cannot overflow.
    func offsetsFit(_ header: RecordBatchHeader, expected: Int64?) -> Bool {
        guard header.lastOffsetDelta >= 0, header.baseOffset >= baseOffset else { return false }
        if let expected, header.baseOffset != expected { return false }
        return header.baseOffset - baseOffset <= Int64(Int32.max) - Int64(header.lastOffsetDelta)
    }

    var logFileName: String { Self.fileName(baseOffset: baseOffset, suffix: Self.logSuffix) }
    var logPath: String { directory + "/" + logFileName }
    var offsetIndexPath: String {
        directory + "/" + Self.fileName(baseOffset: baseOffset, suffix: Self.offsetIndexSuffix)
    }
    var timeIndexPath: String { directory + "/" + Self.fileName(baseOffset: baseOffset, suffix: Self.timeIndexSuffix) }
    /// `<topic>-<partition>/<base>.log`, for messages.
    var displayName: String { StorageFile.displayName(of: logPath) }

    /// The open `.log` file: the pinned descriptor of a deleted segment, else the cache's.
    func openLog() throws(BrokerError) -> StorageFile {
        if let file = pinned.withLock({ $0 }) { return file }
        return try files.file(id: fileId, path: logPath, io: io)
    }

    // MARK: Creating and opening

    /// Creates a new, empty segment: empty `.log`, `.index` and `.timeindex` files.
    static func create(
        in directory: String, baseOffset: Int64, io: any StorageIO, files: SegmentFileCache, now: Int64
    ) throws(BrokerError)
        -> LogSegment
    {
        let paths = [
            Self.logSuffix, Self.offsetIndexSuffix, Self.timeIndexSuffix,
        ].map { directory + "/" + fileName(baseOffset: baseOffset, suffix: $0) }
        do {
            for path in paths { _ = try io.openFile(path, mode: .truncate) }
            return LogSegment(
                directory: directory, baseOffset: baseOffset, io: io, files: files,
                state: State(baseOffset: baseOffset, size: 0, createdTime: now))
        } catch {
            for path in paths { try? io.removeFile(path) }
            throw error
        }
    }

    /// An existing segment, known by the size of its `.log` file (which stays closed until it is
    /// read). Its indexes are not loaded yet: call ``loadIndexes()`` or
    /// ``recover(indexIntervalBytes:isActive:endOffset:)``.
    static func open(
        in directory: String, baseOffset: Int64, io: any StorageIO, files: SegmentFileCache, now: Int64
    ) throws(BrokerError)
        -> LogSegment
    {
        let path = directory + "/" + fileName(baseOffset: baseOffset, suffix: Self.logSuffix)
        guard let status = try io.status(ofPath: path) else {
            throw PosixStorageIO.error("open", path, ENOENT)
        }
        guard status.size <= Int64(Int32.max) else {
            throw .storage(
                "open \(StorageFile.displayName(of: path)): \(status.size) bytes is larger than a segment can be")
        }
        var state = State(baseOffset: baseOffset, size: Int(status.size), createdTime: now)
        state.indexFilesStale = true
        return LogSegment(directory: directory, baseOffset: baseOffset, io: io, files: files, state: state)
    }

    /// Loads and checks the index files of a segment that needs no recovery, and reads the batch
    /// headers after the last index entry to learn the segment's next offset.
    ///
    /// Returns `nil` when all is well, or what is wrong (a missing or inconsistent index, a tail
    /// that does not parse): the caller then rebuilds with ``recover(indexIntervalBytes:isActive:endOffset:)``.
    ///
    /// `present`, when given, holds the names in the partition directory (so an empty segment's
    /// index files need no `stat`).
    func loadIndexes(present: Set<String>? = nil) throws(BrokerError) -> String? {
        let size = self.size
        if size == 0 {
            // An empty log needs no index: only check that the files are there. Bytes left in them
            // are harmless: the first entry is written at their start and the file cut after it.
            let names = [Self.offsetIndexSuffix, Self.timeIndexSuffix].map {
                Self.fileName(baseOffset: baseOffset, suffix: $0)
            }
            for (name, what) in zip(names, ["offset", "time"]) {
                let exists: Bool
                if let present {
                    exists = present.contains(name)
                } else {
                    exists = try io.status(ofPath: directory + "/" + name) != nil
                }
                if !exists { return "the \(what) index is missing" }
            }
            state.withLock { $0.indexFilesStale = false }
            return nil
        }
        guard let offsetBytes = try io.readWholeFile(offsetIndexPath) else { return "the offset index is missing" }
        guard let timeBytes = try io.readWholeFile(timeIndexPath) else { return "the time index is missing" }
        let offsetIndex: OffsetIndex
        let timeIndex: TimeIndex
        do {
            offsetIndex = try OffsetIndex(baseOffset: baseOffset, contents: offsetBytes, logSize: size)
            timeIndex = try TimeIndex(baseOffset: baseOffset, contents: timeBytes)
        } catch {
            return "the index is corrupt: \(error)"
        }
        var loaded = State(baseOffset: baseOffset, size: size, createdTime: state.withLock { $0.createdTime })
        loaded.offsetIndex = offsetIndex
        loaded.timeIndex = timeIndex
        if let last = timeIndex.lastEntry {
            loaded.maxTimestamp = last.timestamp
            loaded.offsetOfMaxTimestamp = last.offset
        }
        var reader = try SegmentReader(segment: self, limit: size, chunkSize: 64 * 1024)
        do {
            let first = try reader.header(at: 0)
            guard offsetsFit(first, expected: baseOffset) else {
                return "the first batch starts at offset \(first.baseOffset), not at the segment's base offset"
            }
            loaded.firstBatchTimestamp = first.maxTimestamp
            let lastEntry = offsetIndex.lastEntry
            var position = lastEntry?.position ?? 0
            var expected: Int64? = nil
            while position < size {
                let header = try reader.header(at: position)
                if let expected, header.baseOffset != expected {
                    return "the batch at byte \(position) starts at offset \(header.baseOffset), expected \(expected)"
                }
                if let lastEntry, position == lastEntry.position, header.lastOffset != lastEntry.offset {
                    return
                        "the last index entry says offset \(lastEntry.offset), its batch ends at \(header.lastOffset)"
                }
                guard header.lastOffsetDelta >= 0, header.baseOffset >= baseOffset,
                    header.lastOffset - baseOffset <= Int64(Int32.max)
                else { return "the batch at byte \(position) has offsets outside the segment" }
                guard header.totalSize <= size - position else {
                    return "the batch at byte \(position) runs past the end of the file"
                }
                if header.maxTimestamp > loaded.maxTimestamp {
                    loaded.maxTimestamp = header.maxTimestamp
                    loaded.offsetOfMaxTimestamp = header.lastOffset
                }
                loaded.nextOffset = header.lastOffset + 1
                expected = loaded.nextOffset
                position += header.totalSize
            }
            loaded.bytesSinceLastIndexEntry = size - (lastEntry?.position ?? 0)
            if let lastTime = timeIndex.lastEntry, lastTime.offset >= loaded.nextOffset {
                return "the time index points at offset \(lastTime.offset), past the log"
            }
        } catch {
            if case .storage = error { throw error }
            return "\(error)"
        }
        state.withLock { $0 = loaded }
        return nil
    }

    /// What ``recover(indexIntervalBytes:isActive:endOffset:)`` found.
    struct RecoveryResult {
        /// Bytes of the file kept.
        var keptBytes: Int
        /// Bytes cut from the end of the file (a torn write), kept in ``cutFile``.
        var truncatedBytes: Int
        /// The file holding the cut bytes, when bytes were cut and could be kept.
        var cutFile: String?
        /// Why the first invalid batch of the cut tail was rejected.
        var problem: String?
        /// Damage kept in place (valid batches follow it, or the segment is not the active one).
        var damage: [DamagedRange]
    }

    /// Re-reads every batch of the `.log` file, checking its length, magic, CRC and offsets, and
    /// rebuilds both indexes from scratch (the files are rewritten on the next
    /// ``flush(includingIndexes:)``).
    ///
    /// A stretch that fails is kept in place as damage when a valid batch with later offsets
    /// follows it in the file, or when this is not the active segment (`endOffset`, the next
    /// segment's base offset, then bounds the offsets it hides). Only at the end of the active
    /// segment is a tail with nothing valid after it cut — a torn write — and the cut bytes are
    /// first copied to `<log>.cut-at-<position>` beside the log (when that fails, for example on a
    /// full disk, the tail is kept in place as damage instead).
    func recover(indexIntervalBytes: Int, isActive: Bool, endOffset: Int64?) throws(BrokerError) -> RecoveryResult {
        guard let status = try io.status(ofPath: logPath) else { throw PosixStorageIO.error("open", logPath, ENOENT) }
        let fileSize = Int(status.size)
        var recovered = State(baseOffset: baseOffset, size: 0, createdTime: state.withLock { $0.createdTime })
        var reader = try SegmentReader(segment: self, limit: fileSize, chunkSize: 1 << 20)
        var position = 0
        var damage: [DamagedRange] = []
        var cut: (position: Int, problem: String)?
        while position < fileSize {
            var problem: String
            var hint: RecordBatchHeader?
            switch try reader.inspect(at: position, verify: true) {
            case .valid(let header):
                if offsetsFit(header, expected: recovered.nextOffset) {
                    recovered.record(header, at: position, indexIntervalBytes: indexIntervalBytes)
                    position += header.totalSize
                    continue
                }
                problem =
                    "the batch at byte \(position) has base offset \(header.baseOffset), expected \(recovered.nextOffset)"
                hint = header
            case .invalid(let reason, let header):
                problem = reason
                hint = header
            }
            if let next = try reader.nextValidBatch(
                after: position, hint: hint, minBaseOffset: recovered.nextOffset, bound: fileSize)
            {
                damage.append(
                    DamagedRange(
                        segmentFileName: logFileName, position: position, length: next.position - position,
                        firstOffset: recovered.nextOffset, lastOffset: next.header.baseOffset - 1, reason: problem))
                recovered.nextOffset = next.header.baseOffset
                // The batch after the damage gets an index entry, so lookups past it land on it.
                recovered.bytesSinceLastIndexEntry = indexIntervalBytes + 1
                recovered.size = next.position
                position = next.position
                continue
            }
            if isActive {
                cut = (position, problem)
            } else {
                let last = (endOffset ?? recovered.nextOffset) - 1
                damage.append(
                    DamagedRange(
                        segmentFileName: logFileName, position: position, length: fileSize - position,
                        firstOffset: recovered.nextOffset, lastOffset: last, reason: problem))
                recovered.nextOffset = max(recovered.nextOffset, last + 1)
                recovered.size = fileSize
            }
            break
        }
        var cutFile: String?
        var truncated = 0
        if let cut {
            if let kept = keepCutBytes(reader: &reader, from: cut.position, to: fileSize) {
                let file = try openLog()
                try io.truncate(file, to: Int64(cut.position))
                cutFile = kept
                truncated = fileSize - cut.position
            } else {
                // Keep the tail in place: it hides no offsets, and appends go after it.
                damage.append(
                    DamagedRange(
                        segmentFileName: logFileName, position: cut.position, length: fileSize - cut.position,
                        firstOffset: recovered.nextOffset, lastOffset: recovered.nextOffset - 1, reason: cut.problem))
                recovered.size = fileSize
            }
        }
        recovered.logUnsynced = true
        recovered.indexFilesStale = true
        recovered.damage = damage
        state.withLock { $0 = recovered }
        return RecoveryResult(
            keptBytes: fileSize - truncated, truncatedBytes: truncated, cutFile: cutFile, problem: cut?.problem,
            damage: damage)
    }

    /// Copies bytes `[start, end)` of the log to `<log>.cut-at-<start>` (fsynced, with the
    /// directory); returns the new file's name, or `nil` when it could not be written.
    private func keepCutBytes(reader: inout SegmentReader, from start: Int, to end: Int) -> String? {
        var name = logFileName + ".cut-at-\(start)"
        var attempt = 1
        while io.fileExists(directory + "/" + name) {
            attempt += 1
            name = logFileName + ".cut-at-\(start)-\(attempt)"
        }
        let path = directory + "/" + name
        do {
            let file = try io.openFile(path, mode: .truncate)
            var position = start
            while position < end {
                let step = min(end - position, 1 << 20)
                try reader.load(position, step)
                try reader.withBytes(position, step) { (raw) throws(BrokerError) in
                    try io.write(file, raw, at: Int64(position - start))
                }
                position += step
            }
            try io.sync(file)
            try io.syncDirectory(directory)
            return name
        } catch {
            try? io.removeFile(path)
            return nil
        }
    }

    // MARK: Appending

    /// Writes one complete batch (offsets already assigned) at the end of the log, `fsync`ing it
    /// when `sync`. On any failure the file is cut back to its previous size and the segment is
    /// unchanged, so the failed batch never becomes visible.
    func append(
        _ batch: UnsafeRawBufferPointer, header: RecordBatchHeader, indexIntervalBytes: Int, sync: Bool
    )
        throws(BrokerError)
    {
        let file = try openLog()
        let (position, mustCut) = state.withLock { ($0.size, $0.mayHaveTailGarbage) }
        if mustCut {
            try io.truncate(file, to: Int64(position))
            state.withLock { $0.mayHaveTailGarbage = false }
        }
        do {
            try io.write(file, batch, at: Int64(position))
            if sync { try io.sync(file) }
        } catch {
            do {
                try io.truncate(file, to: Int64(position))
            } catch {
                state.withLock { $0.mayHaveTailGarbage = true }
            }
            throw error
        }
        state.withLock { state in
            state.record(header, at: position, indexIntervalBytes: indexIntervalBytes)
            state.logUnsynced = !sync
        }
    }

    /// Adds the time index entry for the segment's largest timestamp (when the index does not
    /// end with it), as Kafka does when a segment stops being active or is closed.
    func finalizeTimeIndex() {
        state.withLock { $0.timeIndex.maybeAppend(timestamp: $0.maxTimestamp, offset: $0.offsetOfMaxTimestamp) }
    }

    // MARK: Flushing

    /// Whether the `.log` file has writes not yet `fsync`ed.
    var hasUnsyncedWrites: Bool { state.withLock { $0.logUnsynced } }

    /// `fsync`s the log file if it has unsynced writes; when `includingIndexes`, also writes the
    /// index entries the files lack and `fsync`s them.
    func flush(includingIndexes: Bool) throws(BrokerError) {
        if state.withLock({ $0.logUnsynced }) {
            try io.sync(try openLog())
            state.withLock { $0.logUnsynced = false }
        }
        if includingIndexes { try writeIndexes() }
    }

    /// Writes the index entries the files lack (all of them when the files are stale) and
    /// `fsync`s the files written.
    func writeIndexes() throws(BrokerError) {
        let pending = state.withLock { s in
            let rewrite = s.indexFilesStale
            let offsetStart = rewrite ? 0 : s.offsetIndex.persistedCount
            let timeStart = rewrite ? 0 : s.timeIndex.persistedCount
            return (
                rewrite: rewrite,
                offsetStart: offsetStart, offsetCount: s.offsetIndex.count,
                offsetBytes: s.offsetIndex.encode(offsetStart..<s.offsetIndex.count),
                timeStart: timeStart, timeCount: s.timeIndex.count,
                timeBytes: s.timeIndex.encode(timeStart..<s.timeIndex.count)
            )
        }
        if pending.rewrite || !pending.offsetBytes.isEmpty {
            try writeIndexFile(
                offsetIndexPath, pending.offsetBytes, at: pending.offsetStart * OffsetIndex.entrySize,
                rewrite: pending.rewrite)
        }
        if pending.rewrite || !pending.timeBytes.isEmpty {
            try writeIndexFile(
                timeIndexPath, pending.timeBytes, at: pending.timeStart * TimeIndex.entrySize, rewrite: pending.rewrite)
        }
        state.withLock { s in
            s.offsetIndex.persistedCount = pending.offsetCount
            s.timeIndex.persistedCount = pending.timeCount
            s.indexFilesStale = false
        }
    }

    private func writeIndexFile(_ path: String, _ bytes: [UInt8], at position: Int, rewrite: Bool) throws(BrokerError) {
        let file = try io.openFile(path, mode: rewrite ? .truncate : .create)
        try bytes.withBytes { (raw) throws(BrokerError) in try io.write(file, raw, at: Int64(position)) }
        if !rewrite {
            // A failed earlier write may have left a partial entry past the persisted entries.
            try io.truncate(file, to: Int64(position + bytes.count))
        }
        try io.sync(file)
    }

    // MARK: Reading

    /// Bytes of complete batches.
    var size: Int { state.withLock { $0.size } }

    /// One past the last offset in the segment (the base offset when empty).
    var nextOffset: Int64 { state.withLock { $0.nextOffset } }

    /// The largest batch timestamp, or -1 when the segment has none.
    var maxTimestamp: Int64 { state.withLock { $0.maxTimestamp } }

    /// The damage known so far (found by recovery or by readers).
    var knownDamage: [DamagedRange] { state.withLock { $0.damage } }

    /// Numbers the partition uses to decide whether to roll.
    struct RollStatus {
        var size: Int
        var offsetIndexEntries: Int
        var timeIndexEntries: Int
        var firstBatchTimestamp: Int64?
        var createdTime: Int64
    }

    /// Numbers the partition uses to decide whether to roll.
    var rollStatus: RollStatus {
        state.withLock {
            RollStatus(
                size: $0.size, offsetIndexEntries: $0.offsetIndex.count, timeIndexEntries: $0.timeIndex.count,
                firstBatchTimestamp: $0.firstBatchTimestamp, createdTime: $0.createdTime)
        }
    }

    /// The `.log` file's modification time (ms since the epoch).
    func modificationTime() throws(BrokerError) -> Int64 {
        if let file = pinned.withLock({ $0 }) { return try io.modificationTime(of: file) }
        guard let status = try io.status(ofPath: logPath) else { throw PosixStorageIO.error("stat", logPath, ENOENT) }
        return status.modificationTime
    }

    /// The timestamp retention compares with `retention.ms`: the largest record timestamp, or the
    /// file's modification time when the records carry none (as Kafka does).
    func largestTimestampForRetention() throws(BrokerError) -> Int64 {
        let largest = maxTimestamp
        return largest >= 0 ? largest : try modificationTime()
    }

    /// One step of ``walk(from:limit:endOffset:chunkSize:_:)``.
    enum Visit {
        /// A batch that passed every check, its position in the file and its bytes (valid only
        /// during the call).
        case batch(RecordBatchHeader, UnsafeRawBufferPointer, position: Int)
        /// Damage; `isNew` when this walk found it (the caller logs it once).
        case damaged(DamagedRange, isNew: Bool)
    }

    /// Visits, in file order, every batch and every damaged stretch that holds offsets from
    /// `target` on, up to `limit` bytes and below `endOffset` (the next segment's base offset, or
    /// the log end offset of the snapshot being read), until `body` returns `false`. Every batch
    /// is checked — header, length, offset continuity and CRC — before `body` sees it; damage is
    /// remembered so that later walks step over it at once, and damage this walk finds first is
    /// passed to `reportNew` (before `target` too, when the walk steps over it on the way).
    /// Returns `false` when `body` stopped.
    func walk(
        from target: Int64, limit: Int, endOffset: Int64, chunkSize: Int,
        reportNew: (DamagedRange) -> Void = { _ in }, _ body: (Visit) throws(BrokerError) -> Bool
    ) throws(BrokerError) -> Bool {
        guard limit > 0 else { return true }
        var reader = try SegmentReader(segment: self, limit: limit, chunkSize: chunkSize)
        let (entry, damage) = state.withLock { ($0.offsetIndex.lookup(target), $0.damage) }
        var position = entry.position < limit ? entry.position : 0
        // What the first batch must look like: at the segment's start its base offset is known; at
        // an index entry its last offset is.
        var expected: Int64? = position == 0 ? baseOffset : nil
        var expectedLast: Int64? = position == 0 ? nil : entry.offset
        if let known = damage.first(where: {
            $0.position < limit && $0.firstOffset <= target && target <= $0.lastOffset
        }) {
            position = known.position
            expected = known.firstOffset
            expectedLast = nil
        }
        var restarted = false
        while position < limit {
            if let known = damage.first(where: { $0.position == position }) {
                if known.lastOffset >= target && known.lastOffset >= known.firstOffset {
                    guard try body(.damaged(known, isNew: false)) else { return false }
                }
                position = known.end
                expected = known.lastOffset + 1
                expectedLast = nil
                continue
            }
            var problem: String?
            var hint: RecordBatchHeader?
            do {
                hint = try reader.header(at: position)
            } catch {
                if case .storage = error { throw error }
                problem = "the batch header at byte \(position) is invalid: \(error)"
            }
            if let header = hint {
                if header.totalSize > limit - position {
                    problem =
                        "the batch at byte \(position) needs \(header.totalSize) bytes, \(limit - position) remain"
                } else if !offsetsFit(header, expected: expected) {
                    problem =
                        "the batch at byte \(position) has base offset \(header.baseOffset), expected \(expected.map(String.init) ?? "one in the segment")"
                } else if let expectedLast, header.lastOffset != expectedLast {
                    problem =
                        "the batch at byte \(position) ends at offset \(header.lastOffset), its index entry says \(expectedLast)"
                } else if header.baseOffset >= endOffset {
                    return true
                } else {
                    var crcFailed = false
                    let proceed = try reader.withBatch(at: position, header: header) {
                        (bytes) throws(BrokerError) -> Bool in
                        guard RecordBatchHeader.checksum(of: bytes) == header.crc else {
                            crcFailed = true
                            return true
                        }
                        if header.lastOffset < target { return true }
                        return try body(.batch(header, bytes, position: position))
                    }
                    if !crcFailed {
                        guard proceed else { return false }
                        position += header.totalSize
                        expected = header.lastOffset + 1
                        expectedLast = nil
                        continue
                    }
                    problem = "the batch at byte \(position) fails its CRC"
                }
            }
            guard let first = expected else {
                // Started at an index entry: walk again from the segment's start to learn the first
                // offset the damage hides.
                if restarted { return true }
                restarted = true
                position = 0
                expected = baseOffset
                expectedLast = nil
                continue
            }
            let bound = state.withLock { $0.offsetIndex.firstPosition(after: position) } ?? limit
            let index = state.withLock { $0.offsetIndex }
            let next = try reader.nextValidBatch(
                after: position, hint: hint, minBaseOffset: first, bound: min(bound, limit),
                isIndexed: { index.hasEntry(atPosition: $0) })
            let range = DamagedRange(
                segmentFileName: logFileName, position: position, length: (next?.position ?? limit) - position,
                firstOffset: first, lastOffset: min(next?.header.baseOffset ?? endOffset, endOffset) - 1,
                reason: problem ?? "invalid data")
            let isNew = state.withLock { s -> Bool in
                guard !s.damage.contains(where: { $0.position == range.position }) else { return false }
                s.damage.append(range)
                s.damage.sort { $0.position < $1.position }
                return true
            }
            if isNew { reportNew(range) }
            if range.lastOffset >= target && range.lastOffset >= range.firstOffset {
                guard try body(.damaged(range, isNew: isNew)) else { return false }
            }
            guard let next else { return true }
            position = next.position
            expected = next.header.baseOffset
            expectedLast = nil
        }
        return true
    }

    /// The first offset in `[startingOffset, endOffset)` whose record timestamp is at least
    /// `timestamp`, or `nil`: starts after the last time index entry below `timestamp`, then
    /// walks the checked batches, decoding records only in a batch whose `maxTimestamp`
    /// qualifies. Damaged batches are stepped over; damage this lookup finds first is passed to
    /// `reportNew` (to be logged once, as for readers).
    func findOffset(
        forTimestamp timestamp: Int64, startingOffset: Int64, endOffset: Int64,
        reportNew: (DamagedRange) -> Void = { _ in }
    ) throws(BrokerError)
        -> Int64?
    {
        let from = state.withLock { s in
            max(s.timeIndex.lastOffset(before: timestamp).map { $0 + 1 } ?? baseOffset, startingOffset)
        }
        var found: Int64?
        _ = try walk(from: from, limit: size, endOffset: endOffset, chunkSize: 64 * 1024, reportNew: reportNew) {
            (visit) throws(BrokerError) -> Bool in
            guard case .batch(let header, let bytes, _) = visit, header.maxTimestamp >= timestamp else { return true }
            found = try RecordBatchDecoder.firstOffset(
                in: bytes, header: header, timestampAtLeast: timestamp, offsetAtLeast: from)
            return found == nil
        }
        guard let found, found < endOffset else { return nil }
        return found
    }

    // MARK: Deleting

    /// Removes the segment's files (the `.log` first: leftover index files are cleaned up on the
    /// next open). Readers that still hold the segment keep reading: the descriptor is pinned to
    /// the segment before its name goes.
    func deleteFiles() throws(BrokerError) {
        if let file = try? files.file(id: fileId, path: logPath, io: io) {
            pinned.withLock { $0 = file }
        }
        files.remove(id: fileId)
        try io.removeFile(logPath)
        try io.removeFile(offsetIndexPath)
        try io.removeFile(timeIndexPath)
    }

    /// Lets go of the `.log` descriptor (the partition is closing).
    func closeFile() {
        files.remove(id: fileId)
    }
}

/// Reads a segment's `.log` file through a window of bytes, so that walking consecutive batches
/// costs a few large `pread`s rather than one per header. Never reads at or past `limit`. Holds
/// the file open for as long as it lives.
struct SegmentReader {
    /// The segment read.
    let segment: LogSegment
    /// Bytes of the file that may be read.
    let limit: Int
    /// How much to read at once.
    let chunkSize: Int
    private let file: StorageFile
    private let window = ReadWindow()
    private var windowStart = 0
    private var windowCount = 0

    init(segment: LogSegment, limit: Int, chunkSize: Int) throws(BrokerError) {
        self.segment = segment
        self.limit = limit
        self.chunkSize = max(chunkSize, RecordBatchHeader.size)
        self.file = try segment.openLog()
    }

    /// Makes bytes `[position, position + count)` available, reading a chunk when they are not.
    mutating func load(_ position: Int, _ count: Int) throws(BrokerError) {
        guard position >= 0, count >= 0, count <= limit - position else {
            throw .corruptRecord(
                "\(count) bytes at byte \(position) of \(segment.displayName) run past its end (\(limit))")
        }
        if position >= windowStart && position + count <= windowStart + windowCount { return }
        let want = min(max(count, chunkSize), limit - position)
        if window.bytes.count < want { window.bytes = .uninitialized(count: want) }
        let file = self.file
        let io = segment.io
        windowCount = 0
        let read = try window.bytes.withMutableBytes { (raw) throws(BrokerError) -> Int in
            try io.read(file, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), at: Int64(position))
        }
        windowStart = position
        windowCount = read
        guard read >= count else {
            throw .storage("read \(file.displayName): the file ends at byte \(position + read), expected \(limit)")
        }
    }

    /// Calls `body` with bytes `[position, position + count)`, which ``load(_:_:)`` made available.
    func withBytes<R>(
        _ position: Int, _ count: Int, _ body: (UnsafeRawBufferPointer) throws(BrokerError) -> R
    )
        throws(BrokerError) -> R
    {
        let start = position - windowStart
        return try window.bytes.withBytes { (raw) throws(BrokerError) -> R in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
    }

    /// The batch header at `position`.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when fewer than a header's bytes remain before
    ///   `limit` or the header is invalid.
    mutating func header(at position: Int) throws(BrokerError) -> RecordBatchHeader {
        guard limit - position >= RecordBatchHeader.size else {
            throw .corruptRecord(
                "only \(limit - position) bytes remain at byte \(position) of \(segment.displayName), too few for a batch header"
            )
        }
        try load(position, RecordBatchHeader.size)
        return try withBytes(position, RecordBatchHeader.size) { (raw) throws(BrokerError) in
            try RecordBatchHeader(parsing: raw)
        }
    }

    /// Calls `body` with the complete batch at `position`, whose header is `header`.
    mutating func withBatch<R>(
        at position: Int, header: RecordBatchHeader, _ body: (UnsafeRawBufferPointer) throws(BrokerError) -> R
    ) throws(BrokerError) -> R {
        try load(position, header.totalSize)
        return try withBytes(position, header.totalSize, body)
    }

    /// The CRC-32C of `[position, position + count)`, read chunk by chunk, so that checking a
    /// huge (or corrupt, huge-looking) batch never holds it whole in memory.
    mutating func checksum(from position: Int, count: Int) throws(BrokerError) -> UInt32 {
        var crc: UInt32 = 0
        var next = position
        var remaining = count
        while remaining > 0 {
            let step = min(remaining, chunkSize)
            try load(next, step)
            crc = try withBytes(next, step) { (raw) throws(BrokerError) in CRC32C.update(crc, with: raw) }
            next += step
            remaining -= step
        }
        return crc
    }

    /// What ``inspect(at:verify:)`` found.
    enum Inspection {
        /// A batch whose header parses, whose length fits before `limit`, whose offsets fit the
        /// segment and (when verified) whose CRC matches.
        case valid(RecordBatchHeader)
        /// Something else; the header when it parsed.
        case invalid(String, RecordBatchHeader?)
    }

    /// Checks the batch at `position` without trusting anything in it.
    mutating func inspect(at position: Int, verify: Bool) throws(BrokerError) -> Inspection {
        let header: RecordBatchHeader
        do {
            header = try self.header(at: position)
        } catch {
            if case .storage = error { throw error }
            return .invalid("the batch header at byte \(position) is invalid: \(error)", nil)
        }
        guard header.totalSize <= limit - position else {
            return .invalid(
                "the batch at byte \(position) needs \(header.totalSize) bytes, \(limit - position) remain", header)
        }
        guard segment.offsetsFit(header, expected: nil) else {
            return .invalid("the batch at byte \(position) has offsets outside the segment", header)
        }
        if verify {
            let crc = try checksum(
                from: position + RecordBatchHeader.attributesPosition,
                count: header.totalSize - RecordBatchHeader.attributesPosition)
            guard crc == header.crc else { return .invalid("the batch at byte \(position) fails its CRC", header) }
        }
        return .valid(header)
    }

    /// The first valid batch after the damage at `position` whose base offset is at least
    /// `minBaseOffset`, starting no later than `bound`: first where the damaged header's own length
    /// points (`hint`, or the raw length field when the header did not parse), then at every byte
    /// position, checking a cheap filter (magic 2, a length that fits, offsets in the segment)
    /// before the CRC. `nil` when there is none.
    ///
    /// A batch found by scanning must also be anchored: it ends at the end of the readable bytes,
    /// at a position the offset index knows as a batch start (`isIndexed`), or where a valid batch
    /// continuing its offsets starts. A record's value can hold a complete, valid batch; without
    /// the anchor a damaged header in front of it would make that embedded batch pass for records
    /// at those offsets.
    mutating func nextValidBatch(
        after position: Int, hint: RecordBatchHeader?, minBaseOffset: Int64, bound: Int,
        isIndexed: (Int) -> Bool = { _ in false }
    ) throws(BrokerError) -> (position: Int, header: RecordBatchHeader)? {
        let bound = min(bound, limit - RecordBatchHeader.size)
        var claimed = hint.map(\.totalSize)
        if claimed == nil, limit - position >= RecordBatchHeader.logOverhead {
            try load(position, RecordBatchHeader.logOverhead)
            let length: Int32 = try withBytes(position + 8, 4) { (raw) throws(BrokerError) in raw.readBigEndian(at: 0) }
            claimed = Int(length) + RecordBatchHeader.logOverhead
        }
        if let claimed, claimed >= RecordBatchHeader.size, claimed <= limit - position {
            let candidate = position + claimed
            if candidate <= bound, case .valid(let header) = try inspect(at: candidate, verify: true),
                header.baseOffset >= minBaseOffset
            {
                return (candidate, header)
            }
        }
        var start = position + 1
        let base = segment.baseOffset
        let limit = self.limit
        while start <= bound {
            // Headers that start in [start, last] lie inside one loaded span.
            let last = min(bound, start + chunkSize - RecordBatchHeader.size)
            let span = last - start + RecordBatchHeader.size
            try load(start, span)
            let candidates = try withBytes(start, span) { (raw) throws(BrokerError) -> [Int] in
                var found: [Int] = []
                for i in 0...(last - start) where raw[i + 16] == UInt8(RecordBatchHeader.currentMagic) {
                    let length: Int32 = raw.readBigEndian(at: i + 8)
                    let baseOffset: Int64 = raw.readBigEndian(at: i)
                    let delta: Int32 = raw.readBigEndian(at: i + 23)
                    let total = Int(length) + RecordBatchHeader.logOverhead
                    guard Int(length) >= RecordBatchHeader.size - RecordBatchHeader.logOverhead,
                        total <= limit - (start + i), baseOffset >= minBaseOffset, baseOffset >= base,
                        delta >= 0, baseOffset - base <= Int64(Int32.max) - Int64(delta)
                    else { continue }
                    found.append(start + i)
                }
                return found
            }
            for candidate in candidates {
                if case .valid(let header) = try inspect(at: candidate, verify: true),
                    try isAnchored(candidate, header, isIndexed: isIndexed)
                {
                    return (candidate, header)
                }
            }
            start = last + 1
        }
        return nil
    }

    /// Whether the valid batch `header` at `position` is followed by the end of the readable bytes,
    /// an indexed batch start, or a valid batch that continues its offsets.
    private mutating func isAnchored(
        _ position: Int, _ header: RecordBatchHeader, isIndexed: (Int) -> Bool
    ) throws(BrokerError) -> Bool {
        let end = position + header.totalSize
        if end == limit || isIndexed(end) { return true }
        guard case .valid(let next) = try inspect(at: end, verify: true) else { return false }
        return next.baseOffset == header.lastOffset + 1
    }
}

/// The bytes a ``SegmentReader`` reads into, taken from a small pool and given back when the
/// reader goes: a fetch then reuses memory the last one touched instead of faulting in a fresh
/// megabyte (profiled: page faults on new buffers cost more than the CRC check of every batch).
final class ReadWindow: @unchecked Sendable {
    /// Owned by one reader at a time (taken from the pool in `init`, returned in `deinit`).
    var bytes: [UInt8]

    private static let pool = Mutex<[[UInt8]]>([])
    private static let pooled = 8
    private static let largestPooled = 1 << 20

    init() {
        bytes = Self.pool.withLock { $0.popLast() } ?? []
    }

    deinit {
        guard bytes.count <= Self.largestPooled else { return }
        let kept = bytes
        Self.pool.withLock { if $0.count < Self.pooled { $0.append(kept) } }
    }
}
